/* basin-mlp.c: MLP construction, forward pass and backpropagation.
 *
 * Every layer computes `z = x W_effᵀ + b` with `W_eff = F + D ⊙ W`; hidden
 * layers follow with an optional LayerNorm and the activation.  Products go
 * through cblas_sgemm on row-major float32; sums over a batch or a row
 * accumulate in double.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-error.h"
#include "basin-mlp.h"
#include "basin-rng.h"
#include "basin-vector.h"
#include "basin-vector-math.h"

#define LAYER_NORM_EPSILON 1e-5f
#define MAX_WIDTH 16384
#define MAX_DEPTH 64

struct _BasinWorkspace
{
  guint   max_batch;
  guint   n_layers;
  float **linear;      /* z: n × out, before LayerNorm */
  float **normalized;  /* u: n × out, LayerNorm output before gain and shift */
  float **inv_std;     /* n per layer */
  float **pre;         /* y: n × out, input of the activation */
  float **post;        /* h: n × out */
  float **gate_out;    /* sigmoid(C y): n × out, σ-MLP hidden layers, or the
                          normal CDF Φ(y) of GELU layers for the backward pass */
  float  *gate_delta;  /* n × max dim, σ-MLP backward scratch */
  float **weight_eff;  /* out × in, for layers with fixed parts */
  float  *delta;       /* n × max dim */
  float  *delta_prev;  /* n × max dim */
  const float *input;
};

static const char *activation_names[] = { "relu", "gelu", "tanh", "sigmoid", "identity" };
static const char *variant_names[] = { "standard", "w-asymmetric", "noise", "sigma" };

const char *
basin_activation_to_string (BasinActivation activation)
{
  g_return_val_if_fail (activation < G_N_ELEMENTS (activation_names), NULL);
  return activation_names[activation];
}

gboolean
basin_activation_from_string (const char      *name,
                              BasinActivation *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (activation_names); i++)
    if (g_strcmp0 (name, activation_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
basin_variant_to_string (BasinVariant variant)
{
  g_return_val_if_fail (variant < G_N_ELEMENTS (variant_names), NULL);
  return variant_names[variant];
}

gboolean
basin_variant_from_string (const char   *name,
                           BasinVariant *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (variant_names); i++)
    if (g_strcmp0 (name, variant_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* With gradients and two AdamW moments a parameter takes 16 bytes, so two
 * runs of this size need about 3.2 GB. */
#define MAX_PARAMETERS 100000000

/* Returns the number of weights, biases and LayerNorm parameters, in
 * double so that absurd settings cannot overflow. */
static double
parameter_count (const BasinMlpConfig *config)
{
  double width = config->width;
  double first = (config->input_dim + 1.0) * width;
  double hidden = (config->depth - 1.0) * (width + 1.0) * width;
  double last = (width + 1.0) * config->output_dim;
  double norms = config->layer_norm ? 2.0 * width * config->depth : 0.0;

  return first + MAX (hidden, 0.0) + last + norms;
}

/**
 * basin_mlp_config_validate:
 * @config: the architecture
 * @error: return location for a #GError
 *
 * Checks that every size and scale of @config is in its allowed range.
 *
 * Returns: %TRUE if @config describes a network Basin can build
 */
gboolean
basin_mlp_config_validate (const BasinMlpConfig *config,
                           GError              **error)
{
  if (config->input_dim == 0 || config->output_dim < 2)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The data has %u input features and %u classes; a network "
                     "needs at least 1 feature and 2 classes."),
                   config->input_dim, config->output_dim);
      return FALSE;
    }
  if (config->depth < 1 || config->depth > MAX_DEPTH)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Depth %u is out of range: use 1 to %u hidden layers."),
                   config->depth, MAX_DEPTH);
      return FALSE;
    }
  if (config->width < 1 || config->width > MAX_WIDTH)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Width %u is out of range: use 1 to %u neurons per layer."),
                   config->width, MAX_WIDTH);
      return FALSE;
    }
  if (!(config->sigma_f >= 0.0 && config->sigma_f <= 100.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("σ_F = %g is out of range: use a value from 0 to 100."),
                   config->sigma_f);
      return FALSE;
    }
  if (parameter_count (config) > MAX_PARAMETERS)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("A network of %u inputs, %u × %u hidden neurons and %u outputs has "
                     "%.3g parameters; Basin trains at most %.3g per run. Use fewer or "
                     "narrower layers."),
                   config->input_dim, config->depth, config->width, config->output_dim,
                   parameter_count (config), (double) MAX_PARAMETERS);
      return FALSE;
    }
  for (guint l = 0; l <= MIN (config->depth, BASIN_MAX_LAYERS - 1); l++)
    if ((config->layer_override[l] & BASIN_OVERRIDE_SIGMA_F)
        && !(config->sigma_f_layer[l] >= 0.0 && config->sigma_f_layer[l] <= 100.0))
      {
        g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                     _("σ_F = %g of layer %u is out of range: use a value from 0 to 100."),
                     config->sigma_f_layer[l], l + 1);
        return FALSE;
      }
  if (config->activation > BASIN_ACTIVATION_IDENTITY || config->variant > BASIN_VARIANT_SIGMA)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Unknown activation or variant."));
      return FALSE;
    }
  return TRUE;
}

