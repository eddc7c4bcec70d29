/* basin-plot-axis.c: ticks, legends, colour bars and panel titles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

#define MIN_LABEL_GAP 8.0

/**
 * basin_nice_step:
 * @raw_step: the step that would give the wanted number of ticks
 *
 * Rounds @raw_step up to 1, 2, 2.5 or 5 times a power of ten, the steps
 * that give tick labels people read at a glance.
 *
 * Returns: the step, at least @raw_step
 */
double
basin_nice_step (double raw_step)
{
  double magnitude;
  double fraction;

  if (!isfinite (raw_step) || raw_step <= 0.0)
    return 1.0;

  magnitude = pow (10.0, floor (log10 (raw_step)));
  fraction = raw_step / magnitude;

  if (fraction <= 1.0 + 1e-9)
    return magnitude;
  if (fraction <= 2.0 + 1e-9)
    return 2.0 * magnitude;
  if (fraction <= 2.5 + 1e-9)
    return 2.5 * magnitude;
  if (fraction <= 5.0 + 1e-9)
    return 5.0 * magnitude;

  return 10.0 * magnitude;
}

static guint
decimals_of_step (double step)
{
  for (guint decimals = 0; decimals < 10; decimals++)
    {
      double scaled = step * pow (10.0, decimals);

      if (fabs (scaled - nearbyint (scaled)) < 1e-6 * MAX (1.0, scaled))
        return decimals;
    }

  return 10;
}

/* Formats a tick value with a typographic minus sign (U+2212). */
static void
format_tick (char   *buffer,
             double  value,
             guint   decimals,
             gboolean general)
{
  char number[BASIN_TICK_LABEL_SIZE];

  if (general)
    g_snprintf (number, sizeof number, "%.3g", value);
  else
    g_snprintf (number, sizeof number, "%.*f", (int) decimals, value);

  if (number[0] == '-' && strspn (number + 1, "0.") == strlen (number + 1))
    memmove (number, number + 1, strlen (number));

  if (number[0] == '-')
    g_snprintf (buffer, BASIN_TICK_LABEL_SIZE, "−%s", number + 1);
  else
    g_strlcpy (buffer, number, BASIN_TICK_LABEL_SIZE);
}

/**
 * basin_plot_format_number:
 * @buffer: (out caller-allocates): at least %BASIN_TICK_LABEL_SIZE bytes
 * @value: a number
 *
 * Formats @value with three significant digits and a typographic minus
 * sign, as a label next to an axis.
 */
void
basin_plot_format_number (char   *buffer,
                          double  value)
{
  format_tick (buffer, value, 0, TRUE);
}

static void
axis_fill_ticks (BasinAxis *axis,
                 double     step)
{
  double first = ceil (axis->min / step - 1e-9) * step;
  double magnitude = MAX (fabs (axis->min), fabs (axis->max));
  gboolean general = magnitude >= 1e6 || step < 1e-5;
  guint decimals = decimals_of_step (step);

  axis->n_ticks = 0;
  for (guint i = 0; axis->n_ticks < BASIN_MAX_TICKS; i++)
    {
      double value = first + i * step;

      if (value > axis->max + 1e-9 * step)
        break;

      if (fabs (value) < 1e-12 * step)
        value = 0.0;

      axis->ticks[axis->n_ticks] = value;
      format_tick (axis->labels[axis->n_ticks], value, decimals, general);
      axis->n_ticks++;
    }
}

/**
 * basin_axis_init_linear:
 * @axis: (out caller-allocates): the axis
 * @min: smallest value to show
 * @max: largest value to show
 * @target_ticks: about how many ticks to make, at least 1
 * @expand: extend the range outwards to the nearest ticks
 *
 * Sets up a linear axis with ticks at nice numbers.  A range that is
 * empty, reversed or not finite is widened to one that can be drawn.
 */
void
basin_axis_init_linear (BasinAxis *axis,
                        double     min,
                        double     max,
                        guint      target_ticks,
                        gboolean   expand)
{
  double step;

  if (!isfinite (min) || !isfinite (max) || min > max)
    {
      min = 0.0;
      max = 1.0;
    }

  if (max - min <= 1e-12 * MAX (1.0, fabs (max)))
    {
      double half = min != 0.0 ? 0.1 * fabs (min) : 1.0;

      min -= half;
      max += half;
    }

  memset (axis, 0, sizeof *axis);
  step = basin_nice_step ((max - min) / MAX (target_ticks, 1));

  if (expand)
    {
      min = floor (min / step + 1e-9) * step;
      max = ceil (max / step - 1e-9) * step;
    }

  axis->min = min;
  axis->max = max;
  axis_fill_ticks (axis, step);
}

