/* basin-vector-math.h: elementwise math on eight floats at a time.
 *
 * GCC vector extensions, inlined into each caller so that functions marked
 * BASIN_VECTOR_CLONES get AVX2 and FMA instructions in their x86-64-v3
 * variant.  GELU(x) = x Φ(x) uses erfc(t) ≈ e^(−t²) Σ_{i=1..7} a_i k^i with
 * k = 1 / (1 + 0.35 t); the a_i were fitted for the smallest absolute error
 * of erfc on [0, 12], within 3e-9, so GELU stays within 3e-7 |x| of the
 * exact value in float arithmetic (tests/core/test-landscape.c checks it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wpsabi"

#define LANES 8

typedef float vfloat __attribute__ ((vector_size (LANES * sizeof (float))));
typedef gint32 vint __attribute__ ((vector_size (LANES * sizeof (gint32))));

/* Every helper is inlined into both compiled variants of the row function,
 * so each variant gets its own instructions. */
#define KERNEL static inline __attribute__ ((always_inline))

#define ERFC_P 0.35f

/* a_1 … a_7 */
static const float erfc_coefficients[7] = {
  1.961745425e-01f, 2.225355268e-01f, 3.157406237e-02f, 6.205063989e-01f,
  -6.233010756e-01f, 7.451222907e-01f, -1.926117486e-01f,
};

KERNEL vfloat
splat (float x)
{
  vfloat v = { 0.0f };

  return v + x;
}

KERNEL vfloat
load (const float *p)
{
  vfloat v;

  memcpy (&v, p, sizeof v);
  return v;
}

KERNEL void
store (float  *p,
       vfloat  v)
{
  memcpy (p, &v, sizeof v);
}

/* Loads @n < LANES floats and zeros the other lanes. */
KERNEL vfloat
load_partial (const float *p,
              guint        n)
{
  vfloat v = { 0.0f };

  memcpy (&v, p, n * sizeof (float));
  return v;
}

KERNEL vfloat
select_lanes (vint   mask,
              vfloat if_true,
              vfloat if_false)
{
  return (vfloat) (((vint) if_true & mask) | ((vint) if_false & ~mask));
}

/* Computes e^a for a ≤ 0 as 2^n e^r with a = n ln 2 + r and |r| ≤ ½ ln 2.
 * e^r comes from its Taylor polynomial of degree 7 (relative error below
 * 8e-9) and 2^n from the exponent bits.  Values below −87 are clamped,
 * where e^a < 2e-38. */
KERNEL vfloat
exp_nonpositive (vfloat a)
{
  const float round_magic = 12582912.0f; /* 1.5 · 2^23 rounds to an integer */
  vfloat n, r, p;
  vint bits;

  a = select_lanes (a < -87.0f, splat (-87.0f), a);
  n = (a * (float) M_LOG2E + round_magic) - round_magic;
  /* ln 2 split into a high part with few mantissa bits and the rest, so
   * n · high is exact. */
  r = a - n * 0.693145752f - n * 1.42860677e-6f;
  p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120
      + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  bits = (__builtin_convertvector (n, vint) + 127) << 23;
  return p * (vfloat) bits;
}

/* Computes the standard normal CDF Φ(x) = 1 − ½ erfc(x/√2) for x ≥ 0 and
 * ½ erfc(|x|/√2) otherwise.  A NaN makes every step NaN, so it stays NaN. */
KERNEL vfloat
normal_cdf (vfloat x)
{
  vfloat t = (vfloat) ((vint) x & 0x7fffffff) * (float) M_SQRT1_2;
  vfloat k = 1.0f / (1.0f + ERFC_P * t);
  vfloat sum = erfc_coefficients[6] * k;
  vfloat half_erfc;

  for (int i = 5; i >= 0; i--)
    sum = (sum + erfc_coefficients[i]) * k;
  half_erfc = 0.5f * sum * exp_nonpositive (-t * t);
  return select_lanes (x >= 0.0f, 1.0f - half_erfc, half_erfc);
}

KERNEL vfloat
gelu (vfloat x)
{
  return x * normal_cdf (x);
}