/**
 * basin_mlp_layer_fixed_count:
 * @mlp: the network
 * @layer: layer index
 *
 * Returns: the frozen entries per row of a W-MLP layer: the per-layer
 *   setting if flagged, else @n_fixed_hidden or @n_fixed_last (0 meaning
 *   width / 8 and width / 2), at most half the layer's inputs
 */
guint
basin_mlp_layer_fixed_count (const BasinMlp *mlp,
                             guint           layer)
{
  const BasinMlpConfig *config = &mlp->config;
  const BasinLayer *info = &mlp->layers[layer];
  gboolean last = layer + 1 == mlp->n_layers;
  guint n_fixed = last ? config->n_fixed_last : config->n_fixed_hidden;

  if (config->layer_override[layer] & BASIN_OVERRIDE_N_FIXED)
    n_fixed = config->n_fixed_layer[layer];
  else if (n_fixed == 0)
    n_fixed = last ? config->width / 2 : MAX (config->width / 8, 1);
  return MIN (n_fixed, info->in_dim / 2);
}

/* Returns σ_F of @layer: the per-layer setting if flagged, else the global one. */
double
basin_mlp_layer_sigma_f (const BasinMlp *mlp,
                         guint           layer)
{
  if (mlp->config.layer_override[layer] & BASIN_OVERRIDE_SIGMA_F)
    return mlp->config.sigma_f_layer[layer];
  return mlp->config.sigma_f;
}

static void
init_gate (BasinMlp *mlp,
           guint     l,
           BasinRng *rng)
{
  BasinLayer *layer = &mlp->layers[l];
  gsize size = (gsize) layer->out_dim * layer->out_dim;
  double scale = basin_mlp_layer_sigma_f (mlp, l) / sqrt ((double) layer->out_dim);

  layer->gate = g_new (float, size);
  for (gsize i = 0; i < size; i++)
    layer->gate[i] = (float) (scale * basin_rng_normal (rng));
}

/* Draws F and D from the mask seed, so runs with equal seeds share them. */
static void
init_fixed_parts (BasinMlp *mlp)
{
  const BasinMlpConfig *config = &mlp->config;
  BasinRng rng;

  if (config->variant == BASIN_VARIANT_STANDARD)
    return;

  basin_rng_init (&rng, config->mask_seed);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      BasinLayer *layer = &mlp->layers[l];
      gsize size = (gsize) layer->out_dim * layer->in_dim;
      float *weight = basin_mlp_weight (mlp, l);
      double sigma_f = basin_mlp_layer_sigma_f (mlp, l);

      if (config->variant == BASIN_VARIANT_SIGMA)
        {
          if (l + 1 < mlp->n_layers)
            init_gate (mlp, l, &rng);
          continue;
        }

      layer->fixed = g_new0 (float, size);
      if (config->variant == BASIN_VARIANT_NOISE)
        {
          for (gsize i = 0; i < size; i++)
            layer->fixed[i] = (float) (sigma_f * basin_rng_normal (&rng));
          continue;
        }

      g_autofree guint32 *columns = g_new (guint32, layer->in_dim);
      gsize n_fixed = basin_mlp_layer_fixed_count (mlp, l);

      layer->mask = g_new (float, size);
      for (gsize i = 0; i < size; i++)
        layer->mask[i] = 1.0f;

      for (guint row = 0; row < layer->out_dim; row++)
        {
          for (guint j = 0; j < layer->in_dim; j++)
            columns[j] = j;
          /* A partial Fisher–Yates shuffle picks n_fixed distinct columns. */
          for (gsize k = 0; k < n_fixed; k++)
            {
              guint32 pick = k + basin_rng_below (&rng, layer->in_dim - k);
              guint32 column = columns[pick];
              gsize index = (gsize) row * layer->in_dim + column;

              columns[pick] = columns[k];
              columns[k] = column;
              layer->fixed[index] = (float) (sigma_f * basin_rng_normal (&rng));
              layer->mask[index] = 0.0f;
              weight[index] = 0.0f;
            }
        }
    }
}