static void
axis_add_log_tick (BasinAxis *axis,
                   double     value)
{
  if (axis->n_ticks >= BASIN_MAX_TICKS)
    return;

  axis->ticks[axis->n_ticks] = value;
  format_tick (axis->labels[axis->n_ticks], value, 0, TRUE);
  axis->n_ticks++;
}

/**
 * basin_axis_init_log:
 * @axis: (out caller-allocates): the axis
 * @min: smallest value to show, > 0
 * @max: largest value to show
 *
 * Sets up a logarithmic axis that spans whole decades, with a tick at
 * every power of ten, and at 2 and 5 times it when the axis spans at most
 * two decades.
 */
void
basin_axis_init_log (BasinAxis *axis,
                     double     min,
                     double     max)
{
  static const double multiples[] = { 1.0, 2.0, 5.0 };
  int low;
  int high;
  gboolean dense;

  if (!isfinite (min) || !isfinite (max) || min <= 0.0 || min > max)
    {
      min = 0.1;
      max = 1.0;
    }

  memset (axis, 0, sizeof *axis);
  low = (int) floor (log10 (min) + 1e-9);
  high = (int) ceil (log10 (max) - 1e-9);
  if (high <= low)
    high = low + 1;

  axis->log = TRUE;
  axis->min = pow (10.0, low);
  axis->max = pow (10.0, high);
  dense = high - low <= 2;

  for (int decade = low; decade <= high; decade++)
    for (guint i = 0; i < (dense ? G_N_ELEMENTS (multiples) : 1); i++)
      {
        double value = multiples[i] * pow (10.0, decade);

        if (value <= axis->max * (1.0 + 1e-9))
          axis_add_log_tick (axis, value);
      }
}

/* Mantissas of the ticks of a logarithmic colour scale, sparsest first. */
static const double log_mantissas_1[] = { 1.0 };
static const double log_mantissas_2[] = { 1.0, 3.0 };
static const double log_mantissas_3[] = { 1.0, 2.0, 5.0 };
static const double log_mantissas_4[] = { 1.0, 2.0, 3.0, 5.0 };
static const double log_mantissas_6[] = { 1.0, 1.5, 2.0, 3.0, 5.0, 7.0 };
static const double log_mantissas_9[] = { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0 };

static const struct {
  const double *values;
  guint         n;
} log_mantissa_sets[] = {
  { log_mantissas_1, G_N_ELEMENTS (log_mantissas_1) },
  { log_mantissas_2, G_N_ELEMENTS (log_mantissas_2) },
  { log_mantissas_3, G_N_ELEMENTS (log_mantissas_3) },
  { log_mantissas_4, G_N_ELEMENTS (log_mantissas_4) },
  { log_mantissas_6, G_N_ELEMENTS (log_mantissas_6) },
  { log_mantissas_9, G_N_ELEMENTS (log_mantissas_9) },
};

/**
 * basin_log_values:
 * @min: smallest value, > 0
 * @max: largest value
 * @set: index of the mantissa set: 0 for powers of ten only, up to
 *   basin_log_value_sets() − 1 for 1, 2, …, 9 times powers of ten
 * @values: (out caller-allocates) (nullable): the values, increasing
 * @max_values: room in @values
 *
 * Lists the round values m · 10^k in [@min, @max] whose mantissa m is in
 * the chosen set, for ticks and contour levels on a logarithmic scale.
 *
 * Returns: the number of such values, which may exceed @max_values
 */
guint
basin_log_values (double  min,
                  double  max,
                  guint   set,
                  double *values,
                  guint   max_values)
{
  guint n = 0;
  int low, high;

  if (!(min > 0.0) || !(max >= min) || !isfinite (max) || set >= G_N_ELEMENTS (log_mantissa_sets))
    return 0;

  low = (int) floor (log10 (min)) - 1;
  high = (int) ceil (log10 (max)) + 1;
  for (int decade = low; decade <= high; decade++)
    for (guint i = 0; i < log_mantissa_sets[set].n; i++)
      {
        double value = log_mantissa_sets[set].values[i] * pow (10.0, decade);

        if (value < min * (1.0 - 1e-9) || value > max * (1.0 + 1e-9))
          continue;
        if (values != NULL && n < max_values)
          values[n] = value;
        n++;
      }

  return n;
}

