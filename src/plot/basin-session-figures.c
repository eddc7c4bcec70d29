/* basin-session-figures.c: the figures of a session.
 *
 * Each builder copies what it shows out of the session, so a figure stays
 * valid after the session changes.  When the data a figure needs is
 * missing, the figure shows a message with the step that produces it.
 *
 * Hidden layers are counted from 0 in the API and from 1 in figure text.
 * Neurons are numbered from 0 everywhere, as in the session file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"
#include "basin-neuron-map.h"

/* Data points drawn over each neuron map. */
#define NEURON_MAP_POINTS 400

static BasinFigure *
figure_new_message (const char *title,
                    const char *message)
{
  BasinFigure *figure = basin_figure_new (title);

  basin_figure_set_message (figure, message);

  return figure;
}

static const char *
needs_analysis_message (const BasinSession *session,
                        gboolean            paths)
{
  if (!session->trained)
    return paths ? _("Train both runs, then run the analysis to see the loss along the paths from run A to run B.")
                 : _("Train both runs, then run the analysis to see how their neurons match.");

  return paths ? _("Run the analysis to see the loss along the paths from run A to run B.")
               : _("Run the analysis to see how the neurons of the two runs match.");
}

/* Whether the matching covers @layer of two maps with @n_neurons each. */
static gboolean
matching_fits (const BasinMatching *matching,
               guint                layer,
               guint                n_neurons)
{
  return matching != NULL && layer < matching->n_layers &&
         matching->widths[layer] == n_neurons && matching->permutation[layer] != NULL;
}

static void
add_class_legend (BasinPanel            *panel,
                  const BasinInputPlane *plane)
{
  guint n_classes = MIN (plane->n_classes, basin_palette_size ());

  for (guint c = 0; c < n_classes; c++)
    {
      g_autofree char *label = g_strdup_printf (_("class %u"), c);

      basin_panel_add_legend_entry (panel, BASIN_LEGEND_DOT, c, label);
    }
}

static BasinPanel *
add_neuron_panel (BasinFigure           *figure,
                  const char            *title,
                  const BasinInputPlane *plane)
{
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_IMAGE_GRID, title);

  basin_panel_set_axis_titles (panel, plane->x_label, plane->y_label);
  basin_panel_set_colormap (panel, BASIN_COLORMAP_VIRIDIS, 0.0, 1.0, NULL);
  basin_panel_set_scale_per_image (panel, TRUE);
  if (plane->x_min < plane->x_max && plane->y_min < plane->y_max)
    basin_panel_set_extent (panel, plane->x_min, plane->x_max, plane->y_min, plane->y_max);
  basin_panel_set_points (panel, plane->points, plane->point_labels, plane->n_points);

  return panel;
}

static char *
neurons_caption (gboolean matched,
                 guint    n_same,
                 guint    n_shown,
                 guint    n_neurons)
{
  GString *caption = g_string_new (NULL);

  if (matched)
    {
      g_string_append (caption,
                       _("Position i of run B shows the neuron of B that activation matching pairs with neuron i of A."));
      g_string_append_c (caption, ' ');
      if (n_same > 0)
        g_string_append (caption, _("Framed pairs are matched to the neuron with the same index."));
      else
        g_string_append (caption, _("No neuron shown is matched to the neuron with the same index."));
    }
  else
    g_string_append (caption,
                     _("Run B is shown in its own order; run the analysis to order it by matching to run A."));

  if (n_shown < n_neurons)
    {
      g_string_append_c (caption, ' ');
      g_string_append_printf (caption, _("Showing the first %u of %u neurons."), n_shown, n_neurons);
    }

  return g_string_free (caption, FALSE);
}

/* Adds the first @n_shown neurons of A and their partners in B; returns
 * how many of them are matched to the same index. */