static BasinMlp *
mlp_alloc (const BasinMlpConfig *config)
{
  BasinMlp *mlp = g_new0 (BasinMlp, 1);
  gsize offset = 0;

  mlp->config = *config;
  mlp->n_layers = config->depth + 1;
  mlp->layers = g_new0 (BasinLayer, mlp->n_layers);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      BasinLayer *layer = &mlp->layers[l];
      gboolean hidden = l + 1 < mlp->n_layers;

      layer->in_dim = l == 0 ? config->input_dim : config->width;
      layer->out_dim = hidden ? config->width : config->output_dim;
      layer->weight_offset = offset;
      offset += (gsize) layer->in_dim * layer->out_dim;
      layer->bias_offset = offset;
      offset += layer->out_dim;
      layer->gain_offset = layer->shift_offset = G_MAXSIZE;
      layer->normalized = hidden && config->layer_norm;
      if (layer->normalized && !config->layer_norm_no_affine)
        {
          layer->gain_offset = offset;
          offset += layer->out_dim;
          layer->shift_offset = offset;
          offset += layer->out_dim;
        }
    }

  mlp->n_params = offset;
  mlp->params = g_new0 (float, offset);
  return mlp;
}

/**
 * basin_mlp_new:
 * @config: the architecture
 * @init_seed: seed of the trainable parameters
 * @error: return location for a #GError
 *
 * Builds a network with weights and biases drawn uniformly from
 * ±1/sqrt(in_dim), as PyTorch's nn.Linear does, LayerNorm gains of one and
 * shifts of zero.  Fixed parts come from @config's mask seed.
 *
 * Returns: (transfer full) (nullable): the network, or %NULL if @config is
 *   invalid
 */
BasinMlp *
basin_mlp_new (const BasinMlpConfig *config,
               guint64               init_seed,
               GError              **error)
{
  BasinMlp *mlp;
  BasinRng rng;

  if (!basin_mlp_config_validate (config, error))
    return NULL;

  mlp = mlp_alloc (config);
  basin_rng_init (&rng, init_seed);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      BasinLayer *layer = &mlp->layers[l];
      float *weight = basin_mlp_weight (mlp, l);
      float *bias = basin_mlp_bias (mlp, l);
      double bound = 1.0 / sqrt ((double) layer->in_dim);

      for (gsize i = 0; i < (gsize) layer->out_dim * layer->in_dim; i++)
        weight[i] = (float) (bound * (2.0 * basin_rng_uniform (&rng) - 1.0));
      for (guint i = 0; i < layer->out_dim; i++)
        bias[i] = (float) (bound * (2.0 * basin_rng_uniform (&rng) - 1.0));
      if (layer->gain_offset != G_MAXSIZE)
        for (guint i = 0; i < layer->out_dim; i++)
          mlp->params[layer->gain_offset + i] = 1.0f;
    }

  init_fixed_parts (mlp);
  return mlp;
}

static float *
dup_floats (const float *data,
            gsize        n)
{
  return data != NULL ? g_memdup2 (data, n * sizeof (float)) : NULL;
}

/* Returns a deep copy of @mlp, fixed parts included. */
BasinMlp *
basin_mlp_copy (const BasinMlp *mlp)
{
  BasinMlp *copy = mlp_alloc (&mlp->config);

  memcpy (copy->params, mlp->params, mlp->n_params * sizeof (float));
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize size = (gsize) mlp->layers[l].out_dim * mlp->layers[l].in_dim;

      copy->layers[l].fixed = dup_floats (mlp->layers[l].fixed, size);
      copy->layers[l].mask = dup_floats (mlp->layers[l].mask, size);
      copy->layers[l].gate = dup_floats (mlp->layers[l].gate,
                                         (gsize) mlp->layers[l].out_dim * mlp->layers[l].out_dim);
    }

  return copy;
}

void
basin_mlp_free (BasinMlp *mlp)
{
  if (mlp == NULL)
    return;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      g_free (mlp->layers[l].fixed);
      g_free (mlp->layers[l].mask);
      g_free (mlp->layers[l].gate);
    }
  g_free (mlp->layers);
  g_free (mlp->params);
  g_free (mlp);
}

/**
 * basin_mlp_effective_weight:
 * @mlp: the network
 * @layer: layer index
 * @out: (out caller-allocates): out_dim × in_dim floats
 *
 * Computes `W_eff = F + D ⊙ W` of one layer.
 */
BASIN_VECTOR_CLONES void
basin_mlp_effective_weight (const BasinMlp *mlp,
                            guint           layer,
                            float          *out)
{
  const BasinLayer *info = &mlp->layers[layer];
  const float *weight = basin_mlp_weight (mlp, layer);
  gsize size = (gsize) info->out_dim * info->in_dim;

  if (info->mask != NULL)
    for (gsize i = 0; i < size; i++)
      out[i] = info->mask[i] * weight[i];
  else
    memcpy (out, weight, size * sizeof (float));

  if (info->fixed != NULL)
    for (gsize i = 0; i < size; i++)
      out[i] += info->fixed[i];
}

/**
 * basin_mlp_to_effective:
 * @mlp: the network
 *
 * Folds the fixed parts `F` and `D` into the weights.  The copy computes
 * the same function as @mlp, so permuting its neurons moves whole
 * effective weights; alignment of asymmetric variants works on it.  A
 * σ-MLP keeps its gate matrices `C`, which basin_mlp_align() permutes.
 *
 * Returns: (transfer full): a standard-variant copy
 */