/**
 * basin_log_value_sets:
 *
 * Returns: the number of mantissa sets of basin_log_values()
 */
guint
basin_log_value_sets (void)
{
  return G_N_ELEMENTS (log_mantissa_sets);
}

/**
 * basin_axis_init_log_range:
 * @axis: (out caller-allocates): the axis
 * @min: value at the start, > 0
 * @max: value at the end, > @min
 * @target_ticks: about how many ticks to make, at least 2
 *
 * Sets up a logarithmic axis over exactly [@min, @max], as for a colour
 * bar.  Ticks sit at powers of ten, or at denser round values when the
 * range is short.  The axis takes the sparsest mantissa set that gives at
 * least 3 ticks (2 when @target_ticks is 2) and no more than
 * @target_ticks + 2.  A range too short for any set gets linear round
 * ticks.
 */
void
basin_axis_init_log_range (BasinAxis *axis,
                           double     min,
                           double     max,
                           guint      target_ticks)
{
  guint wanted = MIN (MAX (target_ticks, 2), 3);
  guint chosen = G_MAXUINT;

  if (!(min > 0.0) || !isfinite (max) || !(max > min))
    {
      basin_axis_init_log (axis, min, max);
      return;
    }

  for (guint set = 0; set < G_N_ELEMENTS (log_mantissa_sets); set++)
    {
      guint n = basin_log_values (min, max, set, NULL, 0);

      /* Powers of ten are kept however many decades there are. */
      if (n > MAX (target_ticks, 2) + 2 && chosen != G_MAXUINT)
        break;
      chosen = set;
      if (n >= wanted)
        break;
    }

  if (chosen == G_MAXUINT || basin_log_values (min, max, chosen, NULL, 0) < 2)
    {
      basin_axis_init_linear (axis, min, max, MAX (target_ticks, 2), FALSE);
      axis->log = TRUE;
      return;
    }

  memset (axis, 0, sizeof *axis);
  axis->log = TRUE;
  axis->min = min;
  axis->max = max;
  axis->n_ticks = MIN (basin_log_values (min, max, chosen, axis->ticks, BASIN_MAX_TICKS),
                       BASIN_MAX_TICKS);
  for (guint i = 0; i < axis->n_ticks; i++)
    format_tick (axis->labels[i], axis->ticks[i], 0, TRUE);
}

/**
 * basin_axis_init_indices:
 * @axis: (out caller-allocates): the axis
 * @n: number of rows or columns, at least 1
 * @target_ticks: about how many ticks to make
 *
 * Sets up the axis of a matrix, on which cell i spans [i − 0.5, i + 0.5].
 * Ticks sit at cell centres, with a whole-number step of 1, 2 or 5 times
 * a power of ten.
 */
void
basin_axis_init_indices (BasinAxis *axis,
                         guint      n,
                         guint      target_ticks)
{
  double raw = (double) MAX (n, 2) / MAX (target_ticks, 1);
  double step = 1.0;

  while (step < raw)
    {
      if (step * 2.0 >= raw)
        step *= 2.0;
      else if (step * 5.0 >= raw)
        step *= 5.0;
      else
        step *= 10.0;
    }

  memset (axis, 0, sizeof *axis);
  axis->min = -0.5;
  axis->max = MAX (n, 1) - 0.5;
  axis_fill_ticks (axis, step);
}

/**
 * basin_axis_fraction:
 * @axis: an axis
 * @value: a data value
 *
 * Returns: where @value lies on @axis, 0 at @axis->min and 1 at @axis->max
 */
double
basin_axis_fraction (const BasinAxis *axis,
                     double           value)
{
  if (axis->log)
    return (log10 (value) - log10 (axis->min)) / (log10 (axis->max) - log10 (axis->min));

  return (value - axis->min) / (axis->max - axis->min);
}

/**
 * basin_axis_max_label_width:
 * @axis: an axis
 * @cr: a cairo context with the tick font selected
 *
 * Returns: the width of the widest tick label
 */
