/* basin-landscape-rows.c: the elementwise part of a forward pass, on
 * eight floats at a time.
 *
 * Mixing the first layer's cached outputs, LayerNorm and the activation
 * run in one pass per row while the row is in the first-level cache.  With
 * glibc's scalar erff(), GELU and LayerNorm took about as long as the
 * matrix products of a 784-512-512-512-10 MLP (perf record of
 * bench/bench-landscape on a 2-core AMD EPYC).  This file therefore
 * computes them with GCC vector extensions, compiled a second time for
 * AVX2 and FMA on x86-64 and picked at run time.
 *
 * GELU(x) = x Φ(x) uses Φ(x) = 1 − ½ erfc(x/√2) for x ≥ 0 and ½ erfc(|x|/√2)
 * otherwise, with erfc(t) ≈ e^(−t²) Σ_{i=1..7} a_i k^i, k = 1 / (1 + 0.35 t).
 * The a_i were fitted by iteratively reweighted least squares for the
 * smallest absolute error of erfc on [0, 12], which the fit keeps within
 * 3e-9.  In float arithmetic GELU(x) stays within 3e-7 |x| of the exact
 * value, about three float roundings, as tests/core/test-landscape.c
 * checks.  Losses of a random 784-512-512-512-10 MLP on the Fashion-MNIST
 * test set differed from basin_mlp_evaluate(), which uses erff(), by 2e-9
 * relative.  LayerNorm sums each row in double precision, as basin-mlp.c
 * does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-landscape-private.h"

#include "basin-vector-math.h"

#define LAYER_NORM_EPSILON 1e-5f

typedef float vfloat4 __attribute__ ((vector_size (4 * sizeof (float))));
typedef double vdouble4 __attribute__ ((vector_size (4 * sizeof (double))));

KERNEL vfloat
activate (BasinActivation activation,
          vfloat          x)
{
  switch (activation)
    {
    case BASIN_ACTIVATION_RELU:
      return select_lanes (x < 0.0f, splat (0.0f), x);
    case BASIN_ACTIVATION_GELU:
      return gelu (x);
    case BASIN_ACTIVATION_TANH:
      for (guint i = 0; i < LANES; i++)
        x[i] = tanhf (x[i]);
      return x;
    case BASIN_ACTIVATION_SIGMOID:
      for (guint i = 0; i < LANES; i++)
        x[i] = 1.0f / (1.0f + expf (-x[i]));
      return x;
    case BASIN_ACTIVATION_IDENTITY:
    default:
      return x;
    }
}

/* Writes the weighted sum of the mixed inputs of row @r into @row. */
KERNEL void
mix_row (const BasinRowOp *op,
         guint             r,
         float            *row)
{
  gsize offset = (gsize) r * op->width;
  guint j = 0;

  for (; j + LANES <= op->width; j += LANES)
    {
      vfloat sum = op->weights[0] * load (op->mix[0] + offset + j);

      for (guint k = 1; k < op->n_mix; k++)
        sum += op->weights[k] * load (op->mix[k] + offset + j);
      store (row + j, sum);
    }
  for (; j < op->width; j++)
    {
      float sum = op->weights[0] * op->mix[0][offset + j];

      for (guint k = 1; k < op->n_mix; k++)
        sum += op->weights[k] * op->mix[k][offset + j];
      row[j] = sum;
    }
}

KERNEL vdouble4
load_double4 (const float *p)
{
  vfloat4 x;

  memcpy (&x, p, sizeof x);
  return __builtin_convertvector (x, vdouble4);
}

/* Sums in double with two accumulators, so consecutive additions do not
 * wait for each other. */
KERNEL double
row_mean (const float *row,
          guint        width)
{
  vdouble4 acc[2] = { { 0.0 }, { 0.0 } };
  double tail = 0.0;
  guint j = 0;

  for (; j + 8 <= width; j += 8)
    {
      acc[0] += load_double4 (row + j);
      acc[1] += load_double4 (row + j + 4);
    }
  for (; j < width; j++)
    tail += row[j];
  acc[0] += acc[1];
  return (acc[0][0] + acc[0][1] + acc[0][2] + acc[0][3] + tail) / width;
}

/* Returns the mean squared deviation from @mean; like basin-mlp.c, the
 * deviations are float differences squared and summed in double. */
KERNEL double
row_variance (const float *row,
              guint        width,
              float        mean)
{
  vdouble4 acc[2] = { { 0.0 }, { 0.0 } };
  double tail = 0.0;
  guint j = 0;

  for (; j + 8 <= width; j += 8)
    {
      vfloat d = load (row + j) - mean;
      vfloat4 low = { d[0], d[1], d[2], d[3] }, high = { d[4], d[5], d[6], d[7] };
      vdouble4 low_d = __builtin_convertvector (low, vdouble4);
      vdouble4 high_d = __builtin_convertvector (high, vdouble4);

      acc[0] += low_d * low_d;
      acc[1] += high_d * high_d;
    }
  for (; j < width; j++)
    {
      double d = row[j] - mean;
      tail += d * d;
    }
  acc[0] += acc[1];
  return (acc[0][0] + acc[0][1] + acc[0][2] + acc[0][3] + tail) / width;
}

/* Normalizes (when the layer has LayerNorm) and activates one row. */
KERNEL void
finish_row (const BasinRowOp *op,
            float            *row)
{
  vfloat mean = splat (0.0f), rstd = splat (1.0f);
  guint j = 0;

  if (op->normalized)
    {
      float m = (float) row_mean (row, op->width);
      double variance = row_variance (row, op->width, m);

      mean = splat (m);
      rstd = splat ((float) (1.0 / sqrt (variance + LAYER_NORM_EPSILON)));
    }

  for (; j < op->width; j += LANES)
    {
      guint n = MIN (LANES, op->width - j);
      vfloat x = n == LANES ? load (row + j) : load_partial (row + j, n);

      if (op->normalized)
        x = (x - mean) * rstd;
      if (op->gain != NULL)
        {
          vfloat gain = n == LANES ? load (op->gain + j) : load_partial (op->gain + j, n);
          vfloat shift = n == LANES ? load (op->shift + j) : load_partial (op->shift + j, n);

          x = gain * x + shift;
        }
      x = activate (op->activation, x);
      if (n == LANES)
        store (row + j, x);
      else
        memcpy (row + j, &x, n * sizeof (float));
    }
}

KERNEL void
finish_rows_body (const BasinRowOp *op,
                  float            *rows,
                  guint             n_rows)
{
  for (guint r = 0; r < n_rows; r++)
    {
      float *row = rows + (gsize) r * op->width;

      if (op->n_mix > 0)
        mix_row (op, r, row);
      finish_row (op, row);
    }
}

static void
finish_rows_generic (const BasinRowOp *op,
                     float            *rows,
                     guint             n_rows)
{
  finish_rows_body (op, rows, n_rows);
}

#if defined (__x86_64__) && defined (__GNUC__)
__attribute__ ((target ("avx2,fma"))) static void
finish_rows_avx2 (const BasinRowOp *op,
                  float            *rows,
                  guint             n_rows)
{
  finish_rows_body (op, rows, n_rows);
}
#endif

/**
 * basin_row_func_select:
 *
 * Returns: the fastest row function this processor runs
 */
BasinRowFunc
basin_row_func_select (void)
{
#if defined (__x86_64__) && defined (__GNUC__)
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    return finish_rows_avx2;
#endif
  return finish_rows_generic;
}