BasinMlp *
basin_mlp_to_effective (const BasinMlp *mlp)
{
  BasinMlpConfig config = mlp->config;
  BasinMlp *copy;

  config.variant = BASIN_VARIANT_STANDARD;
  copy = mlp_alloc (&config);
  memcpy (copy->params, mlp->params, mlp->n_params * sizeof (float));
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];

      basin_mlp_effective_weight (mlp, l, basin_mlp_weight (copy, l));
      copy->layers[l].gate = dup_floats (layer->gate, (gsize) layer->out_dim * layer->out_dim);
    }

  return copy;
}

/* Returns whether @a and @b have the same layers, parameter layout and
 * fixed-part presence, so their parameters can be interpolated. */
gboolean
basin_mlp_same_structure (const BasinMlp *a,
                          const BasinMlp *b)
{
  if (a->n_layers != b->n_layers || a->n_params != b->n_params)
    return FALSE;

  for (guint l = 0; l < a->n_layers; l++)
    {
      const BasinLayer *la = &a->layers[l], *lb = &b->layers[l];

      if (la->in_dim != lb->in_dim || la->out_dim != lb->out_dim
          || la->gain_offset != lb->gain_offset
          || (la->fixed == NULL) != (lb->fixed == NULL)
          || (la->mask == NULL) != (lb->mask == NULL)
          || (la->gate == NULL) != (lb->gate == NULL)
          || la->normalized != lb->normalized)
        return FALSE;
    }
  return TRUE;
}

/**
 * basin_workspace_new:
 * @mlp: the network the workspace is for
 * @max_batch: largest number of rows passed at once
 *
 * Allocates every buffer of a forward and backward pass once, so training
 * steps allocate nothing.  A workspace serves one thread at a time.
 *
 * Returns: (transfer full): the workspace
 */
BasinWorkspace *
basin_workspace_new (const BasinMlp *mlp,
                     guint           max_batch)
{
  BasinWorkspace *ws = g_new0 (BasinWorkspace, 1);
  guint max_dim = mlp->config.input_dim;

  ws->max_batch = max_batch;
  ws->n_layers = mlp->n_layers;
  ws->linear = g_new0 (float *, mlp->n_layers);
  ws->normalized = g_new0 (float *, mlp->n_layers);
  ws->inv_std = g_new0 (float *, mlp->n_layers);
  ws->pre = g_new0 (float *, mlp->n_layers);
  ws->post = g_new0 (float *, mlp->n_layers);
  ws->weight_eff = g_new0 (float *, mlp->n_layers);
  ws->gate_out = g_new0 (float *, mlp->n_layers);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      gsize size = (gsize) max_batch * layer->out_dim;

      max_dim = MAX (max_dim, layer->out_dim);
      ws->linear[l] = g_new (float, size);
      ws->post[l] = g_new (float, size);
      if (layer->gate != NULL
          || (l + 1 < mlp->n_layers && mlp->config.activation == BASIN_ACTIVATION_GELU))
        ws->gate_out[l] = g_new (float, size);
      if (layer->normalized)
        {
          ws->normalized[l] = g_new (float, size);
          ws->inv_std[l] = g_new (float, max_batch);
          ws->pre[l] = g_new (float, size);
        }
      else
        {
          ws->pre[l] = ws->linear[l];
        }
      if (layer->fixed != NULL || layer->mask != NULL)
        ws->weight_eff[l] = g_new (float, (gsize) layer->out_dim * layer->in_dim);
    }

  ws->delta = g_new (float, (gsize) max_batch * max_dim);
  ws->delta_prev = g_new (float, (gsize) max_batch * max_dim);
  ws->gate_delta = g_new (float, (gsize) max_batch * max_dim);
  return ws;
}

void
basin_workspace_free (BasinWorkspace *ws)
{
  if (ws == NULL)
    return;

  for (guint l = 0; l < ws->n_layers; l++)
    {
      if (ws->pre[l] != ws->linear[l])
        g_free (ws->pre[l]);
      g_free (ws->linear[l]);
      g_free (ws->normalized[l]);
      g_free (ws->inv_std[l]);
      g_free (ws->post[l]);
      g_free (ws->weight_eff[l]);
      g_free (ws->gate_out[l]);
    }
  g_free (ws->gate_out);
  g_free (ws->gate_delta);
  g_free (ws->linear);
  g_free (ws->normalized);
  g_free (ws->inv_std);
  g_free (ws->pre);
  g_free (ws->post);
  g_free (ws->weight_eff);
  g_free (ws->delta);
  g_free (ws->delta_prev);
  g_free (ws);
}

guint
basin_workspace_max_batch (const BasinWorkspace *ws)
{
  return ws->max_batch;
}

/* Returns the activation input (after LayerNorm) of hidden @layer from the
 * last forward pass, n_rows × width. */
