/* basin-analysis-figures.c: figures of analysis results that are computed
 * on demand: swap-cost matrices and loss landscapes.
 *
 * Like the session figures, each builder copies what it shows, and shows
 * a message instead of panels when the data is missing.  Hidden layers
 * are counted from 1 in figure text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

/* Relative tolerance of a cheap swap: |Δ| at most this share of the
 * median realization cost of a neuron's own function. */
#define SWAP_COST_TOLERANCE 0.1

/* About how many contour lines a landscape gets. */
#define LANDSCAPE_CONTOURS 9

static BasinFigure *
figure_new_message (const char *title,
                    const char *message)
{
  BasinFigure *figure = basin_figure_new (title);

  basin_figure_set_message (figure, message);

  return figure;
}

/* Swap costs */

static char *
swap_costs_title (const BasinSwapCosts *costs,
                  const char           *run_name)
{
  guint layer = costs != NULL ? costs->layer + 1 : 1;

  if (run_name != NULL && run_name[0] != '\0')
    return g_strdup_printf (_("Swap costs of run %s, hidden layer %u"), run_name, layer);

  return g_strdup_printf (_("Swap costs, hidden layer %u"), layer);
}

/* sign(Δ)·√|Δ|, keeping +∞ for the unreachable pairs; returns the range
 * of the finite values in @min and @max. */
static float *
signed_sqrt_costs (const BasinSwapCosts *costs,
                   double               *min,
                   double               *max)
{
  gsize n = (gsize) costs->width * costs->width;
  float *values = g_new (float, n);

  *min = INFINITY;
  *max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    {
      double delta = costs->swap[i];
      double shown = copysign (sqrt (fabs (delta)), delta);

      if (costs->infeasible != NULL && costs->infeasible[i])
        shown = INFINITY;
      values[i] = (float) shown;
      if (isfinite (shown))
        {
          *min = MIN (*min, shown);
          *max = MAX (*max, shown);
        }
    }

  return values;
}

static void
add_swap_legend (BasinPanel                 *panel,
                 const BasinSwapCostSummary *summary,
                 gboolean                    has_unreachable)
{
  g_autofree char *expensive = NULL;
  g_autofree char *cheap = NULL;
  g_autofree char *negative = NULL;

  expensive = g_strdup_printf (_("expensive, Δ > %g s (%.1f %%)"), summary->tolerance,
                               100.0 * summary->expensive_fraction);
  cheap = g_strdup_printf (_("cheap, |Δ| ≤ %g s (%.1f %%)"), summary->tolerance,
                           100.0 * summary->cheap_fraction);
  negative = g_strdup_printf (_("negative, Δ < −%g s (%.1f %%)"), summary->tolerance,
                              100.0 * summary->negative_fraction);

  basin_panel_add_legend_patch (panel, 0xfc4e2a, FALSE, expensive);
  basin_panel_add_legend_patch (panel, BASIN_CLASSES_NEUTRAL_RGB, FALSE, cheap);
  basin_panel_add_legend_patch (panel, 0x2171b5, FALSE, negative);

  if (has_unreachable)
    {
      g_autofree char *unreachable =
        g_strdup_printf (_("unreachable, Δ = +∞ (%.1f %%)"), 100.0 * summary->infinite_fraction);

      basin_panel_add_legend_patch (panel, BASIN_CLASSES_INFINITE_RGB, FALSE, unreachable);
    }

  basin_panel_add_legend_entry (panel, BASIN_LEGEND_BOX, 0, _("diagonal, Δ_ii = 0"));
}

static char *
swap_costs_caption (const BasinSwapCosts       *costs,
                    const BasinSwapCostSummary *summary)
{
  return g_strdup_printf (_("Δ_ij = R_ij + R_ji − R_ii − R_jj, shown as sign(Δ)·√|Δ|, where R_ij is the squared "
                            "realization cost for neuron i to compute neuron j's function on the input subspace. "
                            "Classes compare Δ with s = median R_ii = %.3g at tolerance %g: of %u pairs, "
                            "%.1f %% expensive (%.1f %% unreachable), %.1f %% cheap and %.1f %% negative. "
                            "Input subspace: k = %u of d = %u dimensions, explaining %.1f %% of the variance; "
                            "coherence ν(U) = %.3f, from k/d = %.3f (spread out) to 1 (aligned with the axes)."),
                          summary->scale, summary->tolerance, summary->n_pairs,
                          100.0 * summary->expensive_fraction, 100.0 * summary->infinite_fraction,
                          100.0 * summary->cheap_fraction, 100.0 * summary->negative_fraction,
                          costs->k, costs->dim, 100.0 * costs->explained, costs->coherence,
                          costs->dim > 0 ? (double) costs->k / costs->dim : NAN);
}

