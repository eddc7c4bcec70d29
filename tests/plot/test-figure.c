/* test-figure.c: figure models, rendering and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "basin-error.h"
#include "basin-landscape.h"
#include "basin-plot.h"

#include "../../src/plot/basin-colormap.h"
#include "../../src/plot/basin-figure-private.h"

#define WIDTH 800
#define HEIGHT 600

typedef struct {
  int r;
  int g;
  int b;
} Pixel;

static cairo_surface_t *
render_figure (const BasinFigure *figure,
               int                width,
               int                height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  basin_figure_render (figure, cr, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static Pixel
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y)
{
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 value;

  g_assert_cmpfloat (x, >=, 0.0);
  g_assert_cmpfloat (y, >=, 0.0);
  g_assert_cmpfloat (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpfloat (y, <, cairo_image_surface_get_height (surface));

  value = *(guint32 *) (data + (int) y * stride + 4 * (int) x);

  return (Pixel) { (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };
}

static gboolean
pixel_is_white (Pixel pixel)
{
  return pixel.r == 255 && pixel.g == 255 && pixel.b == 255;
}

static guint
count_non_white (cairo_surface_t         *surface,
                 const cairo_rectangle_t *area)
{
  guint count = 0;

  for (int y = (int) ceil (area->y); y < (int) (area->y + area->height); y++)
    for (int x = (int) ceil (area->x); x < (int) (area->x + area->width); x++)
      if (!pixel_is_white (pixel_at (surface, x, y)))
        count++;

  return count;
}

static double
relative_luminance (BasinRgb rgb)
{
  double channels[3] = { rgb.r, rgb.g, rgb.b };

  for (guint i = 0; i < 3; i++)
    channels[i] = channels[i] <= 0.04045 ? channels[i] / 12.92
                                         : pow ((channels[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

static void
assert_rgb_near (BasinRgb rgb,
                 guint32  hex,
                 double   tolerance)
{
  g_assert_cmpfloat_with_epsilon (rgb.r, ((hex >> 16) & 0xff) / 255.0, tolerance);
  g_assert_cmpfloat_with_epsilon (rgb.g, ((hex >> 8) & 0xff) / 255.0, tolerance);
  g_assert_cmpfloat_with_epsilon (rgb.b, (hex & 0xff) / 255.0, tolerance);
}

static char *
make_temporary_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("basin-plot-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }

  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static guint
count_dir_entries (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  g_dir_close (dir);

  return count;
}

/* A matrix figure: +1, −1 in the first row, 0 and 0.5 in the second, with
 * the cell (0, 1) marked. */
static BasinFigure *
make_matrix_figure (void)
{
  static const float values[] = { 1.0f, -1.0f, 0.0f, 0.5f };
  static const guint32 marks[] = { 1, G_MAXUINT32 };
  BasinFigure *figure = basin_figure_new ("Matrix");
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_MATRIX, NULL);

  basin_panel_set_axis_titles (panel, "column", "row");
  basin_panel_set_colormap (panel, BASIN_COLORMAP_DIVERGING, -1.0, 1.0, "value");
  basin_panel_add_image (panel, NULL, values, 2, 2, FALSE);
  basin_panel_set_marks (panel, marks, 2);

  return figure;
}

static BasinFigure *
make_line_figure (void)
{
  static const double x[] = { 0.0, 0.5, 1.0 };
  static const double y[] = { 0.5, 0.5, 0.5 };
  BasinFigure *figure = basin_figure_new ("Lines");
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, "panel");

  basin_panel_set_axis_titles (panel, "x", "y");
  basin_panel_add_series (panel, "flat, with a comma", x, y, G_N_ELEMENTS (x), 0, FALSE);

  return figure;
}

/* A matching of 4 neurons with correlation 0.9 on (i, permutation[i])
 * and 0 elsewhere. */
static BasinMatching *
make_matching_with (const guint32 permutation[4])
{
  BasinMatching *matching = g_new0 (BasinMatching, 1);

  matching->n_layers = 1;
  matching->widths = g_new (guint, 1);
  matching->widths[0] = 4;
  matching->permutation = g_new (guint32 *, 1);
  matching->permutation[0] = g_memdup2 (permutation, 4 * sizeof (guint32));
  matching->correlation = g_new (float *, 1);
  matching->correlation[0] = g_new0 (float, 16);
  for (guint i = 0; i < 4; i++)
    matching->correlation[0][i * 4 + permutation[i]] = 0.9f;
  matching->identity_rate = g_new (double, 1);
  matching->identity_rate[0] = 0.5;
  matching->objective = g_new (double, 1);
  matching->objective[0] = 3.6;
  matching->identity_objective = g_new (double, 1);
  matching->identity_objective[0] = 1.8;
  matching->mean_correlation = g_new (double, 1);
  matching->mean_correlation[0] = 0.9;
  matching->n_eval = 100;

  return matching;
}

static BasinMatching *
make_matching (void)
{
  static const guint32 permutation[] = { 1, 0, 2, 3 };

  return make_matching_with (permutation);
}

static void
free_matching (BasinMatching *matching)
{
  g_free (matching->widths);
  g_free (matching->permutation[0]);
  g_free (matching->permutation);
  g_free (matching->correlation[0]);
  g_free (matching->correlation);
  g_free (matching->identity_rate);
  g_free (matching->objective);
  g_free (matching->identity_objective);
  g_free (matching->mean_correlation);
  g_free (matching);
}

static BasinPath *
make_path (const char *alignment,
           double      bump)
{
  BasinPath *path = g_new0 (BasinPath, 1);
  guint n = 11;

  path->alignment = g_strdup (alignment);
  path->n_points = n;
  path->lambda = g_new (double, n);
  path->test_loss = g_new (double, n);
  path->train_loss = g_new (double, n);
  path->test_accuracy = g_new (double, n);
  path->train_accuracy = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      double lambda = i / (double) (n - 1);

      path->lambda[i] = lambda;
      path->test_loss[i] = 0.1 + bump * sin (G_PI * lambda);
      path->train_loss[i] = 0.05 + bump * sin (G_PI * lambda);
      path->test_accuracy[i] = 0.95 - 0.5 * bump * sin (G_PI * lambda);
      path->train_accuracy[i] = 0.97 - 0.5 * bump * sin (G_PI * lambda);
    }
  path->loss_barrier = bump;
  path->train_loss_barrier = bump;
  path->accuracy_barrier = 50.0 * bump;
  path->train_accuracy_barrier = 50.0 * bump;
  path->n_train = 200;
  path->n_test = 100;

  return path;
}

static void
free_path (BasinPath *path)
{
  g_free (path->alignment);
  g_free (path->lambda);
  g_free (path->test_loss);
  g_free (path->train_loss);
  g_free (path->test_accuracy);
  g_free (path->train_accuracy);
  g_free (path);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
test_colormap_viridis_endpoints (void)
{
  assert_rgb_near (basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, 0.0), 0x440154, 1.5 / 255.0);
  assert_rgb_near (basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, 1.0), 0xfde725, 1.5 / 255.0);
  /* The middle of matplotlib's table, entry 128 of 256. */
  assert_rgb_near (basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, 128.0 / 255.0), 0x21918c, 1.5 / 255.0);
}

static void
test_colormap_viridis_lightness (void)
{
  double previous = -1.0;

  for (guint i = 0; i <= 100; i++)
    {
      double luminance = relative_luminance (basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, i / 100.0));

      g_assert_cmpfloat (luminance, >, previous);
      previous = luminance;
    }
}

static void
test_colormap_diverging_symmetric (void)
{
  BasinRgb low = basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 0.0);
  BasinRgb middle = basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 0.5);
  BasinRgb high = basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 1.0);

  g_assert_cmpfloat (low.b, >, low.r + 0.2);
  g_assert_cmpfloat (high.r, >, high.b + 0.2);
  g_assert_cmpfloat (middle.r, >, 0.95);
  g_assert_cmpfloat (middle.g, >, 0.95);
  g_assert_cmpfloat (middle.b, >, 0.95);

  for (guint i = 0; i <= 10; i++)
    {
      double t = i / 10.0;
      double a = relative_luminance (basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, t));
      double b = relative_luminance (basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 1.0 - t));

      g_assert_cmpfloat_with_epsilon (a, b, 0.05);
    }
}

static void
test_colormap_clamps_and_nan (void)
{
  BasinRgb below = basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, -3.0);
  BasinRgb start = basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, 0.0);
  BasinRgb above = basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 7.0);
  BasinRgb end = basin_colormap_lookup (BASIN_COLORMAP_DIVERGING, 1.0);
  BasinRgb missing = basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, NAN);

  g_assert_cmpfloat (below.r, ==, start.r);
  g_assert_cmpfloat (below.b, ==, start.b);
  g_assert_cmpfloat (above.r, ==, end.r);
  g_assert_cmpfloat (above.b, ==, end.b);
  g_assert_cmpfloat (missing.r, ==, missing.g);
  g_assert_cmpfloat (missing.g, ==, missing.b);
  g_assert_cmphex (basin_colormap_lookup_argb (BASIN_COLORMAP_VIRIDIS, 0.0), ==, 0xff440154);
}

static void
test_palette_okabe_ito (void)
{
  guint n = basin_palette_size ();

  /* Okabe–Ito's eight colours, then two more so ten classes stay apart. */
  g_assert_cmpuint (n, ==, 10);
  assert_rgb_near (basin_palette_color (0), 0x0072b2, 1e-9);
  assert_rgb_near (basin_palette_color (1), 0xd55e00, 1e-9);
  assert_rgb_near (basin_palette_color (8), 0x882255, 1e-9);
  assert_rgb_near (basin_palette_color (n), 0x0072b2, 1e-9);
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        BasinRgb a = basin_palette_color (i), b = basin_palette_color (j);

        g_assert_cmpfloat (fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b), >, 0.2);
      }
}

