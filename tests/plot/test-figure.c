/* test-figure.c: figure models, rendering and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "basin-error.h"
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

static BasinMatching *
make_matching (void)
{
  static const guint32 permutation[] = { 1, 0, 2, 3 };
  BasinMatching *matching = g_new0 (BasinMatching, 1);

  matching->n_layers = 1;
  matching->widths = g_new (guint, 1);
  matching->widths[0] = 4;
  matching->permutation = g_new (guint32 *, 1);
  matching->permutation[0] = g_memdup2 (permutation, sizeof permutation);
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

  g_assert_cmpuint (n, ==, 8);
  assert_rgb_near (basin_palette_color (0), 0x0072b2, 1e-9);
  assert_rgb_near (basin_palette_color (1), 0xd55e00, 1e-9);
  assert_rgb_near (basin_palette_color (n), 0x0072b2, 1e-9);
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
  g_assert_true (column_has_color (surface, &area, area.x + area.width / 2.0, basin_palette_color (1)));

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

  return g_test_run ();
}
