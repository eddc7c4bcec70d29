/* basin-mlp.h: multilayer perceptrons with fixed and trainable weight parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BASIN_ACTIVATION_RELU,
  BASIN_ACTIVATION_GELU,
  BASIN_ACTIVATION_TANH,
  BASIN_ACTIVATION_SIGMOID,
  BASIN_ACTIVATION_IDENTITY,
} BasinActivation;

/**
 * BasinVariant:
 * @BASIN_VARIANT_STANDARD: `W_eff = W`; fully permutation symmetric
 * @BASIN_VARIANT_W_ASYMMETRIC: in each row, `n_fixed` entries are frozen at
 *   `σ_F · N(0, 1)` and their gradient is masked (`F` at those entries, `D = 0`)
 * @BASIN_VARIANT_NOISE: `W_eff = F + W` with `F = σ_F · N(0, 1)` on every
 *   entry and every entry of `W` trainable (syre)
 * @BASIN_VARIANT_SIGMA: standard weights, but each hidden activation is
 *   `y ⊙ sigmoid(C y)` with a fixed random `C` (width × width) whose entries
 *   are `N(0, σ_F² / width)`.  The configured activation is not used.
 *
 * Every layer computes with `W_eff = F + D ⊙ W`; @F and @D come from the
 * mask seed, so two runs with the same seed share them.
 */
typedef enum {
  BASIN_VARIANT_STANDARD,
  BASIN_VARIANT_W_ASYMMETRIC,
  BASIN_VARIANT_NOISE,
  BASIN_VARIANT_SIGMA,
} BasinVariant;

/* Hidden layers plus the output layer, at most. */
#define BASIN_MAX_LAYERS 65

/* Flags of BasinMlpConfig.layer_override. */
#define BASIN_OVERRIDE_N_FIXED 1
#define BASIN_OVERRIDE_SIGMA_F 2

/**
 * BasinMlpConfig:
 * @input_dim: number of input features
 * @output_dim: number of classes
 * @depth: number of hidden layers, at least 1
 * @width: neurons per hidden layer
 * @activation: nonlinearity of the hidden layers
 * @layer_norm: apply LayerNorm before the activation
 * @layer_norm_no_affine: leave out the LayerNorm's elementwise gain and shift
 * @variant: how the weights are split into fixed and trainable parts
 * @sigma_f: standard deviation of the fixed entries
 * @n_fixed_hidden: frozen entries per row in the hidden layers (W-MLP)
 * @n_fixed_last: frozen entries per row in the output layer (W-MLP)
 * @mask_seed: seed of the fixed parts, shared by the runs of an experiment
 * @layer_override: per layer (hidden layers, then the output layer), which
 *   of @n_fixed_layer and @sigma_f_layer replace the defaults above
 * @n_fixed_layer: per-layer frozen entries per row, where flagged
 * @sigma_f_layer: per-layer σ_F, where flagged
 *
 * A hidden layer computes `act(LN(W_eff x + b))`, the output layer
 * `W_eff x + b`.  A W-MLP layer with `in` inputs freezes at most `in / 2`
 * entries per row, so a W-MLP on 2D data still trains its first layer.
 * @n_fixed_hidden = 0 means width / 8 and @n_fixed_last = 0 means
 * width / 2, which gives 64 and 256 at width 512.
 */
typedef struct {
  guint           input_dim;
  guint           output_dim;
  guint           depth;
  guint           width;
  BasinActivation activation;
  gboolean        layer_norm;
  gboolean        layer_norm_no_affine;
  BasinVariant    variant;
  double          sigma_f;
  guint           n_fixed_hidden;
  guint           n_fixed_last;
  guint64         mask_seed;
  guint8          layer_override[BASIN_MAX_LAYERS];
  guint           n_fixed_layer[BASIN_MAX_LAYERS];
  double          sigma_f_layer[BASIN_MAX_LAYERS];
} BasinMlpConfig;