static guint
add_neuron_images (BasinPanel           *panel_a,
                   BasinPanel           *panel_b,
                   const BasinNeuronMap *map_a,
                   const BasinNeuronMap *map_b,
                   const guint32        *permutation,
                   guint                 n_shown)
{
  gsize n_values = (gsize) map_a->resolution * map_a->resolution;
  guint n_same = 0;

  for (guint i = 0; i < n_shown; i++)
    {
      guint j = permutation != NULL ? permutation[i] : i;
      gboolean same = permutation != NULL && j == i;
      g_autofree char *label_a = g_strdup_printf (_("A %u"), i);
      g_autofree char *label_b = g_strdup_printf (_("B %u"), j);

      basin_panel_add_image (panel_a, label_a, map_a->values + i * n_values,
                             map_a->resolution, map_a->resolution, same);
      if (j < map_b->n_neurons)
        basin_panel_add_image (panel_b, label_b, map_b->values + j * n_values,
                               map_b->resolution, map_b->resolution, same);
      n_same += same;
    }

  return n_same;
}

/**
 * basin_figure_new_neuron_maps:
 * @plane: the input plane the maps were computed on
 * @map_a: the neuron maps of run A
 * @map_b: the neuron maps of run B, same layer and resolution
 * @matching: (nullable): the matching of B to A, or %NULL to show B in
 *   its own order
 * @layer: the hidden layer of the maps, counting from 0
 * @max_neurons: show at most this many neurons, 0 for all
 *
 * Builds the neurons figure from maps computed elsewhere, for example on
 * a worker thread: two grids of heat maps side by side, run A and run B,
 * each neuron scaled to its own range, with the data points on top.  With
 * a matching, position i of run B shows the neuron of B matched to neuron
 * i of A, and pairs matched to the same index are framed.
 *
 * Returns: (transfer full): a new figure
 */
BasinFigure *
basin_figure_new_neuron_maps (const BasinInputPlane *plane,
                              const BasinNeuronMap  *map_a,
                              const BasinNeuronMap  *map_b,
                              const BasinMatching   *matching,
                              guint                  layer,
                              guint                  max_neurons)
{
  g_autofree char *title = NULL;
  g_autofree char *caption = NULL;
  const guint32 *permutation = NULL;
  BasinFigure *figure;
  BasinPanel *panel_a, *panel_b;
  guint n_shown;
  guint n_same;

  g_return_val_if_fail (plane != NULL, NULL);
  g_return_val_if_fail (map_a != NULL && map_b != NULL, NULL);

  title = g_strdup_printf (_("Neurons of hidden layer %u"), layer + 1);
  if (map_a->resolution != map_b->resolution || map_a->n_neurons != map_b->n_neurons ||
      map_a->resolution == 0 || map_a->n_neurons == 0)
    return figure_new_message (title, _("The neuron maps of run A and run B have different sizes, so they cannot be shown side by side."));

  if (matching_fits (matching, layer, map_a->n_neurons))
    permutation = matching->permutation[layer];

  n_shown = max_neurons > 0 ? MIN (max_neurons, map_a->n_neurons) : map_a->n_neurons;
  figure = basin_figure_new (title);
  basin_figure_set_columns (figure, 2);

  panel_a = add_neuron_panel (figure, _("Run A"), plane);
  panel_b = add_neuron_panel (figure, permutation != NULL ? _("Run B (matched to A)") : _("Run B"), plane);
  basin_panel_set_colormap (panel_b, BASIN_COLORMAP_VIRIDIS, 0.0, 1.0,
                            _("activation, scaled per neuron to [0, 1]"));
  n_same = add_neuron_images (panel_a, panel_b, map_a, map_b, permutation, n_shown);

  add_class_legend (panel_a, plane);
  if (n_same > 0)
    basin_panel_add_legend_entry (panel_b, BASIN_LEGEND_BOX, 0, _("matched to the same index"));

  caption = neurons_caption (permutation != NULL, n_same, n_shown, map_a->n_neurons);
  basin_figure_set_caption (figure, caption);

  return figure;
}