static void
test_axis_nice_step (void)
{
  static const struct {
    double raw;
    double nice;
  } cases[] = {
    { 0.7, 1.0 }, { 1.0, 1.0 }, { 1.3, 2.0 }, { 2.2, 2.5 }, { 3.0, 5.0 },
    { 7.0, 10.0 }, { 0.013, 0.02 }, { 450.0, 500.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (basin_nice_step (cases[i].raw), cases[i].nice, 1e-12 * cases[i].nice);

  g_assert_cmpfloat (basin_nice_step (0.0), ==, 1.0);
  g_assert_cmpfloat (basin_nice_step (NAN), ==, 1.0);
}

static void
test_axis_linear_ticks (void)
{
  BasinAxis axis;

  basin_axis_init_linear (&axis, 0.03, 0.97, 5, TRUE);
  g_assert_cmpfloat_with_epsilon (axis.min, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (axis.max, 1.0, 1e-12);
  g_assert_cmpuint (axis.n_ticks, ==, 6);
  g_assert_cmpstr (axis.labels[0], ==, "0.0");
  g_assert_cmpstr (axis.labels[5], ==, "1.0");

  basin_axis_init_linear (&axis, -1.0, 1.0, 4, FALSE);
  g_assert_cmpuint (axis.n_ticks, ==, 5);
  g_assert_cmpstr (axis.labels[0], ==, "−1.0");
  g_assert_cmpstr (axis.labels[2], ==, "0.0");
  for (guint i = 1; i < axis.n_ticks; i++)
    g_assert_cmpfloat (axis.ticks[i], >, axis.ticks[i - 1]);
}

static void
test_axis_log_ticks (void)
{
  BasinAxis axis;
  gboolean has_tenth = FALSE;
  gboolean has_fifth = FALSE;

  basin_axis_init_log (&axis, 0.05, 0.7);
  g_assert_true (axis.log);
  g_assert_cmpfloat_with_epsilon (axis.min, 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (axis.max, 1.0, 1e-12);

  for (guint i = 0; i < axis.n_ticks; i++)
    {
      has_tenth |= fabs (axis.ticks[i] - 0.1) < 1e-12;
      has_fifth |= fabs (axis.ticks[i] - 0.2) < 1e-12;
    }
  g_assert_true (has_tenth);
  g_assert_true (has_fifth);
  g_assert_cmpfloat_with_epsilon (basin_axis_fraction (&axis, 0.1), 0.5, 1e-12);
}

static void
test_axis_degenerate_range (void)
{
  BasinAxis axis;

  basin_axis_init_linear (&axis, 5.0, 5.0, 5, TRUE);
  g_assert_cmpfloat (axis.min, <, 5.0);
  g_assert_cmpfloat (axis.max, >, 5.0);
  g_assert_cmpuint (axis.n_ticks, >=, 2);

  basin_axis_init_linear (&axis, NAN, 1.0, 5, TRUE);
  g_assert_cmpfloat (axis.min, ==, 0.0);
  g_assert_cmpfloat (axis.max, ==, 1.0);

  basin_axis_init_log (&axis, -1.0, 0.0);
  g_assert_cmpfloat (axis.min, >, 0.0);
  g_assert_cmpfloat (axis.max, >, axis.min);
}

static void
test_axis_indices (void)
{
  BasinAxis axis;

  basin_axis_init_indices (&axis, 16, 8);
  g_assert_cmpfloat (axis.min, ==, -0.5);
  g_assert_cmpfloat (axis.max, ==, 15.5);
  g_assert_cmpuint (axis.n_ticks, ==, 8);
  g_assert_cmpstr (axis.labels[0], ==, "0");
  g_assert_cmpstr (axis.labels[7], ==, "14");

  basin_axis_init_indices (&axis, 1, 4);
  g_assert_cmpuint (axis.n_ticks, ==, 1);
  g_assert_cmpstr (axis.labels[0], ==, "0");
}

static void
test_style_readable_fonts (void)
{
  BasinPlotStyle style;

  basin_plot_style_init (&style, 1000, 700);
  g_assert_cmpfloat (style.tick_font, >=, 11.0);
  g_assert_cmpfloat (style.label_font, >, style.tick_font);
  g_assert_cmpfloat (style.title_font, >, style.label_font);

  basin_plot_style_init (&style, 400, 300);
  g_assert_cmpfloat (style.tick_font, >=, 10.0);

  basin_plot_style_init (&style, 2000, 1400);
  g_assert_cmpfloat (style.tick_font, >=, 22.0);
}

static void
test_figure_matrix_colors (void)
{
  g_autoptr(BasinFigure) figure = make_matrix_figure ();
  cairo_surface_t *surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_rectangle_t area;
  double cell;
  Pixel plus, minus, zero, margin;

  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpfloat_with_epsilon (area.width, area.height, 1e-6);
  g_assert_cmpfloat (area.x, >, 0.0);
  g_assert_cmpfloat (area.x + area.width, <, WIDTH);
  cell = area.width / 2.0;

  plus = pixel_at (surface, area.x + 0.5 * cell, area.y + 0.5 * cell);
  minus = pixel_at (surface, area.x + 1.5 * cell, area.y + 0.5 * cell);
  zero = pixel_at (surface, area.x + 0.5 * cell, area.y + 1.5 * cell);
  margin = pixel_at (surface, 2, HEIGHT - 2);

  g_assert_cmpint (plus.r, >, 90);
  g_assert_cmpint (plus.r, >, plus.b + 50);
  g_assert_cmpint (plus.r, >, plus.g + 50);
  g_assert_cmpint (minus.b, >, minus.r + 50);
  g_assert_cmpint (zero.r, >, 230);
  g_assert_cmpint (zero.g, >, 230);
  g_assert_cmpint (zero.b, >, 230);
  g_assert_true (pixel_is_white (margin));

  cairo_surface_destroy (surface);
}

static void
test_figure_matrix_marks (void)
{
  g_autoptr(BasinFigure) figure = make_matrix_figure ();
  cairo_surface_t *surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_rectangle_t area;
  double cell;
  Pixel outline, unmarked;

  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  cell = area.width / 2.0;

  /* Cell (0, 1) is marked, so its inner left edge is black; the unmarked
   * cell (0, 0) has no outline at the same height. */
  outline = pixel_at (surface, area.x + cell + 1.5, area.y + 0.5 * cell);
  unmarked = pixel_at (surface, area.x + 1.5 + 2.0, area.y + 0.5 * cell);
  g_assert_cmpint (outline.r + outline.g + outline.b, <, 90);
  g_assert_cmpint (unmarked.r, >, 90);

  cairo_surface_destroy (surface);
}

static gboolean
column_has_color (cairo_surface_t         *surface,
                  const cairo_rectangle_t *area,
                  double                   x,
                  BasinRgb                 rgb)
{
  for (int y = (int) area->y; y < (int) (area->y + area->height); y++)
    {
      Pixel pixel = pixel_at (surface, x, y);

      if (abs (pixel.r - (int) lround (255 * rgb.r)) < 12 &&
          abs (pixel.g - (int) lround (255 * rgb.g)) < 12 &&
          abs (pixel.b - (int) lround (255 * rgb.b)) < 12)
        return TRUE;
    }

  return FALSE;
}

static void
test_figure_lines_draw (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  cairo_surface_t *surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_rectangle_t area;

  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpfloat (area.width, >, WIDTH / 2.0);
  g_assert_cmpfloat (area.height, >, HEIGHT / 2.0);

  g_assert_true (column_has_color (surface, &area, area.x + area.width / 2.0, basin_palette_color (0)));
  g_assert_cmpuint (count_non_white (surface, &area), >, 100);
  g_assert_true (pixel_is_white (pixel_at (surface, WIDTH - 2, 2)));

  cairo_surface_destroy (surface);
}

static void
test_figure_lines_log_nonpositive (void)
{
  static const double x[] = { 0.0, 1.0, 2.0, 3.0, 4.0 };
  static const double y[] = { 1.0, 0.0, -2.0, 0.1, NAN };
  g_autoptr(BasinFigure) figure = basin_figure_new (NULL);
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, NULL);
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  basin_panel_add_series (panel, "loss", x, y, G_N_ELEMENTS (x), 1, TRUE);
  basin_panel_set_log_y (panel, TRUE);
  surface = render_figure (figure, WIDTH, HEIGHT);

  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpuint (count_non_white (surface, &area), >, 0);

  cairo_surface_destroy (surface);
}

static void
test_figure_text_fits (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *long_title = g_strnfill (300, 'W');
  cairo_surface_t *surface;

  basin_figure_set_caption (figure, "A caption long enough to wrap onto a second line when the figure is narrow.");
  g_free (figure->title);
  figure->title = g_strdup (long_title);
  surface = render_figure (figure, 300, 240);

  /* The title is shortened with an ellipsis, so the margins stay white. */
  for (int y = 0; y < 40; y++)
    {
      g_assert_true (pixel_is_white (pixel_at (surface, 0, y)));
      g_assert_true (pixel_is_white (pixel_at (surface, 299, y)));
    }

  cairo_surface_destroy (surface);
}

static void
test_figure_image_grid (void)
{
  static const float xy[] = { 0.0f, 0.0f, 0.5f, 0.5f };
  static const guint32 classes[] = { 0, 1 };
  float values[16 * 16];
  g_autoptr(BasinFigure) figure = basin_figure_new ("Grid");
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_IMAGE_GRID, "grid");
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = (float) (i % 16);

  basin_panel_set_colormap (panel, BASIN_COLORMAP_VIRIDIS, 0.0, 1.0, "scaled");
  basin_panel_set_scale_per_image (panel, TRUE);
  basin_panel_set_extent (panel, -1.0, 1.0, -1.0, 1.0);
  basin_panel_set_points (panel, xy, classes, 2);
  basin_panel_add_image (panel, "first", values, 16, 16, TRUE);
  basin_panel_add_image (panel, "second", values, 16, 16, FALSE);
  surface = render_figure (figure, WIDTH, HEIGHT);

  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpfloat (area.width, >, 100.0);
  g_assert_cmpuint (count_non_white (surface, &area), >, (guint) (area.width * area.height / 4));

  cairo_surface_destroy (surface);
}

static gboolean
center_band_has_ink (cairo_surface_t *surface)
{
  for (int x = 0; x < WIDTH; x++)
    for (int y = HEIGHT / 2 - 20; y < HEIGHT / 2 + 20; y++)
      if (!pixel_is_white (pixel_at (surface, x, y)))
        return TRUE;

  return FALSE;
}

static void
test_session_without_analysis (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  BasinFigure *figures[3];

  figures[0] = basin_figure_new_match_matrix (session, 0);
  figures[1] = basin_figure_new_merge_path (session);
  figures[2] = basin_figure_new_neurons (session, 0, 16, 32);

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      cairo_surface_t *surface = render_figure (figures[i], WIDTH, HEIGHT);
      cairo_rectangle_t area;

      g_assert_nonnull (basin_figure_get_message (figures[i]));
      g_assert_cmpuint (basin_figure_get_n_panels (figures[i]), ==, 0);
      g_assert_false (basin_figure_get_plot_area (figures[i], 0, WIDTH, HEIGHT, &area));
      g_assert_true (center_band_has_ink (surface));

      cairo_surface_destroy (surface);
      basin_figure_free (figures[i]);
    }

  g_free (session);
}

static void
test_session_match_matrix (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  g_autoptr(BasinFigure) missing = NULL;
  const BasinPanel *panel;

  session->matching = make_matching ();
  figure = basin_figure_new_match_matrix (session, 0);

  g_assert_null (basin_figure_get_message (figure));
  g_assert_nonnull (strstr (basin_figure_get_title (figure), "50.0 %"));
  g_assert_nonnull (strstr (basin_figure_get_title (figure), "0.90"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "0.500"));

  panel = basin_figure_get_panel (figure, 0);
  g_assert_cmpint (panel->kind, ==, BASIN_PANEL_MATRIX);
  g_assert_cmpint (panel->colormap, ==, BASIN_COLORMAP_DIVERGING);
  g_assert_cmpfloat (panel->color_min, ==, -1.0);
  g_assert_cmpfloat (panel->color_max, ==, 1.0);
  g_assert_cmpstr (panel->colorbar_label, ==, "Pearson correlation");
  g_assert_cmpuint (panel->n_marks, ==, 4);
  g_assert_cmpuint (panel->marks[0], ==, 1);

  missing = basin_figure_new_match_matrix (session, 3);
  g_assert_nonnull (basin_figure_get_message (missing));

  free_matching (session->matching);
  g_free (session);
}

static void
test_session_merge_path (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  g_autoptr(GPtrArray) legend = NULL;
  const BasinLegendEntry *entry;
  cairo_surface_t *surface;

  session->trained = TRUE;
  session->paths[0] = make_path ("none", 0.412);
  session->paths[1] = make_path ("activation", 0.02);
  figure = basin_figure_new_merge_path (session);

  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpuint (basin_figure_get_n_panels (figure), ==, 2);
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "max_λ"));

  legend = basin_panel_collect_legend (basin_figure_get_panel (figure, 0));
  g_assert_cmpuint (legend->len, ==, 4);
  entry = g_ptr_array_index (legend, 0);
  g_assert_cmpstr (entry->label, ==, "unaligned, test — barrier 0.412");
  g_assert_cmpint (entry->symbol, ==, BASIN_LEGEND_LINE);
  entry = g_ptr_array_index (legend, 3);
  g_assert_cmpint (entry->symbol, ==, BASIN_LEGEND_DASHED_LINE);
  g_assert_cmpuint (entry->color, ==, 1);
  g_ptr_array_unref (g_steal_pointer (&legend));

  legend = basin_panel_collect_legend (basin_figure_get_panel (figure, 1));
  entry = g_ptr_array_index (legend, 0);
  g_assert_cmpstr (entry->label, ==, "unaligned, test — barrier 20.6 pp");

  surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);

  free_path (session->paths[0]);
  free_path (session->paths[1]);
  g_free (session);
}