/**
 * BasinLayer:
 * @in_dim: inputs of the layer
 * @out_dim: neurons of the layer
 * @weight_offset: offset of `W` (@out_dim × @in_dim, row-major) in the
 *   parameter array
 * @bias_offset: offset of `b` (@out_dim)
 * @gain_offset: offset of the LayerNorm gain (@out_dim), or %G_MAXSIZE
 * @shift_offset: offset of the LayerNorm shift (@out_dim), or %G_MAXSIZE
 * @fixed: (nullable): `F`, @out_dim × @in_dim, or %NULL for zero
 * @mask: (nullable): `D`, @out_dim × @in_dim, or %NULL for all ones
 * @gate: (nullable): `C` of a σ-MLP hidden layer, @out_dim × @out_dim
 * @normalized: the layer applies LayerNorm; @gain_offset is %G_MAXSIZE
 *   when it has no elementwise affine part
 */
typedef struct {
  guint  in_dim;
  guint  out_dim;
  gsize  weight_offset;
  gsize  bias_offset;
  gsize  gain_offset;
  gsize  shift_offset;
  float *fixed;
  float *mask;
  float *gate;
  gboolean normalized;
} BasinLayer;

/**
 * BasinMlp:
 * @config: the architecture
 * @n_layers: hidden layers plus the output layer
 * @layers: (array length=n_layers): layer descriptions
 * @params: all trainable parameters in one flat array
 * @n_params: length of @params
 *
 * Gradients and optimizer state use the same flat layout as @params.
 */
typedef struct {
  BasinMlpConfig config;
  guint          n_layers;
  BasinLayer    *layers;
  float         *params;
  gsize          n_params;
} BasinMlp;

typedef struct _BasinWorkspace BasinWorkspace;

const char     *basin_activation_to_string (BasinActivation activation);
gboolean        basin_activation_from_string (const char      *name,
                                              BasinActivation *out);
const char     *basin_variant_to_string    (BasinVariant variant);
gboolean        basin_variant_from_string  (const char   *name,
                                            BasinVariant *out);

gboolean        basin_mlp_config_validate  (const BasinMlpConfig *config,
                                            GError              **error);
BasinMlp       *basin_mlp_new              (const BasinMlpConfig *config,
                                            guint64               init_seed,
                                            GError              **error);
BasinMlp       *basin_mlp_copy             (const BasinMlp *mlp);
void            basin_mlp_free             (BasinMlp *mlp);
BasinMlp       *basin_mlp_to_effective     (const BasinMlp *mlp);
double          basin_mlp_layer_sigma_f    (const BasinMlp *mlp,
                                            guint           layer);
guint           basin_mlp_layer_fixed_count (const BasinMlp *mlp,
                                             guint           layer);
void            basin_mlp_effective_weight (const BasinMlp *mlp,
                                            guint           layer,
                                            float          *out);
gboolean        basin_mlp_same_structure   (const BasinMlp *a,
                                            const BasinMlp *b);

static inline float *
basin_mlp_weight (const BasinMlp *mlp, guint layer)
{
  return mlp->params + mlp->layers[layer].weight_offset;
}

static inline float *
basin_mlp_bias (const BasinMlp *mlp, guint layer)
{
  return mlp->params + mlp->layers[layer].bias_offset;
}

BasinWorkspace *basin_workspace_new        (const BasinMlp *mlp,
                                            guint           max_batch);
void            basin_workspace_free       (BasinWorkspace *workspace);
guint           basin_workspace_max_batch  (const BasinWorkspace *workspace);
const float    *basin_workspace_pre_activation (const BasinWorkspace *workspace,
                                                guint                 layer);
const float    *basin_workspace_activation     (const BasinWorkspace *workspace,
                                                guint                 layer);

const float    *basin_mlp_forward          (const BasinMlp *mlp,
                                            BasinWorkspace *workspace,
                                            const float    *x,
                                            guint           n_rows);
const float    *basin_mlp_forward_first_linear (const BasinMlp *mlp,
                                                BasinWorkspace *workspace,
                                                const float    *first_linear,
                                                guint           n_rows);
const float    *basin_workspace_first_linear   (const BasinWorkspace *workspace);
double          basin_mlp_loss_gradient    (const BasinMlp *mlp,
                                            BasinWorkspace *workspace,
                                            const float    *x,
                                            const guint32  *labels,
                                            guint           n_rows,
                                            float          *gradient,
                                            guint          *n_correct);
double          basin_mlp_cross_entropy    (const float   *logits,
                                            const guint32 *labels,
                                            guint          n_rows,
                                            guint          n_classes,
                                            guint         *n_correct);

G_END_DECLS