/**
 * basin_figure_new_neurons:
 * @session: a session
 * @layer: a hidden layer, counting from 0
 * @max_neurons: show at most this many neurons, 0 for all
 * @resolution: grid points along each axis of a neuron map, at least 2
 *
 * Computes the activation of every neuron of @layer of run A and run B
 * over an input plane of the test data, or of the training data if there
 * is no test set.  Then builds the figure of
 * basin_figure_new_neuron_maps() with the session's matching, if any.
 *
 * Returns: (transfer full): a new figure, showing a message when the
 *   session has no data or no such layer
 */
BasinFigure *
basin_figure_new_neurons (const BasinSession *session,
                          guint               layer,
                          guint               max_neurons,
                          guint               resolution)
{
  g_autofree char *title = NULL;
  const BasinDataset *data;
  BasinInputPlane *plane;
  BasinNeuronMap *map_a, *map_b;
  BasinFigure *figure;
  guint64 seed;

  g_return_val_if_fail (session != NULL, NULL);

  title = g_strdup_printf (_("Neurons of hidden layer %u"), layer + 1);
  data = session->test != NULL ? session->test : session->train;
  if (data == NULL || data->n_samples == 0 || session->runs[0] == NULL || session->runs[1] == NULL)
    return figure_new_message (title, _("Create or open an experiment to see its neurons."));

  if (layer >= session->runs[0]->config.depth)
    {
      g_autofree char *message =
        g_strdup_printf (_("Hidden layer %u does not exist: the network has %u hidden layers."),
                         layer + 1, session->runs[0]->config.depth);

      return figure_new_message (title, message);
    }

  seed = session->experiment != NULL ? session->experiment->data_seed : 0;
  plane = basin_input_plane_new (data, NEURON_MAP_POINTS, seed);
  if (plane == NULL)
    return figure_new_message (title, _("The input plane of the data could not be computed."));

  resolution = MAX (resolution, 2);
  map_a = basin_neuron_map_new (session->runs[0], plane, layer, resolution);
  map_b = basin_neuron_map_new (session->runs[1], plane, layer, resolution);

  if (map_a != NULL && map_b != NULL)
    figure = basin_figure_new_neuron_maps (plane, map_a, map_b, session->matching, layer, max_neurons);
  else
    figure = figure_new_message (title, _("The neuron maps could not be computed."));

  basin_neuron_map_free (map_a);
  basin_neuron_map_free (map_b);
  basin_input_plane_free (plane);

  return figure;
}

static double
identity_ratio (const BasinMatching *matching,
                guint                layer)
{
  return matching->objective[layer] != 0.0
           ? matching->identity_objective[layer] / matching->objective[layer]
           : NAN;
}

static char *
match_matrix_caption (const BasinMatching *matching,
                      guint                layer,
                      BasinMatrixOrder     order)
{
  if (order == BASIN_MATRIX_ORDER_MATCHING)
    return g_strdup_printf (_("Rows are the neurons of run A in their own order; column i shows the neuron π(i) "
                              "of run B matched to neuron i of A, so the matching π that maximizes Σ C[i, π(i)] "
                              "lies on the diagonal and the numbers under the columns are B's own neuron numbers. "
                              "Identity objective Σ C[i, i] / optimal objective = %.3f. "
                              "Correlations of activations on %u inputs."),
                            identity_ratio (matching, layer), matching->n_eval);

  return g_strdup_printf (_("Rows are the neurons of run A and columns those of run B, both in their own order. "
                            "Marked cells are the matching π that maximizes Σ C[i, π(i)]; "
                            "identity objective Σ C[i, i] / optimal objective = %.3f. "
                            "Correlations of activations on %u inputs."),
                          identity_ratio (matching, layer), matching->n_eval);
}

/* Returns whether @permutation contains every index below @width exactly once. */
static gboolean
is_permutation (const guint32 *permutation,
                guint          width)
{
  g_autofree guint8 *seen = g_new0 (guint8, width);

  for (guint i = 0; i < width; i++)
    {
      if (permutation[i] >= width || seen[permutation[i]])
        return FALSE;
      seen[permutation[i]] = 1;
    }

  return TRUE;
}