static void
test_session_merge_path_one_path (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  session->paths[1] = make_path ("activation", 0.02);
  figure = basin_figure_new_merge_path (session);
  surface = render_figure (figure, WIDTH, HEIGHT);

  g_assert_cmpuint (basin_figure_get_n_panels (figure), ==, 2);
  g_assert_true (basin_figure_get_plot_area (figure, 1, WIDTH, HEIGHT, &area));
  /* A quarter of the way in, where the solid test curve lies inside the
   * axes; at λ = ½ it touches the bottom of the frame. */
  g_assert_true (column_has_color (surface, &area, area.x + area.width / 4.0, basin_palette_color (1)));

  cairo_surface_destroy (surface);
  free_path (session->paths[1]);
  g_free (session);
}

static void
test_session_training (void)
{
  static const double steps[] = { 0.5, 1.0, 1.5 };
  static const double losses[] = { 0.9, 0.5, 0.3 };
  const double *xs[2] = { steps, steps };
  const double *ys[2] = { losses, losses };
  guint empty[2] = { 0, 0 };
  guint one[2] = { 1, 3 };
  BasinFigure *figures[3];

  figures[0] = basin_figure_new_training (NULL, NULL, NULL, 0);
  figures[1] = basin_figure_new_training (empty, xs, ys, 10);
  figures[2] = basin_figure_new_training (one, xs, ys, 10);

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      cairo_surface_t *surface = render_figure (figures[i], WIDTH, HEIGHT);
      const BasinPanel *panel = basin_figure_get_panel (figures[i], 0);
      cairo_rectangle_t area;

      g_assert_null (basin_figure_get_message (figures[i]));
      g_assert_true (basin_figure_get_plot_area (figures[i], 0, WIDTH, HEIGHT, &area));
      g_assert_true (panel->x_fixed);
      g_assert_cmpfloat (panel->x_min, ==, 0.0);
      g_assert_cmpfloat (panel->x_max, ==, i == 0 ? 1.0 : 10.0);
      g_assert_cmpuint (panel->series->len, ==, 2);

      cairo_surface_destroy (surface);
      basin_figure_free (figures[i]);
    }
}

static void
make_maps (BasinInputPlane *plane,
           BasinNeuronMap  *map_a,
           BasinNeuronMap  *map_b,
           guint            n_neurons,
           guint            resolution)
{
  static float points[] = { 0.0f, 0.0f, 0.5f, -0.5f };
  static guint32 labels[] = { 0, 1 };
  gsize n_values = (gsize) resolution * resolution;

  memset (plane, 0, sizeof *plane);
  plane->x_min = plane->y_min = -1.0;
  plane->x_max = plane->y_max = 1.0;
  plane->x_label = (char *) "x₁";
  plane->y_label = (char *) "x₂";
  plane->n_points = 2;
  plane->points = points;
  plane->point_labels = labels;
  plane->n_classes = 2;

  map_a->resolution = map_b->resolution = resolution;
  map_a->n_neurons = map_b->n_neurons = n_neurons;
  map_a->values = g_new (float, n_neurons * n_values);
  map_b->values = g_new (float, n_neurons * n_values);
  for (gsize i = 0; i < n_neurons * n_values; i++)
    {
      map_a->values[i] = (float) (i / n_values) + 0.001f * (i % n_values);
      map_b->values[i] = -map_a->values[i];
    }
}

static void
test_session_neuron_order (void)
{
  g_autoptr(BasinFigure) matched = NULL;
  g_autoptr(BasinFigure) unmatched = NULL;
  BasinMatching *matching = make_matching ();
  BasinInputPlane plane;
  BasinNeuronMap map_a, map_b;
  const BasinPanel *panel_a, *panel_b;
  const BasinImage *image;
  cairo_surface_t *surface;

  make_maps (&plane, &map_a, &map_b, 4, 8);
  matched = basin_figure_new_neuron_maps (&plane, &map_a, &map_b, matching, 0, 3);
  panel_a = basin_figure_get_panel (matched, 0);
  panel_b = basin_figure_get_panel (matched, 1);

  g_assert_cmpuint (panel_a->images->len, ==, 3);
  g_assert_cmpuint (panel_b->images->len, ==, 3);
  g_assert_cmpstr (panel_b->title, ==, "Run B (matched to A)");
  image = g_ptr_array_index (panel_b->images, 0);
  g_assert_cmpstr (image->label, ==, "B 1");
  g_assert_cmpfloat (image->values[0], ==, map_b.values[1 * 64]);
  g_assert_false (image->highlighted);
  image = g_ptr_array_index (panel_b->images, 2);
  g_assert_cmpstr (image->label, ==, "B 2");
  g_assert_true (image->highlighted);
  image = g_ptr_array_index (panel_a->images, 2);
  g_assert_cmpstr (image->label, ==, "A 2");
  g_assert_true (image->highlighted);
  g_assert_nonnull (panel_b->colorbar_label);
  g_assert_cmpuint (panel_b->legend->len, ==, 1);
  g_assert_nonnull (strstr (basin_figure_get_caption (matched), "first 3 of 4"));

  surface = render_figure (matched, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);

  unmatched = basin_figure_new_neuron_maps (&plane, &map_a, &map_b, NULL, 0, 0);
  panel_b = basin_figure_get_panel (unmatched, 1);
  g_assert_cmpuint (panel_b->images->len, ==, 4);
  g_assert_cmpstr (panel_b->title, ==, "Run B");
  image = g_ptr_array_index (panel_b->images, 0);
  g_assert_cmpstr (image->label, ==, "B 0");
  g_assert_false (image->highlighted);
  g_assert_cmpuint (panel_b->legend->len, ==, 0);

  g_free (map_a.values);
  g_free (map_b.values);
  free_matching (matching);
}

static void
test_session_neuron_maps_mismatched (void)
{
  g_autoptr(BasinFigure) figure = NULL;
  BasinInputPlane plane;
  BasinNeuronMap map_a, map_b;

  make_maps (&plane, &map_a, &map_b, 4, 8);
  map_b.n_neurons = 3;
  figure = basin_figure_new_neuron_maps (&plane, &map_a, &map_b, NULL, 0, 0);
  g_assert_nonnull (basin_figure_get_message (figure));

  g_free (map_a.values);
  g_free (map_b.values);
}

static void
test_session_neurons_from_network (void)
{
  BasinMlpConfig config = { 0 };
  g_autoptr(GError) error = NULL;
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  g_autoptr(BasinFigure) bad_layer = NULL;
  cairo_surface_t *surface;

  config.input_dim = 2;
  config.output_dim = 2;
  config.depth = 1;
  config.width = 4;
  config.activation = BASIN_ACTIVATION_RELU;
  config.variant = BASIN_VARIANT_STANDARD;
  config.mask_seed = 7;

  session->test = basin_dataset_new_moons (60, 0.1, 3);
  session->runs[0] = basin_mlp_new (&config, 1, &error);
  g_assert_no_error (error);
  session->runs[1] = basin_mlp_new (&config, 2, &error);
  g_assert_no_error (error);

  figure = basin_figure_new_neurons (session, 0, 0, 16);
  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpuint (basin_figure_get_n_panels (figure), ==, 2);
  g_assert_cmpuint (basin_figure_get_panel (figure, 0)->images->len, ==, 4);
  g_assert_cmpuint (basin_figure_get_panel (figure, 1)->images->len, ==, 4);
  surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);

  bad_layer = basin_figure_new_neurons (session, 5, 0, 16);
  g_assert_nonnull (basin_figure_get_message (bad_layer));

  basin_mlp_free (session->runs[0]);
  basin_mlp_free (session->runs[1]);
  basin_dataset_free (session->test);
  g_free (session);
}

