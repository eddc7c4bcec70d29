/* basin-plane.c: planes in weight space, through three models or along two
 * random directions around one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-landscape-private.h"
#include "basin-rng.h"

/* π(θ_B) counts as lying on the line through θ_A and θ_B when its distance
 * from the line is below this fraction of the models' distances, which is
 * the relative resolution of float32 weights. */
#define DEGENERATE_TOLERANCE 1e-7

static BasinPlane *
plane_alloc (BasinPlaneKind kind)
{
  BasinPlane *plane = g_new0 (BasinPlane, 1);

  plane->kind = kind;
  return plane;
}

void
basin_plane_free (BasinPlane *plane)
{
  if (plane == NULL)
    return;

  for (guint k = 0; k < BASIN_PLANE_MAX_MODELS; k++)
    {
      basin_mlp_free (plane->anchors[k]);
      g_free (plane->model_labels[k]);
    }
  g_free (plane->x_label);
  g_free (plane->y_label);
  g_free (plane);
}

static void
plane_add_model (BasinPlane *plane,
                 const char *label,
                 double      x,
                 double      y)
{
  guint i = plane->n_models++;

  g_assert (i < BASIN_PLANE_MAX_MODELS);
  plane->model_labels[i] = g_strdup (label);
  plane->model_x[i] = x;
  plane->model_y[i] = y;
}

static double
squared_norm (const double *v,
              gsize         n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += v[i] * v[i];
  return sum;
}

/* Gram–Schmidt of θ_B − θ_A and π(θ_B) − θ_A in double precision: returns
 * ‖θ_B − θ_A‖ in @length_out, and the coordinates of π(θ_B) along the unit
 * vector u = (θ_B − θ_A) / ‖θ_B − θ_A‖ and orthogonal to it. */
static void
gram_schmidt (BasinMlp *const *models,
              double          *length_out,
              double          *along_out,
              double          *across_out)
{
  gsize n = models[0]->n_params;
  const float *a = models[0]->params, *b = models[1]->params, *c = models[2]->params;
  g_autofree double *u = g_new (double, n);
  g_autofree double *w = g_new (double, n);
  double length, along = 0.0;

  for (gsize i = 0; i < n; i++)
    u[i] = (double) b[i] - a[i];
  length = sqrt (squared_norm (u, n));
  for (gsize i = 0; i < n; i++)
    {
      u[i] = length > 0.0 ? u[i] / length : 0.0;
      w[i] = (double) c[i] - a[i];
      along += w[i] * u[i];
    }
  /* Subtracting the projection and measuring what is left avoids the
   * cancellation of sqrt (‖w‖² − along²). */
  for (gsize i = 0; i < n; i++)
    w[i] -= along * u[i];

  *length_out = length;
  *along_out = along;
  *across_out = sqrt (squared_norm (w, n));
}

/* Sets the σ-MLP gates of a direction anchor to zero.  The plane mixes
 * gates with the same coefficients as the parameters.  Because the
 * coefficients of the models sum to one and directions carry no gate,
 * every point keeps the models' gate. */
static void
clear_gates (BasinMlp *direction)
{
  for (guint l = 0; l < direction->n_layers; l++)
    if (direction->layers[l].gate != NULL)
      memset (direction->layers[l].gate, 0, (gsize) direction->layers[l].out_dim
                                            * direction->layers[l].out_dim * sizeof (float));
}

/* Replaces the third anchor by a random unit direction orthogonal to
 * θ_B − θ_A, for a π(θ_B) on the line through θ_A and θ_B. */
static void
set_orthogonal_direction (BasinPlane *plane,
                          double      length,
                          guint64     seed)
{
  BasinMlp *direction = plane->anchors[2];
  const float *a = plane->anchors[0]->params, *b = plane->anchors[1]->params;
  gsize n = direction->n_params;
  g_autofree double *v = g_new (double, n);
  double along = 0.0, norm;
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      v[i] = basin_rng_normal (&rng);
      along += v[i] * ((double) b[i] - a[i]) / length;
    }
  for (gsize i = 0; i < n; i++)
    v[i] -= along * ((double) b[i] - a[i]) / length;
  norm = sqrt (squared_norm (v, n));
  for (gsize i = 0; i < n; i++)
    direction->params[i] = (float) (v[i] / norm);
  clear_gates (direction);
}

/* Sets the coefficients of the models plane: the point at (x, y) is
 * θ_A + x u + y v, with u = (θ_B − θ_A) / L and
 * v = (π(θ_B) − θ_A − along · u) / across, written as a combination of the
 * three anchors.  A degenerate plane has v itself as the third anchor. */