/* Column i of the result is column permutation[i] of @matrix. */
static float *
permute_columns (const float   *matrix,
                 const guint32 *permutation,
                 guint          width)
{
  float *permuted = g_new (float, (gsize) width * width);

  for (guint r = 0; r < width; r++)
    for (guint c = 0; c < width; c++)
      permuted[(gsize) r * width + c] = matrix[(gsize) r * width + permutation[c]];

  return permuted;
}

static void
fill_match_panel (BasinPanel          *panel,
                  const BasinMatching *matching,
                  guint                layer,
                  BasinMatrixOrder     order)
{
  guint width = matching->widths[layer];
  const guint32 *permutation = matching->permutation[layer];

  basin_panel_set_colormap (panel, BASIN_COLORMAP_DIVERGING, -1.0, 1.0, _("Pearson correlation"));

  if (order == BASIN_MATRIX_ORDER_MATCHING)
    {
      g_autofree float *permuted = permute_columns (matching->correlation[layer], permutation, width);
      g_autofree guint32 *diagonal = g_new (guint32, width);

      for (guint i = 0; i < width; i++)
        diagonal[i] = i;
      basin_panel_set_axis_titles (panel, _("neuron of run B, in matched order"), _("neuron of run A"));
      basin_panel_add_image (panel, NULL, permuted, width, width, FALSE);
      basin_panel_set_marks (panel, diagonal, width);
      basin_panel_set_column_labels (panel, permutation, width);
    }
  else
    {
      basin_panel_set_axis_titles (panel, _("neuron of run B"), _("neuron of run A"));
      basin_panel_add_image (panel, NULL, matching->correlation[layer], width, width, FALSE);
      basin_panel_set_marks (panel, permutation, width);
    }

  basin_panel_add_legend_entry (panel, BASIN_LEGEND_BOX, 0, _("matched pair (i, π(i))"));
}

/**
 * basin_figure_new_match_matrix_ordered:
 * @session: a session
 * @layer: a hidden layer, counting from 0
 * @order: the order of the columns
 *
 * Builds the Pearson correlation matrix between the neurons of run A
 * (rows) and run B (columns) of @layer as a heat map on a fixed [−1, 1]
 * diverging scale, with the matched cells marked.  With
 * %BASIN_MATRIX_ORDER_MATCHING column i shows the neuron of B matched to
 * neuron i of A, so the matching is the diagonal, and the tick labels give
 * B's own neuron numbers.  The title gives the identity-match rate and the
 * mean matched correlation, the caption the order.
 *
 * Returns: (transfer full): a new figure, showing a message when the
 *   session has no matching of @layer
 */
BasinFigure *
basin_figure_new_match_matrix_ordered (const BasinSession *session,
                                       guint               layer,
                                       BasinMatrixOrder    order)
{
  const BasinMatching *matching;
  g_autofree char *title = NULL;
  g_autofree char *caption = NULL;
  BasinFigure *figure;
  BasinPanel *panel;

  g_return_val_if_fail (session != NULL, NULL);

  matching = session->matching;
  if (matching == NULL)
    return figure_new_message (_("Neuron matching"), needs_analysis_message (session, FALSE));

  if (layer >= matching->n_layers || matching->widths[layer] == 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("Hidden layer %u does not exist: the matching covers %u hidden layers."),
                         layer + 1, matching->n_layers);

      return figure_new_message (_("Neuron matching"), message);
    }

  if (!is_permutation (matching->permutation[layer], matching->widths[layer]))
    {
      g_autofree char *message =
        g_strdup_printf (_("The matching of hidden layer %u is not a permutation of its %u neurons. "
                           "Run the analysis again."), layer + 1, matching->widths[layer]);

      return figure_new_message (_("Neuron matching"), message);
    }

  title = g_strdup_printf (_("Hidden layer %u · identity-match rate %.1f %% · mean matched correlation %.2f"),
                           layer + 1, 100.0 * matching->identity_rate[layer],
                           matching->mean_correlation[layer]);
  figure = basin_figure_new (title);
  panel = basin_figure_add_panel (figure, BASIN_PANEL_MATRIX, NULL);
  fill_match_panel (panel, matching, layer, order);

  caption = match_matrix_caption (matching, layer, order);
  if (session->cka != NULL && isfinite (session->cka[layer]))
    {
      /* The layer-level similarity, next to the neuron-level one. */
      char *with_cka = g_strdup_printf (_("%s Linear CKA of the two layers: %.3f."), caption,
                                        session->cka[layer]);

      g_free (caption);
      caption = with_cka;
    }
  basin_figure_set_caption (figure, caption);

  return figure;
}