const float *
basin_workspace_pre_activation (const BasinWorkspace *ws,
                                guint                 layer)
{
  return ws->pre[layer];
}

/* Returns the output of hidden @layer (or the logits of the last layer)
 * from the last forward pass, n_rows × out_dim. */
const float *
basin_workspace_activation (const BasinWorkspace *ws,
                            guint                 layer)
{
  return ws->post[layer];
}

static inline float
gelu_scalar (float x)
{
  return 0.5f * x * (1.0f + erff (x * (float) M_SQRT1_2));
}

static inline float
gelu_derivative (float x)
{
  float cdf = 0.5f * (1.0f + erff (x * (float) M_SQRT1_2));
  float pdf = expf (-0.5f * x * x) * (float) (0.5 * M_2_SQRTPI * M_SQRT1_2);

  return cdf + x * pdf;
}

/* GELU keeping Φ(x) in @cdf, so the backward pass needs no second erf.
 * Φ comes from the vectorized erfc of basin-vector-math.h, within 3e-7 |x|
 * of erff(), which is several times faster than glibc's scalar erff(). */
BASIN_VECTOR_CLONES static void
gelu_forward (const float *in,
              float       *cdf,
              float       *out,
              gsize        n)
{
  gsize i = 0;

  for (; i + LANES <= n; i += LANES)
    {
      vfloat x = load (in + i);
      vfloat phi = normal_cdf (x);

      store (cdf + i, phi);
      store (out + i, x * phi);
    }
  for (; i < n; i++)
    {
      cdf[i] = 0.5f * (1.0f + erff (in[i] * (float) M_SQRT1_2));
      out[i] = in[i] * cdf[i];
    }
}

/* Multiplies @delta by GELU'(x) = Φ(x) + x φ(x). */
BASIN_VECTOR_CLONES static void
gelu_backward (const float *in,
               const float *cdf,
               float       *delta,
               gsize        n)
{
  const float scale = (float) (0.5 * M_2_SQRTPI * M_SQRT1_2);
  gsize i = 0;

  for (; i + LANES <= n; i += LANES)
    {
      vfloat x = load (in + i);
      vfloat pdf = exp_nonpositive (-0.5f * x * x) * scale;

      store (delta + i, load (delta + i) * (load (cdf + i) + x * pdf));
    }
  for (; i < n; i++)
    delta[i] *= cdf[i] + in[i] * expf (-0.5f * in[i] * in[i]) * scale;
}

static void
apply_activation (BasinActivation activation,
                  const float    *in,
                  float          *out,
                  gsize           n)
{
  switch (activation)
    {
    case BASIN_ACTIVATION_RELU:
      /* Written so that NaN propagates, as in PyTorch, and divergence shows. */
      for (gsize i = 0; i < n; i++)
        out[i] = in[i] < 0.0f ? 0.0f : in[i];
      break;
    case BASIN_ACTIVATION_GELU:
      for (gsize i = 0; i < n; i++)
        out[i] = gelu_scalar (in[i]);
      break;
    case BASIN_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        out[i] = tanhf (in[i]);
      break;
    case BASIN_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        out[i] = 1.0f / (1.0f + expf (-in[i]));
      break;
    case BASIN_ACTIVATION_IDENTITY:
    default:
      memcpy (out, in, n * sizeof (float));
      break;
    }
}

/* Multiplies @delta by act'(pre) in place, where @post is act(pre). */
BASIN_VECTOR_CLONES static void
activation_backward (BasinActivation activation,
                     const float    *pre,
                     const float    *post,
                     float          *delta,
                     gsize           n)
{
  switch (activation)
    {
    case BASIN_ACTIVATION_RELU:
      for (gsize i = 0; i < n; i++)
        delta[i] = pre[i] > 0.0f ? delta[i] : 0.0f;
      break;
    case BASIN_ACTIVATION_GELU:
      for (gsize i = 0; i < n; i++)
        delta[i] *= gelu_derivative (pre[i]);
      break;
    case BASIN_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        delta[i] *= 1.0f - post[i] * post[i];
      break;
    case BASIN_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        delta[i] *= post[i] * (1.0f - post[i]);
      break;
    case BASIN_ACTIVATION_IDENTITY:
    default:
      break;
    }
}

BASIN_VECTOR_CLONES static void
layer_norm_forward (const float *z,
                    const float *gain,
                    const float *shift,
                    float       *normalized,
                    float       *inv_std,
                    float       *out,
                    guint        n_rows,
                    guint        width)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *zr = z + (gsize) r * width;
      float *ur = normalized + (gsize) r * width;
      float *yr = out + (gsize) r * width;
      double sum = 0.0, sum_sq = 0.0;
      float mean, rstd;

      for (guint j = 0; j < width; j++)
        sum += zr[j];
      mean = (float) (sum / width);
      for (guint j = 0; j < width; j++)
        {
          double centered = zr[j] - mean;
          sum_sq += centered * centered;
        }
      rstd = (float) (1.0 / sqrt (sum_sq / width + LAYER_NORM_EPSILON));
      inv_std[r] = rstd;

      for (guint j = 0; j < width; j++)
        {
          ur[j] = (zr[j] - mean) * rstd;
          yr[j] = gain != NULL ? gain[j] * ur[j] + shift[j] : ur[j];
        }
    }
}