static void
set_models_coefficients (BasinPlane *plane,
                         double      length,
                         double      along,
                         double      across)
{
  double (*c)[3] = plane->coefficients;

  memset (plane->coefficients, 0, sizeof plane->coefficients);
  c[0][0] = 1.0;
  c[0][1] = -1.0 / length;
  c[1][1] = 1.0 / length;
  if (plane->degenerate)
    {
      c[2][2] = 1.0;
      return;
    }
  c[0][2] = (along / length - 1.0) / across;
  c[1][2] = -along / (length * across);
  c[2][2] = 1.0 / across;
}

/**
 * basin_plane_new_models:
 * @a: run A, the origin
 * @b: run B
 * @aligned_b: run B aligned to A, such as from basin_mlp_align()
 * @seed: seed of the second axis when @aligned_b lies on the line through
 *   @a and @b
 * @error: return location for a #GError
 *
 * Builds the plane through the three models in effective-weight form, with
 * the fixed parts folded in so that all three have the same structure.
 * Its orthonormal basis comes from Gram–Schmidt in double precision.  θ_A
 * is at (0, 0), θ_B at (‖θ_B − θ_A‖, 0), and π(θ_B) at
 * (⟨π(θ_B) − θ_A, u⟩, d), where d ≥ 0 is its distance from the line.  The unaligned and the aligned merge
 * paths are the segments from θ_A to the other two.  σ-MLP gates are not
 * part of the parameter vector, so they do not enter the distances.  Points
 * combine them with the same weights as the parameters.
 *
 * Returns: (transfer full) (nullable): the plane, or %NULL if the networks
 *   differ in structure or run A equals run B
 */
BasinPlane *
basin_plane_new_models (const BasinMlp *a,
                        const BasinMlp *b,
                        const BasinMlp *aligned_b,
                        guint64         seed,
                        GError        **error)
{
  g_autoptr (BasinPlane) plane = plane_alloc (BASIN_PLANE_MODELS);
  double length, along, across;

  plane->n_anchors = 3;
  plane->anchors[0] = basin_mlp_to_effective (a);
  plane->anchors[1] = basin_mlp_to_effective (b);
  plane->anchors[2] = basin_mlp_to_effective (aligned_b);
  plane->direction_seeds[0] = seed;
  if (!basin_check_anchors (plane->anchors, 3, error))
    return NULL;

  gram_schmidt (plane->anchors, &length, &along, &across);
  if (!(length > 0.0) || !isfinite (length) || !isfinite (across))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Run A and run B have identical or non-finite weights, so they "
                     "span no plane; train the runs with different seeds."));
      return NULL;
    }

  plane->degenerate = across <= DEGENERATE_TOLERANCE * MAX (length, fabs (along));
  if (plane->degenerate)
    {
      g_debug ("aligned run B lies on the line through runs A and B (distance %g); "
               "using a random second axis", across);
      set_orthogonal_direction (plane, length, seed);
      across = 0.0;
    }
  set_models_coefficients (plane, length, along, across);

  plane_add_model (plane, "A", 0.0, 0.0);
  plane_add_model (plane, "B", length, 0.0);
  plane_add_model (plane, "π(B)", along, across);
  plane->x_label = g_strdup (_("Distance from θ_A towards θ_B"));
  plane->y_label = g_strdup (plane->degenerate
                             ? _("Distance along a random direction orthogonal to θ_B − θ_A")
                             : _("Distance towards π(θ_B), orthogonal to θ_B − θ_A"));
  return g_steal_pointer (&plane);
}

static double
float_norm (const float *v,
            gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) v[i] * v[i];
  return sqrt (sum);
}

/* Fills @out with normal draws (zero where @mask is zero) and rescales
 * them to the norm @target. */
static void
random_scaled (BasinRng    *rng,
               const float *mask,
               double       target,
               float       *out,
               gsize        n)
{
  double norm;

  for (gsize i = 0; i < n; i++)
    out[i] = mask == NULL || mask[i] != 0.0f ? (float) basin_rng_normal (rng) : 0.0f;
  norm = float_norm (out, n);
  for (gsize i = 0; i < n; i++)
    out[i] = norm > 0.0 ? (float) (out[i] * (target / norm)) : 0.0f;
}

/* Draws a filter-normalized direction for @model (the original, for its
 * mask) around @effective (its effective form) into @direction: every
 * row of every weight matrix gets the norm of the same row of @effective.
 * Frozen entries of a W-MLP stay zero, so only trainable weights move. */