/**
 * basin_figure_new_match_matrix:
 * @session: a session
 * @layer: a hidden layer, counting from 0
 *
 * Builds basin_figure_new_match_matrix_ordered() with both runs in their
 * own order.
 *
 * Returns: (transfer full): a new figure, showing a message when the
 *   session has no matching of @layer
 */
BasinFigure *
basin_figure_new_match_matrix (const BasinSession *session,
                               guint               layer)
{
  return basin_figure_new_match_matrix_ordered (session, layer, BASIN_MATRIX_ORDER_IDENTITY);
}

static const char *
alignment_name (const char *alignment)
{
  if (g_strcmp0 (alignment, "none") == 0)
    return _("unaligned");
  if (g_strcmp0 (alignment, "activation") == 0)
    return _("aligned (activation matching)");
  if (g_strcmp0 (alignment, "weight") == 0)
    return _("aligned (weight matching)");

  return alignment != NULL ? alignment : _("path");
}

static void
add_path_series (BasinPanel    *panel,
                 const char    *name,
                 const double  *lambda,
                 const double  *values,
                 guint          n_points,
                 double         scale,
                 guint          color,
                 gboolean       dashed,
                 const char    *note)
{
  g_autofree double *scaled = g_new (double, n_points);
  guint index;

  for (guint i = 0; i < n_points; i++)
    scaled[i] = scale * values[i];

  index = basin_panel_add_series (panel, name, lambda, scaled, n_points, color, dashed);
  basin_panel_set_series_note (panel, index, note);
}

static void
add_path (BasinPanel      *loss_panel,
          BasinPanel      *accuracy_panel,
          const BasinPath *path,
          guint            color)
{
  const char *name = alignment_name (path->alignment);
  g_autofree char *test_name = g_strdup_printf (_("%s, test"), name);
  g_autofree char *train_name = g_strdup_printf (_("%s, train"), name);
  g_autofree char *note = NULL;

  note = g_strdup_printf (_("barrier %.3f"), path->loss_barrier);
  add_path_series (loss_panel, test_name, path->lambda, path->test_loss, path->n_points,
                   1.0, color, FALSE, note);
  g_free (note);
  note = g_strdup_printf (_("barrier %.1f pp"), path->accuracy_barrier);
  add_path_series (accuracy_panel, test_name, path->lambda, path->test_accuracy, path->n_points,
                   100.0, color, FALSE, note);

  if (path->train_loss == NULL || path->train_accuracy == NULL)
    return;

  g_free (note);
  note = g_strdup_printf (_("barrier %.3f"), path->train_loss_barrier);
  add_path_series (loss_panel, train_name, path->lambda, path->train_loss, path->n_points,
                   1.0, color, TRUE, note);
  g_free (note);
  note = g_strdup_printf (_("barrier %.1f pp"), path->train_accuracy_barrier);
  add_path_series (accuracy_panel, train_name, path->lambda, path->train_accuracy, path->n_points,
                   100.0, color, TRUE, note);
}

static gboolean
path_is_drawable (const BasinPath *path)
{
  return path != NULL && path->n_points > 0 && path->lambda != NULL &&
         path->test_loss != NULL && path->test_accuracy != NULL;
}