double
basin_axis_max_label_width (const BasinAxis *axis,
                            cairo_t         *cr)
{
  double width = 0.0;

  for (guint i = 0; i < axis->n_ticks; i++)
    width = MAX (width, basin_plot_text_width (cr, axis->labels[i]));

  return width;
}

/**
 * basin_axis_labels_fit:
 * @axis: a horizontal axis
 * @cr: a cairo context with the tick font selected
 * @length: length of the axis on the page
 *
 * Returns: whether the tick labels, centred on their ticks, keep a gap
 *   between each other
 */
gboolean
basin_axis_labels_fit (const BasinAxis *axis,
                       cairo_t         *cr,
                       double           length)
{
  for (guint i = 1; i < axis->n_ticks; i++)
    {
      double distance = length * (basin_axis_fraction (axis, axis->ticks[i]) -
                                  basin_axis_fraction (axis, axis->ticks[i - 1]));
      double needed = 0.5 * (basin_plot_text_width (cr, axis->labels[i]) +
                             basin_plot_text_width (cr, axis->labels[i - 1]));

      if (distance < needed + MIN_LABEL_GAP)
        return FALSE;
    }

  return TRUE;
}

static BasinLegendEntry *
legend_append (GPtrArray         *entries,
               BasinLegendSymbol  symbol,
               guint              color,
               char              *label)
{
  BasinLegendEntry *entry = g_new0 (BasinLegendEntry, 1);

  entry->symbol = symbol;
  entry->color = color;
  entry->label = label;
  g_ptr_array_add (entries, entry);

  return entry;
}

static void
legend_entry_free (gpointer data)
{
  BasinLegendEntry *entry = data;

  g_free (entry->label);
  g_free (entry);
}

/**
 * basin_panel_collect_legend:
 * @panel: a panel
 *
 * Lists the legend of @panel: one entry per named series, with its note
 * after a dash, then the entries added with basin_panel_add_legend_entry().
 *
 * Returns: (transfer full) (element-type BasinLegendEntry): the entries
 */
GPtrArray *
basin_panel_collect_legend (const BasinPanel *panel)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (legend_entry_free);

  for (guint i = 0; i < panel->series->len; i++)
    {
      const BasinSeries *series = g_ptr_array_index (panel->series, i);
      char *label;

      if (series->name[0] == '\0')
        continue;

      if (series->note != NULL)
        label = g_strdup_printf ("%s — %s", series->name, series->note);
      else
        label = g_strdup (series->name);

      legend_append (entries,
                     series->dashed ? BASIN_LEGEND_DASHED_LINE : BASIN_LEGEND_LINE,
                     series->color, label);
    }

  for (guint i = 0; i < panel->legend->len; i++)
    {
      const BasinLegendEntry *entry = g_ptr_array_index (panel->legend, i);
      BasinLegendEntry *copy;

      copy = legend_append (entries, entry->symbol, entry->color, g_strdup (entry->label));
      copy->rgb = entry->rgb;
      copy->hatched = entry->hatched;
    }

  return entries;
}

static double
legend_sample_width (const BasinPlotStyle *style)
{
  return 30.0 * style->scale;
}

static double
legend_entry_width (cairo_t                *cr,
                    const BasinPlotStyle   *style,
                    const BasinLegendEntry *entry)
{
  return legend_sample_width (style) + 6.0 * style->scale +
         basin_plot_text_width (cr, entry->label);
}

typedef struct {
  guint  n_columns;
  guint  n_rows;
  double column_width;
  double spacing;
  double row_height;
} LegendGrid;

/* Lays the entries out in columns of equal width, as many as fit in
 * @width, so that panels side by side get the same number of rows when
 * their entries are about as long.  Columns never get wider than @width;
 * longer labels are shortened when drawn. */
static void
legend_grid (cairo_t              *cr,
             const BasinPlotStyle *style,
             GPtrArray            *entries,
             double                width,
             LegendGrid           *grid)
{
  double widest = 0.0;

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  for (guint i = 0; i < entries->len; i++)
    widest = MAX (widest, legend_entry_width (cr, style, g_ptr_array_index (entries, i)));

  grid->spacing = 20.0 * style->scale;
  grid->column_width = MIN (widest, width);
  grid->n_columns = (guint) CLAMP (floor ((width + grid->spacing) / (grid->column_width + grid->spacing)),
                                   1.0, MAX (entries->len, 1));
  grid->n_rows = (entries->len + grid->n_columns - 1) / grid->n_columns;
  grid->row_height = 1.4 * basin_plot_line_height (cr);
}

