/* basin-rng.c: xoshiro256** seeded through splitmix64.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-rng.h"

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/**
 * basin_rng_init:
 * @rng: generator to seed
 * @seed: any 64-bit value
 *
 * Seeds @rng so that equal seeds give equal streams on every machine.
 */
void
basin_rng_init (BasinRng *rng,
                guint64   seed)
{
  guint64 state = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

guint64
basin_rng_next (BasinRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* Returns a double in [0, 1) with 53 random bits. */
double
basin_rng_uniform (BasinRng *rng)
{
  return (basin_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Returns a standard normal deviate by the Box–Muller transform; one
 * deviate per call keeps the stream independent of call patterns. */
double
basin_rng_normal (BasinRng *rng)
{
  double u1 = 1.0 - basin_rng_uniform (rng);
  double u2 = basin_rng_uniform (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* Returns an unbiased integer in [0, bound) by Lemire's multiply-shift
 * with rejection. */
guint32
basin_rng_below (BasinRng *rng,
                 guint32   bound)
{
  guint64 product;
  guint32 low;

  g_return_val_if_fail (bound > 0, 0);

  product = (basin_rng_next (rng) >> 32) * (guint64) bound;
  low = (guint32) product;
  if (low < bound)
    {
      guint32 threshold = -bound % bound;

      while (low < threshold)
        {
          product = (basin_rng_next (rng) >> 32) * (guint64) bound;
          low = (guint32) product;
        }
    }

  return product >> 32;
}

/* Shuffles @items in place (Fisher–Yates). */
void
basin_rng_shuffle (BasinRng *rng,
                   guint32  *items,
                   gsize     n_items)
{
  for (gsize i = n_items; i > 1; i--)
    {
      guint32 j = basin_rng_below (rng, (guint32) i);
      guint32 tmp = items[i - 1];

      items[i - 1] = items[j];
      items[j] = tmp;
    }
}