static const float *
layer_weight (const BasinMlp *mlp,
              BasinWorkspace *ws,
              guint           layer)
{
  if (ws->weight_eff[layer] != NULL)
    return ws->weight_eff[layer];
  return basin_mlp_weight (mlp, layer);
}

static const float *
layer_gain (const BasinMlp *mlp,
            guint           l)
{
  gsize offset = mlp->layers[l].gain_offset;

  return offset != G_MAXSIZE ? mlp->params + offset : NULL;
}

static const float *
layer_shift (const BasinMlp *mlp,
             guint           l)
{
  gsize offset = mlp->layers[l].shift_offset;

  return offset != G_MAXSIZE ? mlp->params + offset : NULL;
}

/* Computes the σ-MLP activation h = y ⊙ sigmoid(y Cᵀ) and keeps the sigmoid
 * in @gate_out. */
BASIN_VECTOR_CLONES static void
gate_forward (const BasinLayer *layer,
              const float      *pre,
              float            *gate_out,
              float            *post,
              guint             n_rows)
{
  gsize n = (gsize) n_rows * layer->out_dim;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               n_rows, layer->out_dim, layer->out_dim,
               1.0f, pre, layer->out_dim, layer->gate, layer->out_dim,
               0.0f, gate_out, layer->out_dim);
  for (gsize i = 0; i < n; i++)
    {
      gate_out[i] = 1.0f / (1.0f + expf (-gate_out[i]));
      post[i] = pre[i] * gate_out[i];
    }
}

/* Computes the linear output z = x W_effᵀ + b of layer @l into the workspace. */
static void
layer_linear (const BasinMlp *mlp,
              BasinWorkspace *ws,
              guint           l,
              const float    *input,
              guint           n_rows)
{
  const BasinLayer *layer = &mlp->layers[l];
  const float *bias = basin_mlp_bias (mlp, l);
  gsize out = layer->out_dim;
  float *z = ws->linear[l];

  if (ws->weight_eff[l] != NULL)
    basin_mlp_effective_weight (mlp, l, ws->weight_eff[l]);

  for (guint r = 0; r < n_rows; r++)
    memcpy (z + r * out, bias, out * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               n_rows, layer->out_dim, layer->in_dim,
               1.0f, input, layer->in_dim, layer_weight (mlp, ws, l), layer->in_dim,
               1.0f, z, layer->out_dim);
}

/* Runs every layer from the linear output of layer 0, which is already in
 * the workspace. */
static const float *
forward_from_first_linear (const BasinMlp *mlp,
                           BasinWorkspace *ws,
                           guint           n_rows)
{
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      gsize n = (gsize) n_rows * layer->out_dim;

      if (l > 0)
        layer_linear (mlp, ws, l, ws->post[l - 1], n_rows);

      if (l + 1 == mlp->n_layers)
        {
          memcpy (ws->post[l], ws->linear[l], n * sizeof (float));
          break;
        }

      if (layer->normalized)
        layer_norm_forward (ws->linear[l], layer_gain (mlp, l), layer_shift (mlp, l),
                            ws->normalized[l], ws->inv_std[l], ws->pre[l],
                            n_rows, layer->out_dim);
      if (layer->gate != NULL)
        gate_forward (layer, ws->pre[l], ws->gate_out[l], ws->post[l], n_rows);
      else if (mlp->config.activation == BASIN_ACTIVATION_GELU)
        gelu_forward (ws->pre[l], ws->gate_out[l], ws->post[l], n);
      else
        apply_activation (mlp->config.activation, ws->pre[l], ws->post[l], n);
    }

  return ws->post[mlp->n_layers - 1];
}

/**
 * basin_mlp_forward:
 * @mlp: the network
 * @workspace: buffers from basin_workspace_new() for @mlp
 * @x: @n_rows × input_dim inputs, row-major
 * @n_rows: batch size, at most the workspace's maximum
 *
 * Runs the network and keeps every intermediate result in @workspace for
 * basin_workspace_activation() and the backward pass.
 *
 * Returns: (transfer none): the logits, @n_rows × output_dim, valid until
 *   the next call with @workspace
 */
const float *
basin_mlp_forward (const BasinMlp *mlp,
                   BasinWorkspace *ws,
                   const float    *x,
                   guint           n_rows)
{
  g_return_val_if_fail (n_rows <= ws->max_batch, NULL);

  ws->input = x;
  layer_linear (mlp, ws, 0, x, n_rows);
  return forward_from_first_linear (mlp, ws, n_rows);
}