static void
test_export_format_from_path (void)
{
  BasinExportFormat format;

  g_assert_true (basin_export_format_from_path ("figure.svg", &format));
  g_assert_cmpint (format, ==, BASIN_EXPORT_SVG);
  g_assert_true (basin_export_format_from_path ("FIGURE.PNG", &format));
  g_assert_cmpint (format, ==, BASIN_EXPORT_PNG);
  g_assert_true (basin_export_format_from_path ("dir.png/figure.pdf", &format));
  g_assert_cmpint (format, ==, BASIN_EXPORT_PDF);
  g_assert_false (basin_export_format_from_path ("figure.bmp", &format));
  g_assert_false (basin_export_format_from_path ("figure", &format));
  g_assert_false (basin_export_format_from_path ("dir.svg/figure", &format));
}

static void
assert_file_starts_with (const char *path,
                         const char *magic,
                         gsize       length)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, >=, length);
  g_assert_cmpmem (contents, length, magic, length);
}

static guint32
png_width (const char *path)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  const guint8 *bytes;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 24);
  bytes = (const guint8 *) contents;

  /* The IHDR chunk stores the width big-endian at offset 16. */
  return ((guint32) bytes[16] << 24) | ((guint32) bytes[17] << 16) |
         ((guint32) bytes[18] << 8) | bytes[19];
}

static void
test_export_magic_bytes (void)
{
  g_autoptr(BasinFigure) figure = make_matrix_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *svg = g_build_filename (dir, "figure.svg", NULL);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "figure.pdf", NULL);
  g_autofree char *svg_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (basin_figure_export (figure, svg, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);
  g_assert_true (basin_figure_export (figure, png, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);
  g_assert_true (basin_figure_export (figure, pdf, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);

  svg_text = read_file (svg);
  g_assert_true (g_str_has_prefix (svg_text, "<?xml") || g_str_has_prefix (svg_text, "<svg"));
  g_assert_nonnull (strstr (svg_text, "<svg"));
  assert_file_starts_with (png, "\x89PNG\r\n\x1a\n", 8);
  assert_file_starts_with (pdf, "%PDF", 4);
  g_assert_cmpuint (png_width (png), ==, 2 * WIDTH);

  /* Only the three figures, no temporary files. */
  g_assert_cmpuint (count_dir_entries (dir), ==, 3);
  remove_dir (dir);
}

static void
test_export_replaces_file (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (png, "old contents", -1, NULL));
  g_assert_true (basin_figure_export (figure, png, 320, 240, &error));
  g_assert_no_error (error);
  assert_file_starts_with (png, "\x89PNG", 4);
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);

  remove_dir (dir);
}