/* The first drawable path, or NULL. */
static const BasinPath *
first_drawable_path (const BasinSession *session)
{
  for (guint p = 0; p < G_N_ELEMENTS (session->paths); p++)
    if (path_is_drawable (session->paths[p]))
      return session->paths[p];

  return NULL;
}

static char *
merge_path_caption (const BasinSession *session)
{
  const BasinPath *path = first_drawable_path (session);
  g_autofree char *caption = NULL;

  caption = g_strdup_printf (_("θ(λ) = (1−λ) θ_A + λ θ_B, with θ_B as trained (unaligned) or permuted to match A. "
                               "Loss barrier = max_λ [L(θ(λ)) − ((1−λ) L(θ_A) + λ L(θ_B))]; "
                               "accuracy barrier = largest drop below the straight line between the "
                               "endpoint accuracies, in percentage points (pp). "
                               "Test: %u samples (solid), train: %u samples (dashed)."),
                             path->n_test, path->n_train);
  if (session->experiment == NULL
      || session->experiment->model.variant == BASIN_VARIANT_STANDARD)
    return g_steal_pointer (&caption);

  /* For asymmetric variants, the caption states what alignment moves and
   * what stays fixed. */
  return g_strconcat (caption, " ",
                      _("Paths interpolate the effective weights F + D ⊙ W. Alignment permutes "
                        "the neurons of the effective weights, fixed parts included; the "
                        "unaligned path keeps F and D shared by both runs."), NULL);
}

/**
 * basin_figure_new_merge_path:
 * @session: a session
 *
 * Builds the loss and the accuracy along the straight paths from run A to
 * run B, in two panels side by side: unaligned, aligned by activation
 * matching and, when the session has it, aligned by weight matching.  Test
 * curves are solid and training curves dashed, with one colour per path.
 * The legend gives the barrier of each curve and the caption its formula.
 *
 * Returns: (transfer full): a new figure, showing a message when the
 *   session has no merge paths yet
 */
BasinFigure *
basin_figure_new_merge_path (const BasinSession *session)
{
  g_autofree char *caption = NULL;
  const BasinPath *first;
  BasinFigure *figure;
  BasinPanel *loss_panel, *accuracy_panel;
  double lambda_min, lambda_max;

  g_return_val_if_fail (session != NULL, NULL);

  first = first_drawable_path (session);
  if (first == NULL)
    return figure_new_message (_("Linear interpolation from run A to run B"),
                               needs_analysis_message (session, TRUE));
  lambda_min = MIN (first->lambda[0], 0.0);
  lambda_max = MAX (first->lambda[first->n_points - 1], 1.0);

  figure = basin_figure_new (_("Linear interpolation from run A to run B"));
  basin_figure_set_columns (figure, 2);

  loss_panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, _("Loss"));
  basin_panel_set_axis_titles (loss_panel, _("λ (0 = run A, 1 = run B)"), _("cross-entropy loss"));
  basin_panel_set_x_range (loss_panel, lambda_min, lambda_max);

  accuracy_panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, _("Accuracy"));
  basin_panel_set_axis_titles (accuracy_panel, _("λ (0 = run A, 1 = run B)"), _("accuracy (%)"));
  basin_panel_set_x_range (accuracy_panel, lambda_min, lambda_max);

  for (guint p = 0; p < G_N_ELEMENTS (session->paths); p++)
    if (path_is_drawable (session->paths[p]))
      add_path (loss_panel, accuracy_panel, session->paths[p], p);

  caption = merge_path_caption (session);
  basin_figure_set_caption (figure, caption);

  return figure;
}