/**
 * basin_mlp_forward_first_linear:
 * @mlp: the network
 * @workspace: buffers for @mlp
 * @first_linear: @n_rows × width, the linear output `x W_effᵀ + b` of the
 *   first layer, computed by the caller
 * @n_rows: batch size
 *
 * Runs the network from a given first-layer output.  Along a straight line
 * in weight space the first layer's output is linear in λ, so a merge path
 * computes it for both endpoints once and mixes them for every λ.  The
 * backward pass is not available after this call.
 *
 * Returns: (transfer none): the logits
 */
const float *
basin_mlp_forward_first_linear (const BasinMlp *mlp,
                                BasinWorkspace *ws,
                                const float    *first_linear,
                                guint           n_rows)
{
  g_return_val_if_fail (n_rows <= ws->max_batch, NULL);

  ws->input = NULL;
  memcpy (ws->linear[0], first_linear,
          (gsize) n_rows * mlp->layers[0].out_dim * sizeof (float));
  return forward_from_first_linear (mlp, ws, n_rows);
}

/* Returns the linear output of layer 0 from the last forward pass. */
const float *
basin_workspace_first_linear (const BasinWorkspace *ws)
{
  return ws->linear[0];
}

/**
 * basin_mlp_cross_entropy:
 * @logits: @n_rows × @n_classes
 * @labels: @n_rows class indices
 * @n_rows: batch size
 * @n_classes: number of classes
 * @n_correct: (out) (optional): rows whose largest logit is the label
 *
 * Returns: the mean softmax cross-entropy, computed stably in double
 */
double
basin_mlp_cross_entropy (const float   *logits,
                         const guint32 *labels,
                         guint          n_rows,
                         guint          n_classes,
                         guint         *n_correct)
{
  double total = 0.0;
  guint correct = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      const float *row = logits + (gsize) r * n_classes;
      float max = row[0];
      guint argmax = 0;
      double sum = 0.0;

      for (guint c = 1; c < n_classes; c++)
        if (row[c] > max)
          {
            max = row[c];
            argmax = c;
          }
      for (guint c = 0; c < n_classes; c++)
        sum += exp ((double) row[c] - max);
      total += log (sum) + max - row[labels[r]];
      correct += argmax == labels[r];
    }

  if (n_correct != NULL)
    *n_correct = correct;
  return n_rows > 0 ? total / n_rows : 0.0;
}

/* Writes (softmax(logits) − onehot) / n into @delta. */
BASIN_VECTOR_CLONES static void
softmax_delta (const float   *logits,
               const guint32 *labels,
               guint          n_rows,
               guint          n_classes,
               float         *delta)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *row = logits + (gsize) r * n_classes;
      float *d = delta + (gsize) r * n_classes;
      float max = row[0];
      double sum = 0.0;

      for (guint c = 1; c < n_classes; c++)
        max = MAX (max, row[c]);
      for (guint c = 0; c < n_classes; c++)
        {
          d[c] = expf (row[c] - max);
          sum += d[c];
        }
      for (guint c = 0; c < n_classes; c++)
        d[c] = (float) (d[c] / sum) / n_rows;
      d[labels[r]] -= 1.0f / n_rows;
    }
}

/* Turns the gradient at the LayerNorm output into the gradient at its
 * input, in place, and accumulates the gain and shift gradients. */
BASIN_VECTOR_CLONES static void
layer_norm_backward (const float *normalized,
                     const float *inv_std,
                     const float *gain,
                     float       *delta,
                     float       *gain_grad,
                     float       *shift_grad,
                     guint        n_rows,
                     guint        width)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *ur = normalized + (gsize) r * width;
      float *dr = delta + (gsize) r * width;
      double mean_du = 0.0, mean_du_u = 0.0;

      for (guint j = 0; j < width; j++)
        {
          float du = gain != NULL ? dr[j] * gain[j] : dr[j];

          if (gain_grad != NULL)
            {
              gain_grad[j] += dr[j] * ur[j];
              shift_grad[j] += dr[j];
            }
          dr[j] = du;
          mean_du += du;
          mean_du_u += du * ur[j];
        }
      mean_du /= width;
      mean_du_u /= width;

      for (guint j = 0; j < width; j++)
        dr[j] = inv_std[r] * (dr[j] - (float) mean_du - ur[j] * (float) mean_du_u);
    }
}

BASIN_VECTOR_CLONES static void
column_sums (const float *matrix,
             guint        n_rows,
             guint        n_cols,
             float       *out)
{
  memset (out, 0, n_cols * sizeof (float));
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      out[c] += matrix[(gsize) r * n_cols + c];
}

/* Turns the gradient at a σ-MLP output h = y ⊙ g, g = sigmoid(y Cᵀ), into
 * the gradient at y: dy = dh ⊙ g + (dh ⊙ y ⊙ g (1 − g)) C. */