static void
test_export_unknown_extension (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *bmp = g_build_filename (dir, "figure.bmp", NULL);
  g_autofree char *bare = g_build_filename (dir, "figure", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (basin_figure_export (figure, bmp, WIDTH, HEIGHT, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“.bmp”"));
  g_assert_nonnull (strstr (error->message, ".svg"));
  g_clear_error (&error);

  g_assert_false (basin_figure_export (figure, bare, WIDTH, HEIGHT, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);

  g_assert_cmpuint (count_dir_entries (dir), ==, 0);
  remove_dir (dir);
}

static void
test_export_unwritable_path (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "missing", "figure.svg", NULL);
  g_autofree char *csv = g_build_filename (dir, "missing", "figure.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (basin_figure_export (figure, path, WIDTH, HEIGHT, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "figure.svg"));
  g_clear_error (&error);

  g_assert_false (basin_figure_export_csv (figure, csv, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_IO);

  remove_dir (dir);
}

static void
test_export_invalid_size (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (basin_figure_export (figure, path, 0.0, HEIGHT, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (basin_figure_export (figure, path, WIDTH, 1e6, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);

  g_assert_cmpuint (count_dir_entries (dir), ==, 0);
  remove_dir (dir);
}

static void
test_csv_lines (void)
{
  g_autoptr(BasinFigure) figure = make_line_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "figure.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (basin_figure_export_csv (figure, path, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  g_assert_cmpstr (contents, ==,
                   "panel,series,x,y\n"
                   "panel,\"flat, with a comma\",0,0.5\n"
                   "panel,\"flat, with a comma\",0.5,0.5\n"
                   "panel,\"flat, with a comma\",1,0.5\n");

  remove_dir (dir);
}

static void
test_csv_matrix (void)
{
  g_autoptr(BasinFigure) figure = make_matrix_figure ();
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "figure.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (basin_figure_export_csv (figure, path, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  g_assert_cmpstr (contents, ==,
                   "panel,image,row,col,x,y,value,marked\n"
                   "Matrix,image 1,0,0,0,0,1,0\n"
                   "Matrix,image 1,0,1,1,0,-1,1\n"
                   "Matrix,image 1,1,0,0,1,0,0\n"
                   "Matrix,image 1,1,1,1,1,0.5,0\n");

  remove_dir (dir);
}

static void
test_csv_message_figure (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = basin_figure_new_merge_path (session);
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "figure.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (basin_figure_export_csv (figure, path, &error));
  g_assert_no_error (error);
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "panel,series,x,y\n");

  remove_dir (dir);
  g_free (session);
}

/* Pixels of the hatched background of values not computed yet: neutral
 * grey between the line and the background colour. */
static gboolean
pixel_is_hatch (Pixel pixel)
{
  return abs (pixel.r - pixel.g) <= 2 && abs (pixel.g - pixel.b) <= 2 &&
         pixel.r >= 0xbd - 2 && pixel.r <= 0xed + 2;
}

static gboolean
pixel_near (Pixel   pixel,
            guint32 hex,
            int     tolerance)
{
  return abs (pixel.r - (int) ((hex >> 16) & 0xff)) <= tolerance &&
         abs (pixel.g - (int) ((hex >> 8) & 0xff)) <= tolerance &&
         abs (pixel.b - (int) (hex & 0xff)) <= tolerance;
}

static gboolean
pixel_near_rgb (Pixel    pixel,
                BasinRgb rgb,
                int      tolerance)
{
  return abs (pixel.r - (int) lround (255 * rgb.r)) <= tolerance &&
         abs (pixel.g - (int) lround (255 * rgb.g)) <= tolerance &&
         abs (pixel.b - (int) lround (255 * rgb.b)) <= tolerance;
}

static double
pixel_luminance (Pixel pixel)
{
  return relative_luminance ((BasinRgb) { pixel.r / 255.0, pixel.g / 255.0, pixel.b / 255.0 });
}

static gboolean
legend_has_label (const BasinPanel *panel,
                  const char       *text)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);

  for (guint i = 0; i < legend->len; i++)
    {
      const BasinLegendEntry *entry = g_ptr_array_index (legend, i);

      if (strstr (entry->label, text) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Swap costs of 4 neurons, with s = median R_ii = 1 and one pair in each
 * class: Δ01 = 9 and Δ13 = 1 and Δ23 = 4 expensive, Δ02 = 0.05 cheap,
 * Δ03 = −0.64 negative, Δ12 = +∞ unreachable. */
static BasinSwapCosts *
make_swap_costs (gboolean with_unreachable)
{
  const double upper[4][4] = {
    { 0.0, 9.0, 0.05, -0.64 },
    { 0.0, 0.0, INFINITY, 1.0 },
    { 0.0, 0.0, 0.0, 4.0 },
    { 0.0, 0.0, 0.0, 0.0 },
  };
  BasinSwapCosts *costs = g_new0 (BasinSwapCosts, 1);
  guint m = 4;

  costs->layer = 1;
  costs->width = m;
  costs->dim = 8;
  costs->k = 2;
  costs->explained = 0.93;
  costs->coherence = 0.75;
  costs->realization = g_new (double, m * m);
  costs->swap = g_new (double, m * m);
  costs->infeasible = g_new0 (guint8, m * m);

  for (guint i = 0; i < m; i++)
    for (guint j = 0; j < m; j++)
      {
        double delta = i <= j ? upper[i][j] : upper[j][i];

        if (isinf (delta) && !with_unreachable)
          delta = 2.25;
        costs->swap[i * m + j] = delta;
        costs->realization[i * m + j] = i == j ? 1.0 : 2.0;
        costs->infeasible[i * m + j] = isinf (delta);
        costs->n_infeasible += isinf (delta);
      }

  return costs;
}

static Pixel
matrix_cell_pixel (cairo_surface_t         *surface,
                   const cairo_rectangle_t *area,
                   guint                    n,
                   guint                    row,
                   guint                    col)
{
  double size = area->width / n;

  return pixel_at (surface, area->x + (col + 0.5) * size, area->y + (row + 0.5) * size);
}

/* The darkest of the three pixels from @x on, the width of an outline. */
static Pixel
darkest_pixel_right_of (cairo_surface_t *surface,
                        double           x,
                        double           y)
{
  Pixel darkest = pixel_at (surface, x, y);

  for (guint i = 1; i < 3; i++)
    {
      Pixel pixel = pixel_at (surface, x + i, y);

      if (pixel.r + pixel.g + pixel.b < darkest.r + darkest.g + darkest.b)
        darkest = pixel;
    }

  return darkest;
}

static void
test_colormap_classes (void)
{
  BasinColorStop stops[BASIN_CLASSES_MAX_STOPS];
  BasinRgb small, large, larger, negative, more_negative;
  guint n;

  assert_rgb_near (basin_colormap_classes_lookup (0.2, 0.5, -2.0, 4.0), BASIN_CLASSES_NEUTRAL_RGB, 1e-9);
  assert_rgb_near (basin_colormap_classes_lookup (-0.5, 0.5, -2.0, 4.0), BASIN_CLASSES_NEUTRAL_RGB, 1e-9);
  assert_rgb_near (basin_colormap_classes_lookup (INFINITY, 0.5, -2.0, 4.0), BASIN_CLASSES_INFINITE_RGB, 1e-9);
  assert_rgb_near (basin_colormap_classes_lookup (4.0, 0.5, -2.0, 4.0), 0x800026, 1e-9);
  assert_rgb_near (basin_colormap_classes_lookup (-2.0, 0.5, -2.0, 4.0), 0x08519c, 1e-9);

  /* Warm shades darken with the value, blue ones with the magnitude. */
  small = basin_colormap_classes_lookup (0.6, 0.5, -2.0, 4.0);
  large = basin_colormap_classes_lookup (2.0, 0.5, -2.0, 4.0);
  larger = basin_colormap_classes_lookup (3.5, 0.5, -2.0, 4.0);
  g_assert_cmpfloat (relative_luminance (small), >, relative_luminance (large));
  g_assert_cmpfloat (relative_luminance (large), >, relative_luminance (larger));
  g_assert_cmpfloat (small.r, >, small.b + 0.3);
  negative = basin_colormap_classes_lookup (-0.6, 0.5, -2.0, 4.0);
  more_negative = basin_colormap_classes_lookup (-1.8, 0.5, -2.0, 4.0);
  g_assert_cmpfloat (relative_luminance (negative), >, relative_luminance (more_negative));
  g_assert_cmpfloat (negative.b, >, negative.r + 0.2);

  /* The bar from −2 to 4 has its neutral band from 1/4 to 5/12. */
  n = basin_colormap_classes_stops (0.5, -2.0, 4.0, stops, G_N_ELEMENTS (stops));
  g_assert_cmpuint (n, <=, BASIN_CLASSES_MAX_STOPS);
  g_assert_cmpfloat (stops[0].position, ==, 0.0);
  g_assert_cmpfloat (stops[n - 1].position, ==, 1.0);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (stops[i].position, >=, stops[i - 1].position);
  for (guint i = 0; i < n; i++)
    if (fabs (stops[i].position - 0.25) < 1e-12 && stops[i].color.r > 0.9)
      assert_rgb_near (stops[i].color, BASIN_CLASSES_NEUTRAL_RGB, 1e-9);
}

static void
test_axis_log_range (void)
{
  BasinAxis axis;

  basin_axis_init_log_range (&axis, 0.05, 2.3, 6);
  g_assert_true (axis.log);
  g_assert_cmpfloat (axis.min, ==, 0.05);
  g_assert_cmpfloat (axis.max, ==, 2.3);
  g_assert_cmpuint (axis.n_ticks, >=, 3);
  g_assert_cmpuint (axis.n_ticks, <=, 8);
  for (guint i = 0; i < axis.n_ticks; i++)
    {
      g_assert_cmpfloat (axis.ticks[i], >=, 0.05);
      g_assert_cmpfloat (axis.ticks[i], <=, 2.3);
    }
  g_assert_cmpfloat_with_epsilon (basin_axis_fraction (&axis, 0.05), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (basin_axis_fraction (&axis, 2.3), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (basin_axis_fraction (&axis, sqrt (0.05 * 2.3)), 0.5, 1e-12);

  /* Six decades keep only the powers of ten. */
  basin_axis_init_log_range (&axis, 1e-4, 100.0, 4);
  g_assert_cmpuint (axis.n_ticks, ==, 7);
  g_assert_cmpstr (axis.labels[4], ==, "1");

  /* Too short for round mantissas: linear ticks on a logarithmic axis. */
  basin_axis_init_log_range (&axis, 0.31, 0.39, 4);
  g_assert_true (axis.log);
  g_assert_cmpuint (axis.n_ticks, >=, 2);
  g_assert_cmpfloat (axis.ticks[0], >=, 0.31);
}

static gboolean
is_round (double value)
{
  double scaled = value / pow (10.0, floor (log10 (value)));

  return fabs (10.0 * scaled - nearbyint (10.0 * scaled)) < 1e-9;
}

static void
test_contour_levels (void)
{
  double levels[32];
  guint n;

  n = basin_contour_levels (0.1, 2.1, FALSE, 9, levels, G_N_ELEMENTS (levels));
  g_assert_cmpuint (n, >=, 8);
  g_assert_cmpuint (n, <=, 10);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (levels[i], >, 0.1);
      g_assert_cmpfloat (levels[i], <, 2.1);
      if (i > 0)
        g_assert_cmpfloat_with_epsilon (levels[i] - levels[i - 1], levels[1] - levels[0], 1e-12);
    }
  g_assert_true (is_round (levels[1] - levels[0]));

  n = basin_contour_levels (0.02, 5.0, TRUE, 9, levels, G_N_ELEMENTS (levels));
  g_assert_cmpuint (n, >=, 8);
  g_assert_cmpuint (n, <=, 10);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (levels[i], >, 0.02);
      g_assert_cmpfloat (levels[i], <, 5.0);
      g_assert_true (is_round (levels[i]));
      if (i > 0)
        g_assert_cmpfloat (levels[i], >, levels[i - 1]);
    }

  g_assert_cmpuint (basin_contour_levels (1.0, 1.0, FALSE, 9, levels, G_N_ELEMENTS (levels)), ==, 0);
  g_assert_cmpuint (basin_contour_levels (NAN, 1.0, FALSE, 9, levels, G_N_ELEMENTS (levels)), ==, 0);
}

/* f(x, y) = x² + y² on a 41 × 41 grid over [−1, 1]². */
static double *
make_bowl (double *x,
           double *y,
           guint   n)
{
  double *values = g_new (double, n * n);

  for (guint i = 0; i < n; i++)
    x[i] = y[i] = -1.0 + 2.0 * i / (n - 1);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      values[r * n + c] = x[c] * x[c] + y[r] * y[r];

  return values;
}

static void
test_contour_bowl (void)
{
  double x[41], y[41];
  g_autofree double *values = make_bowl (x, y, 41);
  g_autoptr(GPtrArray) circle = NULL;
  g_autoptr(GPtrArray) corners = NULL;
  const BasinContourLine *line;

  /* Level 0.5: one closed circle of radius √0.5.  Interpolating x² + y²
   * linearly between grid points 0.05 apart is off by at most 0.05²/4. */
  circle = basin_contour_lines (values, 41, 41, x, y, 0.5);
  g_assert_cmpuint (circle->len, ==, 1);
  line = g_ptr_array_index (circle, 0);
  g_assert_true (line->closed);
  g_assert_cmpuint (line->points->len / 2, >, 40);
  for (guint p = 0; p < line->points->len / 2; p++)
    {
      double px = g_array_index (line->points, double, 2 * p);
      double py = g_array_index (line->points, double, 2 * p + 1);

      g_assert_cmpfloat_with_epsilon (px * px + py * py, 0.5, 0.05 * 0.05 / 4.0 + 1e-12);
    }

  /* Level 1.5 cuts off the four corners: four open arcs. */
  corners = basin_contour_lines (values, 41, 41, x, y, 1.5);
  g_assert_cmpuint (corners->len, ==, 4);
  for (guint i = 0; i < corners->len; i++)
    {
      line = g_ptr_array_index (corners, i);
      g_assert_false (line->closed);
    }

  /* A NaN corner removes the cells around it but keeps the rest. */
  values[20 * 41 + 34] = NAN;
  g_ptr_array_unref (circle);
  circle = basin_contour_lines (values, 41, 41, x, y, 0.5);
  g_assert_cmpuint (circle->len, ==, 1);
  line = g_ptr_array_index (circle, 0);
  g_assert_false (line->closed);
}

static void
test_figure_swap_cost_classes (void)
{
  BasinSwapCosts *costs = make_swap_costs (TRUE);
  g_autoptr(BasinFigure) figure = basin_figure_new_swap_costs (costs, "A");
  const BasinPanel *panel = basin_figure_get_panel (figure, 0);
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  Pixel expensive, cheaper, cheap, negative, unreachable, diagonal, diagonal_edge;

  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpstr (basin_figure_get_title (figure), ==, "Swap costs of run A, hidden layer 2");
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "Δ_ij = R_ij + R_ji − R_ii − R_jj"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "sign(Δ)·√|Δ|"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "k = 2"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "93.0 %"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "ν(U) = 0.750"));

  /* Of 6 pairs: 4 expensive (one of them +∞), 1 cheap, 1 negative. */
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "66.7 % expensive (16.7 % unreachable)"));
  g_assert_true (legend_has_label (panel, "expensive"));
  g_assert_true (legend_has_label (panel, "cheap, |Δ| ≤ 0.1 s (16.7 %)"));
  g_assert_true (legend_has_label (panel, "negative"));
  g_assert_true (legend_has_label (panel, "unreachable"));
  g_assert_cmpint (panel->colormap, ==, BASIN_COLORMAP_CLASSES);
  g_assert_cmpfloat_with_epsilon (panel->neutral_band, sqrt (0.1), 1e-12);
  g_assert_cmpfloat_with_epsilon (panel->color_max, 3.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (panel->color_min, -0.8, 1e-6);

  surface = render_figure (figure, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  expensive = matrix_cell_pixel (surface, &area, 4, 0, 1);
  cheaper = matrix_cell_pixel (surface, &area, 4, 1, 3);
  cheap = matrix_cell_pixel (surface, &area, 4, 2, 0);
  negative = matrix_cell_pixel (surface, &area, 4, 3, 0);
  unreachable = matrix_cell_pixel (surface, &area, 4, 2, 1);
  diagonal = matrix_cell_pixel (surface, &area, 4, 1, 1);
  diagonal_edge = darkest_pixel_right_of (surface, area.x + area.width / 4.0, area.y + area.width * 1.5 / 4.0);

  g_assert_true (pixel_near (expensive, 0x800026, 3));
  g_assert_cmpint (cheaper.r, >, cheaper.b + 80);
  g_assert_cmpfloat (pixel_luminance (cheaper), >, pixel_luminance (expensive));
  g_assert_true (pixel_near (cheap, BASIN_CLASSES_NEUTRAL_RGB, 3));
  g_assert_true (pixel_near (negative, 0x08519c, 3));
  g_assert_true (pixel_near (unreachable, BASIN_CLASSES_INFINITE_RGB, 3));
  g_assert_true (pixel_near (diagonal, BASIN_CLASSES_NEUTRAL_RGB, 3));
  g_assert_cmpint (diagonal_edge.r + diagonal_edge.g + diagonal_edge.b, <, 90);

  cairo_surface_destroy (surface);
  basin_swap_costs_free (costs);
}

static void
test_figure_swap_cost_missing (void)
{
  BasinSwapCosts *costs = make_swap_costs (FALSE);
  g_autoptr(BasinFigure) figure = basin_figure_new_swap_costs (costs, NULL);
  g_autoptr(BasinFigure) missing = basin_figure_new_swap_costs (NULL, "B");
  g_autoptr(BasinFigure) single = NULL;
  cairo_surface_t *surface;

  /* Without unreachable pairs there is no legend entry for them. */
  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpstr (basin_figure_get_title (figure), ==, "Swap costs, hidden layer 2");
  g_assert_false (legend_has_label (basin_figure_get_panel (figure, 0), "unreachable"));

  g_assert_nonnull (basin_figure_get_message (missing));
  g_assert_cmpuint (basin_figure_get_n_panels (missing), ==, 0);
  surface = render_figure (missing, WIDTH, HEIGHT);
  g_assert_true (center_band_has_ink (surface));
  cairo_surface_destroy (surface);

  costs->width = 1;
  single = basin_figure_new_swap_costs (costs, "A");
  g_assert_nonnull (basin_figure_get_message (single));
  costs->width = 4;

  basin_swap_costs_free (costs);
}

/* A landscape of loss 0.1 + x² + y² on an n × n grid over
 * [−1, 2] × [−1, 1], computed every stride-th point as after the first
 * levels of a coarse-to-fine evaluation. */
static BasinLandscape *
make_landscape (guint    n,
                guint    stride,
                gboolean with_markers)
{
  BasinLandscape *landscape = g_new0 (BasinLandscape, 1);

  landscape->kind = BASIN_PLANE_MODELS;
  landscape->x_label = g_strdup ("distance from A");
  landscape->y_label = g_strdup ("distance towards π(B)");
  landscape->equal_aspect = TRUE;
  landscape->n_x = landscape->n_y = n;
  landscape->x_min = -1.0;
  landscape->x_max = 2.0;
  landscape->y_min = -1.0;
  landscape->y_max = 1.0;
  landscape->x = g_new (double, n);
  landscape->y = g_new (double, n);
  landscape->loss = g_new (double, n * n);
  landscape->accuracy = g_new (double, n * n);
  landscape->level = g_new0 (guint8, n * n);
  landscape->coarse_stride = 4;
  landscape->n_levels = 3;
  landscape->levels_done = 3;
  if (stride == 2)
    landscape->levels_done = 2;
  else if (stride == 4)
    landscape->levels_done = 1;
  landscape->loss_min = landscape->loss_max = NAN;

  for (guint i = 0; i < n; i++)
    {
      landscape->x[i] = -1.0 + 3.0 * i / (n - 1);
      landscape->y[i] = -1.0 + 2.0 * i / (n - 1);
    }

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      {
        gboolean computed = r % stride == 0 && c % stride == 0;
        double x = landscape->x[c], y = landscape->y[r];

        landscape->loss[r * n + c] = computed ? 0.1 + x * x + y * y : NAN;
        landscape->accuracy[r * n + c] = computed ? 0.9 : NAN;
        landscape->level[r * n + c] = computed;
        landscape->n_computed += computed;
      }

  if (with_markers)
    {
      landscape->n_markers = 3;
      landscape->markers = g_new0 (BasinLandscapeMarker, 3);
      landscape->markers[0] = (BasinLandscapeMarker) { g_strdup ("A"), 0.0, 0.0, 0.1, 0.99 };
      landscape->markers[1] = (BasinLandscapeMarker) { g_strdup ("B"), 1.5, 0.0, 2.35, 0.5 };
      landscape->markers[2] = (BasinLandscapeMarker) { g_strdup ("π(B)"), 0.5, 0.6, 0.71, 0.9 };
      landscape->n_segments = 2;
      landscape->segments = g_new0 (BasinLandscapeSegment, 2);
      landscape->segments[0] = (BasinLandscapeSegment) { g_strdup ("Unaligned path"), 0, 1 };
      landscape->segments[1] = (BasinLandscapeSegment) { g_strdup ("Aligned path"), 0, 2 };
    }

  landscape->dataset_name = g_strdup ("moons");
  landscape->n_available = 300;
  landscape->n_samples = 200;
  landscape->elapsed = 1.5;

  return landscape;
}

static void
map_to_plot (const BasinLandscape    *landscape,
             const cairo_rectangle_t *area,
             double                   x,
             double                   y,
             double                  *px,
             double                  *py)
{
  *px = area->x + area->width * (x - landscape->x_min) / (landscape->x_max - landscape->x_min);
  *py = area->y + area->height * (1.0 - (y - landscape->y_min) / (landscape->y_max - landscape->y_min));
}

static Pixel
grid_pixel (cairo_surface_t         *surface,
            const BasinLandscape    *landscape,
            const cairo_rectangle_t *area,
            guint                    col,
            guint                    row)
{
  double px, py;

  map_to_plot (landscape, area, landscape->x[col], landscape->y[row], &px, &py);

  return pixel_at (surface, px, py);
}

static guint
count_hatch_pixels (cairo_surface_t         *surface,
                    const cairo_rectangle_t *area)
{
  guint count = 0;

  for (int y = (int) ceil (area->y) + 1; y < (int) (area->y + area->height) - 1; y++)
    for (int x = (int) ceil (area->x) + 1; x < (int) (area->x + area->width) - 1; x++)
      count += pixel_is_hatch (pixel_at (surface, x, y));

  return count;
}

static void
test_figure_landscape_coarse_blocks (void)
{
  BasinLandscape *landscape = make_landscape (21, 4, FALSE);
  g_autoptr(BasinFigure) figure = basin_figure_new_landscape (landscape, FALSE);
  BasinPanel *panel = basin_figure_get_panel (figure, 0);
  double min = INFINITY, max = -INFINITY;
  cairo_surface_t *surface;
  cairo_rectangle_t area;
  Pixel computed, neighbour;

  /* The colour scale spans the computed values, here x² + y² nearest 0
   * at (0.2, ±0.2) and largest at (2, ±1). */
  for (guint i = 0; i < 21 * 21; i++)
    if (isfinite (landscape->loss[i]))
      {
        min = MIN (min, landscape->loss[i]);
        max = MAX (max, landscape->loss[i]);
      }
  g_assert_cmpfloat_with_epsilon (min, 0.18, 1e-12);
  g_assert_cmpfloat_with_epsilon (max, 5.1, 1e-12);

  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpint (panel->kind, ==, BASIN_PANEL_CONTOUR);
  g_assert_cmpuint (panel->grid_stride, ==, 4);
  g_assert_false (legend_has_label (panel, "not computed"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "level 1 of 3"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "200 of the 300 samples of “moons”"));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "21 × 21"));
  g_assert_cmpfloat_with_epsilon (panel->color_min, min, 1e-6);
  g_assert_cmpfloat_with_epsilon (panel->color_max, max, 1e-6);

  /* Without contour lines only the blocks are left: every cell shows the
   * computed sample nearest to it, so nothing is hatched. */
  basin_panel_set_contours (panel, 0);
  surface = render_figure (figure, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpuint (count_hatch_pixels (surface, &area), ==, 0);

  computed = grid_pixel (surface, landscape, &area, 4, 16);
  g_assert_true (pixel_near_rgb (computed,
                                 basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS,
                                                        (landscape->loss[16 * 21 + 4] - min) / (max - min)),
                                 2));
  for (guint c = 3; c <= 5; c++)
    for (guint r = 15; r <= 17; r++)
      {
        neighbour = grid_pixel (surface, landscape, &area, c, r);
        g_assert_true (pixel_near (neighbour, (computed.r << 16) | (computed.g << 8) | computed.b, 1));
      }

  /* Cell (6, 16) is halfway between columns 4 and 8 and takes column 8. */
  neighbour = grid_pixel (surface, landscape, &area, 6, 16);
  g_assert_false (pixel_near (neighbour, (computed.r << 16) | (computed.g << 8) | computed.b, 1));

  cairo_surface_destroy (surface);
  basin_landscape_free (landscape);
}

static void
test_figure_landscape_not_computed (void)
{
  BasinLandscape *landscape = make_landscape (21, 1, FALSE);
  g_autoptr(BasinFigure) complete = basin_figure_new_landscape (landscape, FALSE);
  g_autoptr(BasinFigure) holed = NULL;
  BasinPanel *panel;
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  g_assert_false (legend_has_label (basin_figure_get_panel (complete, 0), "not computed"));

  /* Cells 15 to 20 of rows 0 to 5 are missing in a complete grid, as
   * after a cancelled level. */
  for (guint r = 0; r <= 5; r++)
    for (guint c = 15; c <= 20; c++)
      landscape->loss[r * 21 + c] = NAN;

  holed = basin_figure_new_landscape (landscape, FALSE);
  panel = basin_figure_get_panel (holed, 0);
  g_assert_cmpuint (panel->grid_stride, ==, 1);
  g_assert_true (legend_has_label (panel, "not computed yet"));
  g_assert_nonnull (strstr (basin_figure_get_caption (holed), "Hatched"));

  basin_panel_set_contours (panel, 0);
  surface = render_figure (holed, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (holed, 0, WIDTH, HEIGHT, &area));
  g_assert_true (pixel_is_hatch (grid_pixel (surface, landscape, &area, 18, 2)));
  g_assert_true (pixel_is_hatch (grid_pixel (surface, landscape, &area, 16, 4)));
  g_assert_false (pixel_is_hatch (grid_pixel (surface, landscape, &area, 12, 2)));
  g_assert_false (pixel_is_hatch (grid_pixel (surface, landscape, &area, 18, 8)));
  g_assert_cmpuint (count_hatch_pixels (surface, &area), >, 100);

  cairo_surface_destroy (surface);
  basin_landscape_free (landscape);
}

static void
test_figure_landscape_contours (void)
{
  BasinLandscape *landscape = make_landscape (41, 1, FALSE);
  g_autoptr(BasinFigure) figure = basin_figure_new_landscape (landscape, FALSE);
  BasinPanel *panel = basin_figure_get_panel (figure, 0);
  cairo_surface_t *with_lines, *without_lines;
  cairo_rectangle_t area;
  guint changed = 0, white = 0, dark = 0;

  g_assert_cmpuint (panel->n_contours, >=, 8);
  with_lines = render_figure (figure, WIDTH, HEIGHT);
  basin_panel_set_contours (panel, 0);
  without_lines = render_figure (figure, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));

  /* Lines are white where the map is dark and near black where it is
   * light, so the bowl gets both. */
  for (int y = (int) area.y + 2; y < (int) (area.y + area.height) - 2; y++)
    for (int x = (int) area.x + 2; x < (int) (area.x + area.width) - 2; x++)
      {
        Pixel a = pixel_at (with_lines, x, y);
        Pixel b = pixel_at (without_lines, x, y);

        if (a.r == b.r && a.g == b.g && a.b == b.b)
          continue;
        changed++;
        white += a.r > 225 && a.g > 225 && a.b > 225;
        dark += a.r + a.g + a.b < 120;
      }

  g_assert_cmpuint (changed, >, 1000);
  g_assert_cmpuint (white, >, 50);
  g_assert_cmpuint (dark, >, 50);

  cairo_surface_destroy (with_lines);
  cairo_surface_destroy (without_lines);
  basin_landscape_free (landscape);
}

static void
test_figure_landscape_markers (void)
{
  BasinLandscape *landscape = make_landscape (21, 1, TRUE);
  g_autoptr(BasinFigure) figure = basin_figure_new_landscape (landscape, TRUE);
  const BasinPanel *panel = basin_figure_get_panel (figure, 0);
  cairo_surface_t *surface = render_figure (figure, WIDTH, HEIGHT);
  static const guint colors[] = { 1, 5, 4 };
  cairo_rectangle_t area;
  guint n_white = 0, n_black = 0;

  g_assert_true (panel->color_log);
  g_assert_cmpstr (panel->colorbar_label, ==, "test loss (logarithmic scale)");
  g_assert_cmpuint (panel->markers->len, ==, 3);
  g_assert_cmpuint (panel->segments->len, ==, 2);
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "π(B): loss 0.71"));

  /* Equal units on both axes: 3 wide by 2 high. */
  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  g_assert_cmpfloat_with_epsilon (area.width / area.height, 1.5, 1e-6);

  for (guint i = 0; i < 3; i++)
    {
      double px, py;

      map_to_plot (landscape, &area, landscape->markers[i].x, landscape->markers[i].y, &px, &py);
      g_assert_true (pixel_near_rgb (pixel_at (surface, px, py), basin_palette_color (colors[i]), 10));
    }

  /* The segment from A to B is a black line with white dashes: along it,
   * the pixel rows next to its centre line are white or black. */
  for (double t = 0.3; t <= 0.7; t += 0.005)
    {
      gboolean white = FALSE, black = FALSE;
      double px, py;

      map_to_plot (landscape, &area, 1.5 * t, 0.0, &px, &py);
      for (int dy = -1; dy <= 1; dy++)
        {
          Pixel pixel = pixel_at (surface, px, py + dy);

          /* A dash 1.2 units wide may straddle two rows of pixels. */
          white |= pixel.r > 170 && pixel.r == pixel.g && pixel.g == pixel.b;
          black |= pixel.r + pixel.g + pixel.b < 60;
        }
      n_white += white;
      n_black += black;
    }
  g_assert_cmpuint (n_white, >, 5);
  g_assert_cmpuint (n_black, >, 5);

  cairo_surface_destroy (surface);
  basin_landscape_free (landscape);
}