/**
 * basin_figure_new_training:
 * @n_steps: (array fixed-size=2) (nullable): points of each run's curve
 * @steps: (array fixed-size=2) (nullable): x values of each curve, in
 *   epochs, fractional
 * @losses: (array fixed-size=2) (nullable): minibatch losses, smoothed by
 *   the caller
 * @epochs: epochs of the whole training; the x axis spans [0, @epochs] so
 *   it does not move while the curves grow
 *
 * Builds the live loss curves of run A and run B.  Curves with no points
 * leave the axes empty; switch to a logarithmic loss axis with
 * basin_panel_set_log_y() on panel 0.
 *
 * Returns: (transfer full): a new figure
 */
BasinFigure *
basin_figure_new_training (const guint         *n_steps,
                           const double *const *steps,
                           const double *const *losses,
                           guint                epochs)
{
  BasinFigure *figure = basin_figure_new (_("Training loss"));
  BasinPanel *panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, NULL);
  const char *names[BASIN_N_RUNS] = { _("run A"), _("run B") };

  basin_panel_set_axis_titles (panel, _("epoch"), _("training loss (minibatch, smoothed)"));
  basin_panel_set_x_range (panel, 0.0, MAX (epochs, 1));

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      gboolean has_data = n_steps != NULL && steps != NULL && losses != NULL &&
                          n_steps[run] > 0 && steps[run] != NULL && losses[run] != NULL;

      basin_panel_add_series (panel, names[run],
                              has_data ? steps[run] : NULL,
                              has_data ? losses[run] : NULL,
                              has_data ? n_steps[run] : 0, run, FALSE);
    }

  return figure;
}

static gboolean
track_is_drawable (const BasinIdentifiabilityTrack *track)
{
  if (track == NULL || track->epochs == NULL || track->epochs->len == 0 || track->n_layers == 0)
    return FALSE;

  for (guint l = 0; l < track->n_layers; l++)
    if (track->identity_rate[l] == NULL || track->objective_ratio[l] == NULL ||
        track->identity_rate[l]->len != track->epochs->len ||
        track->objective_ratio[l]->len != track->epochs->len)
      return FALSE;

  return TRUE;
}

static void
add_track_series (BasinPanel   *panel,
                  const double *epochs,
                  const GArray *values,
                  double        scale,
                  guint         layer)
{
  g_autofree char *name = g_strdup_printf (_("layer %u"), layer + 1);
  g_autofree double *scaled = g_new (double, values->len);

  for (guint i = 0; i < values->len; i++)
    scaled[i] = scale * g_array_index (values, double, i);

  basin_panel_add_series (panel, name, epochs, scaled, values->len, layer, FALSE);
}

/* Marks the final analysis of each layer with a dot at the last epoch.
 * Dashed lines show where uniformly random permutations fall: an identity
 * rate of 1/width, because a random permutation has one fixed point on
 * average, and their mean objective relative to the optimal one. */
static void
add_final_values (BasinPanel                 *rate_panel,
                  BasinPanel                 *ratio_panel,
                  const BasinIdentifiability *final,
                  guint                       n_layers,
                  double                      first_epoch,
                  double                      last_epoch)
{
  double x[2] = { first_epoch, last_epoch };
  guint random_color = n_layers == 1 ? 0 : 6;

  for (guint l = 0; l < MIN (n_layers, final->n_layers); l++)
    {
      const BasinLayerIdentifiability *stats = &final->layers[l];
      double rate = 100.0 * stats->identity_rate;
      double random[2];

      basin_panel_add_series (rate_panel, "", &last_epoch, &rate, 1, l, FALSE);
      basin_panel_add_series (ratio_panel, "", &last_epoch, &stats->objective_ratio, 1, l, FALSE);

      if (stats->width > 0)
        {
          random[0] = random[1] = 100.0 / stats->width;
          basin_panel_add_series (rate_panel, "", x, random, 2, l, TRUE);
        }

      if (stats->n_random > 0 && stats->objective > 0.0)
        {
          random[0] = random[1] = stats->random_mean / stats->objective;
          basin_panel_add_series (ratio_panel, "", x, random, 2, l, TRUE);
        }
    }

  basin_panel_add_legend_entry (rate_panel, BASIN_LEGEND_DOT, 6, _("final analysis"));
  basin_panel_add_legend_entry (rate_panel, BASIN_LEGEND_DASHED_LINE, random_color, _("random permutations"));
  basin_panel_add_legend_entry (ratio_panel, BASIN_LEGEND_DOT, 6, _("final analysis"));
  basin_panel_add_legend_entry (ratio_panel, BASIN_LEGEND_DASHED_LINE, random_color, _("random permutations"));
}