/**
 * basin_figure_new_swap_costs:
 * @costs: (nullable): the swap costs of a hidden layer of one run
 * @run_name: (nullable): the name of the run, such as "A"
 *
 * Builds the swap-cost matrix Δ of a layer as `sign(Δ)·√|Δ|` in three
 * colour classes relative to s, the median realization cost of a neuron's
 * own function (basin_swap_costs_summarize() at tolerance 0.1): expensive
 * swaps in warm shades by magnitude, cheap ones (|Δ| ≤ 0.1 s) in a light
 * neutral colour, negative ones in blue shades, and unreachable pairs
 * (Δ = +∞) dark grey.  The diagonal is marked.  The caption gives the
 * formula, the class fractions, the subspace dimension k, its explained
 * variance and its coherence ν(U).
 *
 * Returns: (transfer full): a new figure, showing a message when @costs is
 *   %NULL or empty
 */
BasinFigure *
basin_figure_new_swap_costs (const BasinSwapCosts *costs,
                             const char           *run_name)
{
  g_autofree char *title = swap_costs_title (costs, run_name);
  g_autofree char *caption = NULL;
  g_autofree float *values = NULL;
  g_autofree guint32 *diagonal = NULL;
  BasinSwapCostSummary summary;
  BasinFigure *figure;
  BasinPanel *panel;
  double band, min, max;
  guint m;

  if (costs == NULL || costs->swap == NULL || costs->realization == NULL)
    return figure_new_message (title, _("Compute the swap costs of a hidden layer to see which neurons could "
                                        "exchange their functions cheaply."));
  if (costs->width < 2)
    return figure_new_message (title, _("This layer has fewer than two neurons, so no pair of neurons can swap."));

  m = costs->width;
  basin_swap_costs_summarize (costs, SWAP_COST_TOLERANCE, &summary);
  band = isfinite (summary.scale) && summary.scale > 0.0 ? sqrt (SWAP_COST_TOLERANCE * summary.scale) : 0.0;
  values = signed_sqrt_costs (costs, &min, &max);
  min = isfinite (min) ? MIN (min, -band) : -band;
  max = isfinite (max) ? MAX (max, band) : band;
  if (!(max > min))
    {
      min = -1.0;
      max = 1.0;
    }

  diagonal = g_new (guint32, m);
  for (guint i = 0; i < m; i++)
    diagonal[i] = i;

  figure = basin_figure_new (title);
  panel = basin_figure_add_panel (figure, BASIN_PANEL_MATRIX, NULL);
  basin_panel_set_axis_titles (panel, _("neuron j"), _("neuron i"));
  basin_panel_set_colormap (panel, BASIN_COLORMAP_CLASSES, min, max, _("sign(Δ)·√|Δ|"));
  basin_panel_set_neutral_band (panel, band);
  basin_panel_add_image (panel, NULL, values, m, m, FALSE);
  basin_panel_set_marks (panel, diagonal, m);
  add_swap_legend (panel, &summary, costs->n_infeasible > 0 || summary.infinite_fraction > 0.0);

  caption = swap_costs_caption (costs, &summary);
  basin_figure_set_caption (figure, caption);

  return figure;
}

/* Loss landscapes */

static char *
landscape_title (const BasinLandscape *landscape)
{
  if (landscape != NULL && landscape->kind == BASIN_PLANE_RANDOM && landscape->n_markers > 0)
    return g_strdup_printf (_("Loss landscape around %s along two random directions"),
                            landscape->markers[0].label);

  return g_strdup (_("Loss landscape in the plane of θ_A, θ_B and π(θ_B)"));
}