static void
test_figure_landscape_missing (void)
{
  BasinLandscape *landscape = make_landscape (9, 4, TRUE);
  g_autoptr(BasinFigure) none = basin_figure_new_landscape (NULL, FALSE);
  g_autoptr(BasinFigure) empty = NULL;

  g_assert_nonnull (basin_figure_get_message (none));

  for (guint i = 0; i < 81; i++)
    landscape->loss[i] = NAN;
  empty = basin_figure_new_landscape (landscape, TRUE);
  g_assert_nonnull (basin_figure_get_message (empty));
  g_assert_cmpuint (basin_figure_get_n_panels (empty), ==, 0);

  basin_landscape_free (landscape);
}

static void
landscape_level_cb (const BasinLandscape         *landscape,
                    const BasinLandscapeProgress *progress,
                    gpointer                      user_data)
{
  guint *n_levels = user_data;
  g_autoptr(BasinFigure) figure = basin_figure_new_landscape (landscape, TRUE);
  const BasinPanel *panel = basin_figure_get_panel (figure, 0);
  cairo_surface_t *surface;

  g_assert_null (basin_figure_get_message (figure));
  g_assert_cmpuint (panel->grid_stride, ==, 4u >> (progress->level - 1));
  g_assert_false (legend_has_label (panel, "not computed"));
  surface = render_figure (figure, WIDTH, HEIGHT);
  cairo_surface_destroy (surface);
  (*n_levels)++;
}