/**
 * basin_legend_measure:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @entries: (element-type BasinLegendEntry): legend entries
 * @width: available width
 *
 * Returns: the height the legend takes when it fills rows of @width
 */
double
basin_legend_measure (cairo_t              *cr,
                      const BasinPlotStyle *style,
                      GPtrArray            *entries,
                      double                width)
{
  LegendGrid grid;

  if (entries == NULL || entries->len == 0)
    return 0.0;

  legend_grid (cr, style, entries, width, &grid);

  return grid.n_rows * grid.row_height;
}

/**
 * basin_plot_draw_dot:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @color: index into the Okabe–Ito palette
 * @x: centre x
 * @y: centre y
 * @radius: radius of the dot
 *
 * Draws a data point: a filled dot with a thin white outline, which keeps
 * it visible on dark and on light backgrounds.
 */
void
basin_plot_draw_dot (cairo_t              *cr,
                     const BasinPlotStyle *style,
                     guint                 color,
                     double                x,
                     double                y,
                     double                radius)
{
  BasinRgb rgb = basin_palette_color (color);

  cairo_arc (cr, x, y, radius, 0.0, 2.0 * G_PI);
  cairo_set_source_rgb (cr, rgb.r, rgb.g, rgb.b);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_set_line_width (cr, MIN (0.8 * style->scale, 0.4 * radius));
  cairo_stroke (cr);
}