/* The spacing, in grid steps, of the samples computed so far: the stride
 * of the finest finished level. */
static guint
landscape_stride (const BasinLandscape *landscape)
{
  guint stride = MAX (landscape->coarse_stride, 1);

  if (landscape->levels_done >= 1)
    stride >>= MIN (landscape->levels_done - 1, 31);

  return MAX (stride, 1);
}

/* Copies the loss to floats and finds the range of its finite values, or
 * of its positive ones for a logarithmic scale.  On that scale a loss of
 * 0 (every sample fit exactly in float32) is shown as the smallest
 * positive one, not as missing.  Returns FALSE when there are none. */
static gboolean
landscape_values (const BasinLandscape *landscape,
                  gboolean              log_scale,
                  float                *values,
                  double               *min,
                  double               *max)
{
  gsize n = (gsize) landscape->n_x * landscape->n_y;

  *min = INFINITY;
  *max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    {
      double loss = landscape->loss[i];

      values[i] = (float) loss;
      if (!isfinite (loss) || (log_scale && loss <= 0.0))
        continue;
      *min = MIN (*min, loss);
      *max = MAX (*max, loss);
    }

  for (gsize i = 0; log_scale && *min <= *max && i < n; i++)
    if (isfinite (values[i]) && values[i] <= 0.0f)
      values[i] = (float) *min;

  return *min <= *max;
}

static void
set_landscape_colors (BasinPanel *panel,
                      gboolean    log_scale,
                      double      min,
                      double      max)
{
  if (!(max > min))
    {
      double half = log_scale ? 0.0 : MAX (0.05 * fabs (min), 1e-6);

      min = log_scale ? min / 1.1 : min - half;
      max = log_scale ? max * 1.1 : max + half;
    }

  basin_panel_set_colormap (panel, BASIN_COLORMAP_VIRIDIS, min, max,
                            log_scale ? _("test loss (logarithmic scale)") : _("test loss"));
  basin_panel_set_log_color (panel, log_scale);
}

static void
add_landscape_annotations (BasinPanel           *panel,
                           const BasinLandscape *landscape)
{
  for (guint i = 0; i < landscape->n_segments; i++)
    {
      const BasinLandscapeSegment *segment = &landscape->segments[i];

      if (segment->start >= landscape->n_markers || segment->end >= landscape->n_markers)
        continue;
      basin_panel_add_segment (panel, segment->label,
                               landscape->markers[segment->start].x, landscape->markers[segment->start].y,
                               landscape->markers[segment->end].x, landscape->markers[segment->end].y);
    }

  for (guint i = 0; i < landscape->n_markers; i++)
    basin_panel_add_marker (panel, landscape->markers[i].label,
                            landscape->markers[i].x, landscape->markers[i].y);
}

/* Whether some cell has no computed sample near enough to be drawn. */
static gboolean
has_missing_cells (const BasinPanel *panel)
{
  const BasinImage *image = g_ptr_array_index (panel->images, 0);
  g_autofree double *filled = basin_contour_fill_values (panel, image);

  for (gsize i = 0; i < (gsize) image->n_rows * image->n_cols; i++)
    if (!isfinite (filled[i]))
      return TRUE;

  return FALSE;
}

static void
append_marker_values (GString              *caption,
                      const BasinLandscape *landscape)
{
  gboolean first = TRUE;

  for (guint i = 0; i < landscape->n_markers; i++)
    {
      const BasinLandscapeMarker *marker = &landscape->markers[i];

      if (!isfinite (marker->loss))
        continue;

      g_string_append (caption, first ? " " : "; ");
      g_string_append_printf (caption, _("%s: loss %.3g, accuracy %.1f %%"), marker->label, marker->loss,
                              100.0 * marker->accuracy);
      first = FALSE;
    }

  if (!first)
    g_string_append_c (caption, '.');
}