static void
test_figure_landscape_from_networks (void)
{
  BasinMlpConfig config = { 0 };
  BasinLandscapeOptions options;
  g_autoptr(GError) error = NULL;
  BasinDataset *data = basin_dataset_new_moons (120, 0.1, 3);
  g_autoptr(BasinPlane) plane = NULL;
  g_autoptr(BasinLandscape) landscape = NULL;
  BasinMlp *runs[3];
  guint n_levels = 0;

  config.input_dim = 2;
  config.output_dim = 2;
  config.depth = 2;
  config.width = 6;
  config.activation = BASIN_ACTIVATION_RELU;
  config.variant = BASIN_VARIANT_STANDARD;
  config.mask_seed = 7;
  for (guint i = 0; i < 3; i++)
    {
      runs[i] = basin_mlp_new (&config, i + 1, &error);
      g_assert_no_error (error);
    }

  plane = basin_plane_new_models (runs[0], runs[1], runs[2], 5, &error);
  g_assert_no_error (error);
  basin_landscape_options_init_default (&options);
  options.n_x = options.n_y = 9;
  options.n_workers = 1;
  landscape = basin_landscape_new (plane, data, &options, &error);
  g_assert_no_error (error);
  g_assert_true (basin_landscape_evaluate (landscape, plane, data, landscape_level_cb, &n_levels,
                                           NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_levels, ==, 3);

  for (guint i = 0; i < 3; i++)
    basin_mlp_free (runs[i]);
  basin_dataset_free (data);
}

static void
test_session_match_matrix_ordered (void)
{
  static const guint32 permutation[] = { 2, 0, 3, 1 };
  static const guint32 broken[] = { 0, 0, 1, 2 };
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  g_autoptr(BasinFigure) identity = NULL;
  g_autoptr(BasinFigure) invalid = NULL;
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "matrix.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  const BasinPanel *panel;
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  session->matching = make_matching_with (permutation);
  figure = basin_figure_new_match_matrix_ordered (session, 0, BASIN_MATRIX_ORDER_MATCHING);
  identity = basin_figure_new_match_matrix_ordered (session, 0, BASIN_MATRIX_ORDER_IDENTITY);

  g_assert_null (basin_figure_get_message (figure));
  g_assert_nonnull (strstr (basin_figure_get_caption (figure), "diagonal"));
  g_assert_cmpstr (basin_figure_get_caption (identity), !=, basin_figure_get_caption (figure));
  panel = basin_figure_get_panel (figure, 0);
  g_assert_cmpstr (panel->x_title, ==, "neuron of run B, in matched order");
  g_assert_cmpuint (panel->n_column_labels, ==, 4);
  g_assert_cmpmem (panel->column_labels, 4 * sizeof (guint32), permutation, sizeof permutation);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (panel->marks[i], ==, i);

  /* The planted matching lies on the diagonal: red there, white elsewhere. */
  surface = render_figure (figure, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (figure, 0, WIDTH, HEIGHT, &area));
  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 4; j++)
      {
        Pixel pixel = matrix_cell_pixel (surface, &area, 4, i, j);

        if (i == j)
          g_assert_cmpint (pixel.r, >, pixel.b + 80);
        else
          g_assert_true (pixel.r > 230 && pixel.g > 230 && pixel.b > 230);
      }
  cairo_surface_destroy (surface);

  /* The CSV gives B's own neuron numbers as x. */
  g_assert_true (basin_figure_export_csv (figure, path, &error));
  g_assert_no_error (error);
  csv = read_file (path);
  g_assert_nonnull (strstr (csv, ",image 1,0,0,2,0,0.899999976,1\n"));
  g_assert_nonnull (strstr (csv, ",image 1,3,3,1,3,0.899999976,1\n"));
  remove_dir (dir);

  g_free (session->matching->permutation[0]);
  session->matching->permutation[0] = g_memdup2 (broken, sizeof broken);
  invalid = basin_figure_new_match_matrix_ordered (session, 0, BASIN_MATRIX_ORDER_MATCHING);
  g_assert_nonnull (basin_figure_get_message (invalid));

  free_matching (session->matching);
  g_free (session);
}