static void
draw_legend_symbol (cairo_t                *cr,
                    const BasinPlotStyle   *style,
                    const BasinLegendEntry *entry,
                    double                  x,
                    double                  y)
{
  double sample = legend_sample_width (style);
  double box = 10.0 * style->scale;
  BasinRgb rgb = basin_palette_color (entry->color);

  cairo_save (cr);

  switch (entry->symbol)
    {
    case BASIN_LEGEND_DASHED_LINE:
    case BASIN_LEGEND_LINE:
      if (entry->symbol == BASIN_LEGEND_DASHED_LINE)
        {
          double dashes[] = { 6.0 * style->scale, 3.5 * style->scale };

          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
        }
      cairo_set_source_rgb (cr, rgb.r, rgb.g, rgb.b);
      cairo_set_line_width (cr, style->line_width);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + sample, y);
      cairo_stroke (cr);
      break;

    case BASIN_LEGEND_DOT:
      basin_plot_draw_dot (cr, style, entry->color, x + sample / 2.0, y, 3.5 * style->scale);
      break;

    case BASIN_LEGEND_BOX:
      cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      cairo_set_line_width (cr, 1.5 * style->scale);
      cairo_rectangle (cr, x + (sample - box) / 2.0, y - box / 2.0, box, box);
      cairo_stroke (cr);
      break;

    case BASIN_LEGEND_PATCH:
      {
        cairo_rectangle_t patch = { x + (sample - 1.4 * box) / 2.0, y - 0.7 * box, 1.4 * box, 1.4 * box };

        if (entry->hatched)
          basin_plot_fill_hatched (cr, style, &patch);
        else
          {
            basin_plot_set_rgb (cr, entry->rgb);
            cairo_rectangle (cr, patch.x, patch.y, patch.width, patch.height);
            cairo_fill (cr);
          }
        basin_plot_draw_outline (cr, style, &patch);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  cairo_restore (cr);
}

static void
draw_legend_entry (cairo_t                *cr,
                   const BasinPlotStyle   *style,
                   const BasinLegendEntry *entry,
                   double                  x,
                   double                  middle,
                   double                  column_width)
{
  double text_x = x + legend_sample_width (style) + 6.0 * style->scale;
  g_autofree char *label = NULL;

  draw_legend_symbol (cr, style, entry, x, middle);

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  label = basin_plot_ellipsize (cr, entry->label, x + column_width - text_x);
  basin_plot_set_rgb (cr, 0x222222);
  basin_plot_show_text (cr, label, text_x, middle, 0.0, 0.5);
}

/**
 * basin_legend_draw:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @entries: (element-type BasinLegendEntry): legend entries
 * @x: left edge
 * @y: top edge
 * @width: available width
 *
 * Draws a legend as a grid of line samples or symbols with their labels,
 * centred in @width and filled row by row.
 */
void
basin_legend_draw (cairo_t              *cr,
                   const BasinPlotStyle *style,
                   GPtrArray            *entries,
                   double                x,
                   double                y,
                   double                width)
{
  LegendGrid grid;
  double left;

  if (entries == NULL || entries->len == 0)
    return;

  legend_grid (cr, style, entries, width, &grid);
  left = x + (width - grid.n_columns * grid.column_width - (grid.n_columns - 1) * grid.spacing) / 2.0;

  for (guint i = 0; i < entries->len; i++)
    {
      guint column = i % grid.n_columns;
      guint row = i / grid.n_columns;

      draw_legend_entry (cr, style, g_ptr_array_index (entries, i),
                         left + column * (grid.column_width + grid.spacing),
                         y + (row + 0.5) * grid.row_height, grid.column_width);
    }
}

static void
colorbar_axis (const BasinPanel     *panel,
               const BasinPlotStyle *style,
               double                height,
               BasinAxis            *axis)
{
  guint target = (guint) CLAMP (height / (3.5 * style->tick_font), 2.0, 8.0);

  if (panel->color_log && panel->colormap != BASIN_COLORMAP_CLASSES)
    basin_axis_init_log_range (axis, panel->color_min, panel->color_max, target);
  else
    basin_axis_init_linear (axis, panel->color_min, panel->color_max, target, FALSE);
}

/**
 * basin_colorbar_measure:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @panel: a panel with a colour map and a colour-bar label
 * @height: height of the bar
 *
 * Returns: the width of the colour bar with its tick labels and label,
 *   0 if @panel has no colour bar
 */
double
basin_colorbar_measure (cairo_t              *cr,
                        const BasinPlotStyle *style,
                        const BasinPanel     *panel,
                        double                height)
{
  BasinAxis axis;
  double width;

  if (!panel->has_colormap || panel->colorbar_label == NULL)
    return 0.0;

  colorbar_axis (panel, style, height, &axis);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  width = 14.0 * style->scale + style->tick_length + 0.5 * style->pad +
          basin_axis_max_label_width (&axis, cr) + 0.5 * style->pad;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  width += basin_plot_line_height (cr);

  return width;
}

static void
colorbar_fill (cairo_t              *cr,
               const BasinPlotStyle *style,
               const BasinPanel     *panel,
               double            x,
               double            y,
               double            width,
               double            height)
{
  BasinColorStop class_stops[BASIN_CLASSES_MAX_STOPS];
  const BasinColorStop *stops;
  cairo_pattern_t *gradient;
  guint n_stops;

  /* A logarithmic scale spreads the map evenly over the logarithm, which
   * is how the bar's ticks are placed, so the stops stay the same. */
  if (panel->colormap == BASIN_COLORMAP_CLASSES)
    {
      n_stops = basin_colormap_classes_stops (panel->neutral_band, panel->color_min,
                                              panel->color_max, class_stops,
                                              G_N_ELEMENTS (class_stops));
      stops = class_stops;
    }
  else
    stops = basin_colormap_get_stops (panel->colormap, &n_stops);

  gradient = cairo_pattern_create_linear (0.0, y + height, 0.0, y);
  for (guint i = 0; i < n_stops; i++)
    cairo_pattern_add_color_stop_rgb (gradient, stops[i].position,
                                      stops[i].color.r, stops[i].color.g,
                                      stops[i].color.b);

  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source (cr, gradient);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (gradient);

  basin_plot_set_rgb (cr, 0x444444);
  cairo_set_line_width (cr, 0.8 * style->scale);
  cairo_stroke (cr);
}

/**
 * basin_colorbar_draw:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @panel: a panel with a colour map and a colour-bar label
 * @x: left edge of the bar
 * @y: top edge of the bar
 * @height: height of the bar
 *
 * Draws a vertical colour bar, minimum at the bottom, with ticks and
 * labels on its right and its label turned along it.
 */
void
basin_colorbar_draw (cairo_t              *cr,
                     const BasinPlotStyle *style,
                     const BasinPanel     *panel,
                     double                x,
                     double                y,
                     double                height)
{
  double bar_width = 14.0 * style->scale;
  double label_x;
  BasinAxis axis;

  if (!panel->has_colormap || panel->colorbar_label == NULL)
    return;

  colorbar_fill (cr, style, panel, x, y, bar_width, height);
  colorbar_axis (panel, style, height, &axis);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  label_x = x + bar_width + style->tick_length + 0.5 * style->pad;

  cairo_set_line_width (cr, 0.8 * style->scale);
  for (guint i = 0; i < axis.n_ticks; i++)
    {
      double ty = y + height * (1.0 - basin_axis_fraction (&axis, axis.ticks[i]));

      basin_plot_set_rgb (cr, 0x444444);
      cairo_move_to (cr, x + bar_width, ty);
      cairo_line_to (cr, x + bar_width + style->tick_length, ty);
      cairo_stroke (cr);

      basin_plot_set_rgb (cr, 0x222222);
      basin_plot_show_text (cr, axis.labels[i], label_x, ty, 0.0, 0.5);
    }

  label_x += basin_axis_max_label_width (&axis, cr) + 0.5 * style->pad;
  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  basin_plot_set_rgb (cr, 0x222222);
  basin_plot_show_text_vertical (cr, panel->colorbar_label, label_x,
                                 y + height / 2.0, 0.5, 0.0);
}

/**
 * basin_panel_title_height:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @panel: a panel
 *
 * Returns: the height the panel title takes at the top of the panel,
 *   0 without a title
 */
double
basin_panel_title_height (cairo_t              *cr,
                          const BasinPlotStyle *style,
                          const BasinPanel     *panel)
{
  if (panel->title == NULL || panel->title[0] == '\0')
    return 0.0;

  basin_plot_use_font (cr, style, BASIN_FONT_PANEL_TITLE);

  return basin_plot_line_height (cr) + style->pad;
}

/**
 * basin_panel_draw_title:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @panel: a panel
 * @cell: the area of the panel
 *
 * Draws the panel title centred at the top of @cell, shortened with an
 * ellipsis if it is wider than @cell.
 */
void
basin_panel_draw_title (cairo_t                 *cr,
                        const BasinPlotStyle    *style,
                        const BasinPanel        *panel,
                        const cairo_rectangle_t *cell)
{
  g_autofree char *title = NULL;

  if (panel->title == NULL || panel->title[0] == '\0')
    return;

  basin_plot_use_font (cr, style, BASIN_FONT_PANEL_TITLE);
  title = basin_plot_ellipsize (cr, panel->title, cell->width);
  basin_plot_set_rgb (cr, 0x111111);
  basin_plot_show_text (cr, title, cell->x + cell->width / 2.0, cell->y, 0.5, 0.0);
}

/**
 * basin_plot_draw_ticks:
 * @cr: the cairo context
 * @style: fonts, tick length and padding
 * @plot: the plot area
 * @x_axis: ticks below the plot area
 * @y_axis: ticks left of the plot area
 * @y_down: the y axis grows downwards, as matrix rows do
 *
 * Draws the tick marks and labels of both axes.
 */
void
basin_plot_draw_ticks (cairo_t                 *cr,
                       const BasinPlotStyle    *style,
                       const cairo_rectangle_t *plot,
                       const BasinAxis         *x_axis,
                       const BasinAxis         *y_axis,
                       gboolean                 y_down)
{
  double bottom = plot->y + plot->height;

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  cairo_set_line_width (cr, 1.0 * style->scale);
  for (guint i = 0; i < x_axis->n_ticks; i++)
    {
      double x = plot->x + plot->width * basin_axis_fraction (x_axis, x_axis->ticks[i]);

      basin_plot_set_rgb (cr, 0x333333);
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + style->tick_length);
      cairo_stroke (cr);
      basin_plot_set_rgb (cr, 0x222222);
      basin_plot_show_text (cr, x_axis->labels[i], x,
                            bottom + style->tick_length + 0.3 * style->pad, 0.5, 0.0);
    }

  for (guint i = 0; i < y_axis->n_ticks; i++)
    {
      double fraction = basin_axis_fraction (y_axis, y_axis->ticks[i]);
      double y = y_down ? plot->y + plot->height * fraction : bottom - plot->height * fraction;

      basin_plot_set_rgb (cr, 0x333333);
      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x - style->tick_length, y);
      cairo_stroke (cr);
      basin_plot_set_rgb (cr, 0x222222);
      basin_plot_show_text (cr, y_axis->labels[i],
                            plot->x - style->tick_length - 0.5 * style->pad, y, 1.0, 0.5);
    }
}