static char *
landscape_caption (const BasinLandscape *landscape,
                   gboolean              log_scale,
                   gboolean              missing)
{
  GString *caption = g_string_new (NULL);

  g_string_append_printf (caption,
                          _("Mean cross-entropy on %u of the %u samples of “%s”, on a %u × %u grid: "
                            "level %u of %u done, %u points, in %.*f s."),
                          landscape->n_samples, landscape->n_available,
                          landscape->dataset_name != NULL ? landscape->dataset_name : "",
                          landscape->n_x, landscape->n_y, landscape->levels_done, landscape->n_levels,
                          landscape->n_computed, landscape->elapsed < 10.0 ? 2 : 0, landscape->elapsed);
  append_marker_values (caption, landscape);

  g_string_append_c (caption, ' ');
  if (landscape->equal_aspect)
    g_string_append (caption, _("Both axes are Euclidean distances in weight space, at the same scale."));
  else
    g_string_append (caption, _("Coordinates are multiples of the two directions."));

  if (log_scale)
    {
      g_string_append_c (caption, ' ');
      g_string_append (caption, _("Colours and contour levels follow the logarithm of the loss."));
    }

  if (missing)
    {
      g_string_append_c (caption, ' ');
      g_string_append (caption, _("Hatched cells are not computed yet; each computed point covers the cells nearest to it."));
    }

  return g_string_free (caption, FALSE);
}

static gboolean
landscape_is_valid (const BasinLandscape *landscape)
{
  return landscape != NULL && landscape->n_x >= 2 && landscape->n_y >= 2 && landscape->loss != NULL &&
         landscape->x_min < landscape->x_max && landscape->y_min < landscape->y_max;
}

/**
 * basin_figure_new_landscape:
 * @landscape: (nullable): a loss landscape, complete or after some levels
 *   of basin_landscape_evaluate()
 * @log_scale: use a logarithmic colour scale and contour levels
 *
 * Builds a heat map of the loss over the plane, with viridis colours, a
 * colour bar and about nine labelled contour lines at round values.
 * While only the coarse levels are done, each computed point is drawn as
 * a block over its neighbourhood and cells with nothing computed nearby
 * are hatched.  The models are marked, the merge paths between them drawn
 * as dashed segments, and both axes share one scale when the coordinates
 * are distances.  The caption gives the dataset, the number of samples,
 * the grid, the levels done and the time taken.
 *
 * Returns: (transfer full): a new figure, showing a message when
 *   @landscape is %NULL or has no computed point
 */
BasinFigure *
basin_figure_new_landscape (const BasinLandscape *landscape,
                            gboolean              log_scale)
{
  g_autofree char *title = landscape_title (landscape);
  g_autofree char *caption = NULL;
  g_autofree float *values = NULL;
  BasinFigure *figure;
  BasinPanel *panel;
  double min, max;
  gboolean missing;

  if (!landscape_is_valid (landscape))
    return figure_new_message (title, _("Compute a loss landscape to see the loss around the trained runs."));

  values = g_new (float, (gsize) landscape->n_x * landscape->n_y);
  if (!landscape_values (landscape, log_scale, values, &min, &max))
    {
      if (!log_scale || !landscape_values (landscape, FALSE, values, &min, &max))
        return figure_new_message (title, _("No point of the loss landscape is computed yet. "
                                            "The first coarse level appears here when it is done."));

      /* A loss of exactly zero has no logarithm. */
      log_scale = FALSE;
    }

  figure = basin_figure_new (title);
  panel = basin_figure_add_panel (figure, BASIN_PANEL_CONTOUR, NULL);
  basin_panel_set_axis_titles (panel, landscape->x_label, landscape->y_label);
  basin_panel_add_image (panel, NULL, values, landscape->n_y, landscape->n_x, FALSE);
  basin_panel_set_extent (panel, landscape->x_min, landscape->x_max, landscape->y_min, landscape->y_max);
  set_landscape_colors (panel, log_scale, min, max);
  basin_panel_set_grid_stride (panel, landscape_stride (landscape));
  basin_panel_set_contours (panel, LANDSCAPE_CONTOURS);
  basin_panel_set_equal_aspect (panel, landscape->equal_aspect);
  add_landscape_annotations (panel, landscape);

  missing = has_missing_cells (panel);
  if (missing)
    basin_panel_add_legend_patch (panel, 0, TRUE, _("not computed yet"));

  caption = landscape_caption (landscape, log_scale, missing);
  basin_figure_set_caption (figure, caption);

  return figure;
}