static BasinIdentifiabilityTrack *
make_track (guint n_epochs)
{
  BasinIdentifiabilityTrack *track = g_new0 (BasinIdentifiabilityTrack, 1);

  track->n_layers = 2;
  track->epochs = g_array_new (FALSE, FALSE, sizeof (double));
  track->identity_rate = g_new (GArray *, 2);
  track->objective_ratio = g_new (GArray *, 2);
  track->mean_correlation = g_new (GArray *, 2);
  for (guint l = 0; l < 2; l++)
    {
      track->identity_rate[l] = g_array_new (FALSE, FALSE, sizeof (double));
      track->objective_ratio[l] = g_array_new (FALSE, FALSE, sizeof (double));
      track->mean_correlation[l] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  for (guint e = 1; e <= n_epochs; e++)
    {
      double epoch = e;

      g_array_append_val (track->epochs, epoch);
      for (guint l = 0; l < 2; l++)
        {
          double rate = 0.1 * e + 0.05 * l;
          double ratio = 0.15 * e + 0.1 * l;
          double correlation = 0.5;

          g_array_append_val (track->identity_rate[l], rate);
          g_array_append_val (track->objective_ratio[l], ratio);
          g_array_append_val (track->mean_correlation[l], correlation);
        }
    }

  return track;
}

static BasinIdentifiability *
make_identifiability (void)
{
  BasinIdentifiability *final = g_new0 (BasinIdentifiability, 1);

  final->n_layers = 2;
  final->layers = g_new0 (BasinLayerIdentifiability, 2);
  for (guint l = 0; l < 2; l++)
    {
      final->layers[l].width = 16;
      final->layers[l].identity_rate = 0.5;
      final->layers[l].objective = 10.0;
      final->layers[l].objective_ratio = 0.8;
      final->layers[l].n_random = 100;
      final->layers[l].random_mean = 1.0 + l;
    }

  return final;
}

/* The y value of the first dashed series of @panel drawn in @color. */
static double
dashed_level (const BasinPanel *panel,
              guint             color)
{
  for (guint i = 0; i < panel->series->len; i++)
    {
      const BasinSeries *series = g_ptr_array_index (panel->series, i);

      if (series->dashed && series->color == color)
        {
          g_assert_cmpuint (series->n_points, ==, 2);
          g_assert_cmpfloat (series->y[0], ==, series->y[1]);
          return series->y[0];
        }
    }

  g_assert_not_reached ();
}

static void
test_session_identifiability_track (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) figure = NULL;
  g_autoptr(BasinFigure) plain = NULL;
  g_autoptr(BasinFigure) missing = NULL;
  g_autoptr(BasinFigure) empty = NULL;
  const BasinPanel *rate_panel, *ratio_panel;
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  missing = basin_figure_new_identifiability_track (session);
  g_assert_nonnull (basin_figure_get_message (missing));

  session->track = make_track (0);
  empty = basin_figure_new_identifiability_track (session);
  g_assert_nonnull (basin_figure_get_message (empty));
  basin_identifiability_track_free (session->track);

  session->track = make_track (5);
  plain = basin_figure_new_identifiability_track (session);
  g_assert_null (basin_figure_get_message (plain));
  g_assert_false (legend_has_label (basin_figure_get_panel (plain, 1), "random permutations"));

  session->identifiability = make_identifiability ();
  figure = basin_figure_new_identifiability_track (session);
  g_assert_cmpuint (basin_figure_get_n_panels (figure), ==, 2);
  rate_panel = basin_figure_get_panel (figure, 0);
  ratio_panel = basin_figure_get_panel (figure, 1);
  g_assert_cmpstr (rate_panel->title, ==, "Identity-match rate");
  g_assert_cmpstr (ratio_panel->title, ==, "Identity objective / optimal objective");
  g_assert_true (legend_has_label (ratio_panel, "layer 1"));
  g_assert_true (legend_has_label (ratio_panel, "layer 2"));
  g_assert_true (legend_has_label (ratio_panel, "random permutations"));

  /* Rates in percent; random permutations at random_mean / objective and
   * at one fixed point in 16. */
  g_assert_cmpfloat_with_epsilon (((BasinSeries *) g_ptr_array_index (rate_panel->series, 0))->y[4], 50.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (dashed_level (ratio_panel, 0), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (dashed_level (ratio_panel, 1), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (dashed_level (rate_panel, 0), 100.0 / 16.0, 1e-12);

  surface = render_figure (figure, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (figure, 1, WIDTH, HEIGHT, &area));
  g_assert_true (column_has_color (surface, &area, area.x + area.width / 2.0, basin_palette_color (0)));
  g_assert_true (column_has_color (surface, &area, area.x + area.width / 2.0, basin_palette_color (1)));
  cairo_surface_destroy (surface);

  basin_identifiability_free (session->identifiability);
  basin_identifiability_track_free (session->track);
  g_free (session);
}

static void
test_session_merge_path_weight (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  g_autoptr(BasinFigure) weight_only = NULL;
  g_autoptr(BasinFigure) all = NULL;
  g_autoptr(GPtrArray) legend = NULL;
  const BasinLegendEntry *entry;
  cairo_surface_t *surface;
  cairo_rectangle_t area;

  session->paths[2] = make_path ("weight", 0.1);
  weight_only = basin_figure_new_merge_path (session);
  g_assert_null (basin_figure_get_message (weight_only));
  legend = basin_panel_collect_legend (basin_figure_get_panel (weight_only, 0));
  entry = g_ptr_array_index (legend, 0);
  g_assert_cmpstr (entry->label, ==, "aligned (weight matching), test — barrier 0.100");
  g_assert_cmpuint (entry->color, ==, 2);
  g_ptr_array_unref (g_steal_pointer (&legend));

  session->paths[0] = make_path ("none", 0.4);
  session->paths[1] = make_path ("activation", 0.02);
  all = basin_figure_new_merge_path (session);
  legend = basin_panel_collect_legend (basin_figure_get_panel (all, 0));
  g_assert_cmpuint (legend->len, ==, 6);

  surface = render_figure (all, WIDTH, HEIGHT);
  g_assert_true (basin_figure_get_plot_area (all, 0, WIDTH, HEIGHT, &area));
  g_assert_true (column_has_color (surface, &area, area.x + area.width / 4.0, basin_palette_color (2)));
  cairo_surface_destroy (surface);

  for (guint p = 0; p < BASIN_N_PATHS; p++)
    free_path (session->paths[p]);
  g_free (session);
}

static void
test_export_analysis_figures (void)
{
  BasinSession *session = g_new0 (BasinSession, 1);
  BasinSwapCosts *costs = make_swap_costs (TRUE);
  BasinLandscape *landscape = make_landscape (21, 2, TRUE);
  g_autofree char *dir = make_temporary_dir ();
  BasinFigure *figures[5];

  session->matching = make_matching ();
  session->track = make_track (4);
  session->identifiability = make_identifiability ();
  figures[0] = basin_figure_new_swap_costs (costs, "A");
  figures[1] = basin_figure_new_landscape (landscape, TRUE);
  figures[2] = basin_figure_new_identifiability_track (session);
  figures[3] = basin_figure_new_match_matrix_ordered (session, 0, BASIN_MATRIX_ORDER_MATCHING);
  figures[4] = basin_figure_new_landscape (NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *svg = g_strdup_printf ("%s/figure-%u.svg", dir, i);
      g_autofree char *png = g_strdup_printf ("%s/figure-%u.png", dir, i);
      g_autofree char *pdf = g_strdup_printf ("%s/figure-%u.pdf", dir, i);
      g_autofree char *csv = g_strdup_printf ("%s/figure-%u.csv", dir, i);
      g_autoptr(GError) error = NULL;

      g_assert_true (basin_figure_export (figures[i], svg, 1000, 700, &error));
      g_assert_no_error (error);
      g_assert_true (basin_figure_export (figures[i], png, 1000, 700, &error));
      g_assert_no_error (error);
      g_assert_true (basin_figure_export (figures[i], pdf, 1000, 700, &error));
      g_assert_no_error (error);
      g_assert_true (basin_figure_export_csv (figures[i], csv, &error));
      g_assert_no_error (error);

      assert_file_starts_with (png, "\x89PNG\r\n\x1a\n", 8);
      assert_file_starts_with (pdf, "%PDF", 4);
      assert_file_starts_with (svg, "<?xml", 5);
      basin_figure_free (figures[i]);
    }

  g_assert_cmpuint (count_dir_entries (dir), ==, 4 * G_N_ELEMENTS (figures));
  remove_dir (dir);
  basin_landscape_free (landscape);
  basin_swap_costs_free (costs);
  free_matching (session->matching);
  basin_identifiability_track_free (session->track);
  basin_identifiability_free (session->identifiability);
  g_free (session);
}

static void
test_csv_landscape (void)
{
  BasinLandscape *landscape = make_landscape (5, 4, FALSE);
  g_autoptr(BasinFigure) figure = basin_figure_new_landscape (landscape, FALSE);
  g_autofree char *dir = make_temporary_dir ();
  g_autofree char *path = g_build_filename (dir, "landscape.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (basin_figure_export_csv (figure, path, &error));
  g_assert_no_error (error);
  contents = read_file (path);

  /* Row 0 is at y = −1, and column 4 at x = 2 contains 0.1 + 4 + 1. */
  g_assert_true (g_str_has_prefix (contents, "panel,image,row,col,x,y,value,marked\n"));
  g_assert_nonnull (strstr (contents, ",image 1,0,4,2,-1,5.0999999"));
  g_assert_nonnull (strstr (contents, ",image 1,0,1,-0.25,-1,nan,0\n"));

  remove_dir (dir);
  basin_landscape_free (landscape);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/colormap/viridis-endpoints", test_colormap_viridis_endpoints);
  g_test_add_func ("/plot/colormap/viridis-lightness", test_colormap_viridis_lightness);
  g_test_add_func ("/plot/colormap/diverging-symmetric", test_colormap_diverging_symmetric);
  g_test_add_func ("/plot/colormap/clamps-and-nan", test_colormap_clamps_and_nan);
  g_test_add_func ("/plot/colormap/okabe-ito", test_palette_okabe_ito);
  g_test_add_func ("/plot/axis/nice-step", test_axis_nice_step);
  g_test_add_func ("/plot/axis/linear-ticks", test_axis_linear_ticks);
  g_test_add_func ("/plot/axis/log-ticks", test_axis_log_ticks);
  g_test_add_func ("/plot/axis/degenerate-range", test_axis_degenerate_range);
  g_test_add_func ("/plot/axis/indices", test_axis_indices);
  g_test_add_func ("/plot/style/readable-fonts", test_style_readable_fonts);
  g_test_add_func ("/plot/figure/matrix-colors", test_figure_matrix_colors);
  g_test_add_func ("/plot/figure/matrix-marks", test_figure_matrix_marks);
  g_test_add_func ("/plot/figure/lines-draw", test_figure_lines_draw);
  g_test_add_func ("/plot/figure/lines-log-nonpositive", test_figure_lines_log_nonpositive);
  g_test_add_func ("/plot/figure/text-fits", test_figure_text_fits);
  g_test_add_func ("/plot/figure/image-grid", test_figure_image_grid);
  g_test_add_func ("/plot/session/without-analysis", test_session_without_analysis);
  g_test_add_func ("/plot/session/match-matrix", test_session_match_matrix);
  g_test_add_func ("/plot/session/merge-path", test_session_merge_path);
  g_test_add_func ("/plot/session/merge-path-one-path", test_session_merge_path_one_path);
  g_test_add_func ("/plot/session/training", test_session_training);
  g_test_add_func ("/plot/session/neuron-order", test_session_neuron_order);
  g_test_add_func ("/plot/session/neuron-maps-mismatched", test_session_neuron_maps_mismatched);
  g_test_add_func ("/plot/session/neurons-from-network", test_session_neurons_from_network);
  g_test_add_func ("/plot/export/format-from-path", test_export_format_from_path);
  g_test_add_func ("/plot/export/magic-bytes", test_export_magic_bytes);
  g_test_add_func ("/plot/export/replaces-file", test_export_replaces_file);
  g_test_add_func ("/plot/export/unknown-extension", test_export_unknown_extension);
  g_test_add_func ("/plot/export/unwritable-path", test_export_unwritable_path);
  g_test_add_func ("/plot/export/invalid-size", test_export_invalid_size);
  g_test_add_func ("/plot/csv/lines", test_csv_lines);
  g_test_add_func ("/plot/csv/matrix", test_csv_matrix);
  g_test_add_func ("/plot/csv/message-figure", test_csv_message_figure);
  g_test_add_func ("/plot/colormap/classes", test_colormap_classes);
  g_test_add_func ("/plot/axis/log-range", test_axis_log_range);
  g_test_add_func ("/plot/contour/levels", test_contour_levels);
  g_test_add_func ("/plot/contour/bowl", test_contour_bowl);
  g_test_add_func ("/plot/figure/swap-cost-classes", test_figure_swap_cost_classes);
  g_test_add_func ("/plot/figure/swap-cost-missing", test_figure_swap_cost_missing);
  g_test_add_func ("/plot/figure/landscape-coarse-blocks", test_figure_landscape_coarse_blocks);
  g_test_add_func ("/plot/figure/landscape-not-computed", test_figure_landscape_not_computed);
  g_test_add_func ("/plot/figure/landscape-contours", test_figure_landscape_contours);
  g_test_add_func ("/plot/figure/landscape-markers", test_figure_landscape_markers);
  g_test_add_func ("/plot/figure/landscape-missing", test_figure_landscape_missing);
  g_test_add_func ("/plot/figure/landscape-from-networks", test_figure_landscape_from_networks);
  g_test_add_func ("/plot/session/match-matrix-ordered", test_session_match_matrix_ordered);
  g_test_add_func ("/plot/session/identifiability-track", test_session_identifiability_track);
  g_test_add_func ("/plot/session/merge-path-weight", test_session_merge_path_weight);
  g_test_add_func ("/plot/export/analysis-figures", test_export_analysis_figures);
  g_test_add_func ("/plot/csv/landscape", test_csv_landscape);

  return g_test_run ();
}