static char *
track_caption (const BasinSession *session)
{
  GString *caption = g_string_new (NULL);

  g_string_append (caption,
                   _("After each epoch, run B is matched to run A by the correlation C of their activations "
                     "on the same inputs as the final analysis. Identity-match rate = share of neurons i with π(i) = i; "
                     "ratio = Σ C[i, i] / max_π Σ C[i, π(i)], 1 when the identity is an optimal matching."));

  if (session->identifiability != NULL)
    {
      g_string_append_c (caption, ' ');
      g_string_append (caption,
                       _("Dots: the final analysis. Dashed: where uniformly random permutations fall, "
                         "an identity-match rate of 1/width (one fixed point on average) and their mean "
                         "objective divided by the optimal objective."));
    }

  return g_string_free (caption, FALSE);
}

/**
 * basin_figure_new_identifiability_track:
 * @session: a session
 *
 * Builds the identifiability of the runs over training from
 * @session->track: the identity-match rate (%) and the ratio of the
 * identity objective to the optimal objective, against the epoch, one
 * line per hidden layer.  With @session->identifiability the final values
 * are marked and the ratio panel shows where random permutations fall.
 *
 * Returns: (transfer full): a new figure, showing a message when the
 *   session has no track
 */
BasinFigure *
basin_figure_new_identifiability_track (const BasinSession *session)
{
  const BasinIdentifiabilityTrack *track;
  g_autofree char *caption = NULL;
  BasinPanel *rate_panel, *ratio_panel;
  BasinFigure *figure;
  const double *epochs;
  guint n;

  g_return_val_if_fail (session != NULL, NULL);

  track = session->track;
  if (!track_is_drawable (track))
    return figure_new_message (_("Identifiability during training"),
                               session->trained
                                 ? _("This session has no identifiability track: the runs are compared after each "
                                     "epoch only when identifiability tracking is enabled in the experiment. "
                                     "Enable it and train again.")
                                 : _("Train both runs to see how their identifiability develops. The runs are "
                                     "compared after each epoch when identifiability tracking is enabled in the "
                                     "experiment."));

  epochs = (const double *) track->epochs->data;
  n = track->epochs->len;
  figure = basin_figure_new (_("Identifiability during training"));
  basin_figure_set_columns (figure, 2);

  rate_panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, _("Identity-match rate"));
  basin_panel_set_axis_titles (rate_panel, _("epoch"), _("identity-match rate (%)"));
  basin_panel_set_y_range (rate_panel, 0.0, 100.0);

  ratio_panel = basin_figure_add_panel (figure, BASIN_PANEL_LINES, _("Identity objective / optimal objective"));
  basin_panel_set_axis_titles (ratio_panel, _("epoch"), _("objective ratio"));

  if (epochs[n - 1] > epochs[0])
    {
      basin_panel_set_x_range (rate_panel, epochs[0], epochs[n - 1]);
      basin_panel_set_x_range (ratio_panel, epochs[0], epochs[n - 1]);
    }

  for (guint l = 0; l < track->n_layers; l++)
    {
      add_track_series (rate_panel, epochs, track->identity_rate[l], 100.0, l);
      add_track_series (ratio_panel, epochs, track->objective_ratio[l], 1.0, l);
    }

  if (session->identifiability != NULL)
    add_final_values (rate_panel, ratio_panel, session->identifiability, track->n_layers,
                      epochs[0], epochs[n - 1]);

  caption = track_caption (session);
  basin_figure_set_caption (figure, caption);

  return figure;
}