BASIN_VECTOR_CLONES static void
gate_backward (const BasinLayer *layer,
               const float      *pre,
               const float      *gate_out,
               float            *delta,
               float            *scratch,
               guint             n_rows)
{
  gsize n = (gsize) n_rows * layer->out_dim;

  for (gsize i = 0; i < n; i++)
    {
      float g = gate_out[i];

      scratch[i] = delta[i] * pre[i] * g * (1.0f - g);
      delta[i] *= g;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               n_rows, layer->out_dim, layer->out_dim,
               1.0f, scratch, layer->out_dim, layer->gate, layer->out_dim,
               1.0f, delta, layer->out_dim);
}

static void
hidden_norm_backward (const BasinMlp *mlp,
                      BasinWorkspace *ws,
                      guint           l,
                      guint           n_rows,
                      float          *delta,
                      float          *gradient)
{
  const BasinLayer *layer = &mlp->layers[l];
  float *gain_grad = NULL, *shift_grad = NULL;

  if (layer->gain_offset != G_MAXSIZE)
    {
      gain_grad = gradient + layer->gain_offset;
      shift_grad = gradient + layer->shift_offset;
      memset (gain_grad, 0, layer->out_dim * sizeof (float));
      memset (shift_grad, 0, layer->out_dim * sizeof (float));
    }
  layer_norm_backward (ws->normalized[l], ws->inv_std[l], layer_gain (mlp, l), delta,
                       gain_grad, shift_grad, n_rows, layer->out_dim);
}

/* Backpropagates through layer @l.  On entry @delta contains the gradient at
 * the layer's linear output z.  Fills the parameter gradients and, for
 * l > 0, the gradient at the layer input in @delta_prev. */
static void
layer_backward (const BasinMlp *mlp,
                BasinWorkspace *ws,
                guint           l,
                guint           n_rows,
                float          *delta,
                float          *delta_prev,
                float          *gradient)
{
  const BasinLayer *layer = &mlp->layers[l];
  const float *input = l == 0 ? ws->input : ws->post[l - 1];
  float *weight_grad = gradient + layer->weight_offset;
  gsize size = (gsize) layer->out_dim * layer->in_dim;

  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
               layer->out_dim, layer->in_dim, n_rows,
               1.0f, delta, layer->out_dim, input, layer->in_dim,
               0.0f, weight_grad, layer->in_dim);
  if (layer->mask != NULL)
    for (gsize i = 0; i < size; i++)
      weight_grad[i] *= layer->mask[i];
  column_sums (delta, n_rows, layer->out_dim, gradient + layer->bias_offset);

  if (l > 0)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                 n_rows, layer->in_dim, layer->out_dim,
                 1.0f, delta, layer->out_dim, layer_weight (mlp, ws, l), layer->in_dim,
                 0.0f, delta_prev, layer->in_dim);
}

/**
 * basin_mlp_loss_gradient:
 * @mlp: the network
 * @workspace: buffers for @mlp
 * @x: @n_rows × input_dim inputs
 * @labels: @n_rows class indices
 * @n_rows: batch size
 * @gradient: (out caller-allocates): n_params floats, overwritten with the
 *   gradient of the mean loss; entries of frozen weights are zero
 * @n_correct: (out) (optional): correctly classified rows
 *
 * Returns: the mean cross-entropy loss of the batch
 */
double
basin_mlp_loss_gradient (const BasinMlp *mlp,
                         BasinWorkspace *ws,
                         const float    *x,
                         const guint32  *labels,
                         guint           n_rows,
                         float          *gradient,
                         guint          *n_correct)
{
  const float *logits = basin_mlp_forward (mlp, ws, x, n_rows);
  guint n_classes = mlp->config.output_dim;
  float *delta = ws->delta, *delta_prev = ws->delta_prev;
  double loss;

  loss = basin_mlp_cross_entropy (logits, labels, n_rows, n_classes, n_correct);
  softmax_delta (logits, labels, n_rows, n_classes, delta);

  for (guint l = mlp->n_layers; l-- > 0;)
    {
      const BasinLayer *layer = &mlp->layers[l];
      gsize n = (gsize) n_rows * layer->out_dim;

      if (l + 1 < mlp->n_layers)
        {
          if (layer->gate != NULL)
            gate_backward (layer, ws->pre[l], ws->gate_out[l], delta, ws->gate_delta, n_rows);
          else if (mlp->config.activation == BASIN_ACTIVATION_GELU)
            gelu_backward (ws->pre[l], ws->gate_out[l], delta, n);
          else
            activation_backward (mlp->config.activation, ws->pre[l], ws->post[l], delta, n);
          if (layer->normalized)
            hidden_norm_backward (mlp, ws, l, n_rows, delta, gradient);
        }

      layer_backward (mlp, ws, l, n_rows, delta, delta_prev, gradient);
      float *swap = delta;
      delta = delta_prev;
      delta_prev = swap;
    }

  return loss;
}