static void
filter_normalized_direction (const BasinMlp     *model,
                             const BasinMlp     *effective,
                             guint64             seed,
                             BasinBiasDirection  bias_direction,
                             BasinMlp           *direction)
{
  BasinRng rng;

  basin_rng_init (&rng, seed);
  memset (direction->params, 0, direction->n_params * sizeof (float));

  for (guint l = 0; l < effective->n_layers; l++)
    {
      const BasinLayer *layer = &effective->layers[l];
      const float *mask = model->layers[l].mask;
      gsize in = layer->in_dim;

      for (guint row = 0; row < layer->out_dim; row++)
        {
          const float *w = basin_mlp_weight (effective, l) + row * in;

          random_scaled (&rng, mask != NULL ? mask + row * in : NULL, float_norm (w, in),
                         basin_mlp_weight (direction, l) + row * in, in);
        }

      if (bias_direction == BASIN_BIAS_DIRECTION_ZERO)
        continue;

      gsize offsets[3] = { layer->bias_offset, layer->gain_offset, layer->shift_offset };
      for (guint v = 0; v < G_N_ELEMENTS (offsets) && offsets[v] != G_MAXSIZE; v++)
        random_scaled (&rng, NULL, float_norm (effective->params + offsets[v], layer->out_dim),
                       direction->params + offsets[v], layer->out_dim);
    }
}

/**
 * basin_plane_new_random:
 * @model: the network at the origin
 * @label: marker label of @model, such as "A"
 * @seed_x: seed of the direction of the first axis
 * @seed_y: seed of the direction of the second axis
 * @bias_direction: whether biases and LayerNorm parameters move
 * @error: return location for a #GError
 *
 * Builds the plane `θ + x d_x + y d_y` around @model in effective-weight
 * form, with two random directions normalized per neuron as Li et al.
 * (2018) do: entries are drawn from N(0, 1), then each row of each weight
 * matrix is rescaled to the norm of that row of the model, which makes the
 * plot independent of how each neuron's weights are scaled.  For a W-MLP
 * the directions are zero at the frozen entries, so only trainable weights
 * move; rows are still scaled to the whole effective row.
 *
 * Returns: (transfer full) (nullable): the plane
 */
BasinPlane *
basin_plane_new_random (const BasinMlp     *model,
                        const char         *label,
                        guint64             seed_x,
                        guint64             seed_y,
                        BasinBiasDirection  bias_direction,
                        GError            **error)
{
  g_autoptr (BasinPlane) plane = plane_alloc (BASIN_PLANE_RANDOM);
  guint64 seeds[2] = { seed_x, seed_y };

  g_return_val_if_fail (label != NULL, NULL);

  plane->n_anchors = 3;
  plane->anchors[0] = basin_mlp_to_effective (model);
  for (guint d = 0; d < 2; d++)
    {
      plane->anchors[1 + d] = basin_mlp_copy (plane->anchors[0]);
      plane->direction_seeds[d] = seeds[d];
      filter_normalized_direction (model, plane->anchors[0], seeds[d], bias_direction,
                                   plane->anchors[1 + d]);
      clear_gates (plane->anchors[1 + d]);
    }
  if (!basin_check_anchors (plane->anchors, 3, error))
    return NULL;

  for (guint k = 0; k < 3; k++)
    plane->coefficients[k][k] = 1.0;
  plane_add_model (plane, label, 0.0, 0.0);
  plane->x_label = g_strdup (_("First random direction (filter-normalized)"));
  plane->y_label = g_strdup (_("Second random direction (filter-normalized)"));
  return g_steal_pointer (&plane);
}

static float
combine (const double *c,
         const float  *const *values,
         guint         n_anchors,
         gsize         i)
{
  double sum = 0.0;

  for (guint k = 0; k < n_anchors; k++)
    sum += c[k] * values[k][i];
  return (float) sum;
}

/**
 * basin_plane_point:
 * @plane: the plane
 * @x: first coordinate
 * @y: second coordinate
 * @out: a network of the structure of the plane's anchors (effective-weight
 *   form, such as a basin_mlp_copy() of `plane->anchors[0]`), overwritten
 *
 * Sets the parameters of @out to the point (@x, @y) of the plane, summed
 * in double precision.  σ-MLP gates are combined the same way, so aligned
 * runs whose gates differ are interpolated as basin_mlp_interpolate() does.
 */
void
basin_plane_point (const BasinPlane *plane,
                   double            x,
                   double            y,
                   BasinMlp         *out)
{
  double c[BASIN_PLANE_MAX_MODELS] = { 0.0 };
  const float *values[BASIN_PLANE_MAX_MODELS];
  guint n = plane->n_anchors;

  g_return_if_fail (basin_mlp_same_structure (plane->anchors[0], out));

  for (guint k = 0; k < n; k++)
    {
      c[k] = plane->coefficients[k][0] + plane->coefficients[k][1] * x
             + plane->coefficients[k][2] * y;
      values[k] = plane->anchors[k]->params;
    }
  for (gsize i = 0; i < out->n_params; i++)
    out->params[i] = combine (c, values, n, i);

  for (guint l = 0; l < out->n_layers; l++)
    {
      gsize size = (gsize) out->layers[l].out_dim * out->layers[l].out_dim;

      if (out->layers[l].gate == NULL)
        continue;
      for (guint k = 0; k < n; k++)
        values[k] = plane->anchors[k]->layers[l].gate;
      for (gsize i = 0; i < size; i++)
        out->layers[l].gate[i] = combine (c, values, n, i);
    }
}

