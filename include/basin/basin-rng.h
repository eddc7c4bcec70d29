/* basin-rng.h: a seeded xoshiro256** generator, one per run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BasinRng:
 *
 * State of a xoshiro256** generator (Blackman and Vigna, 2018).  Seeded
 * through splitmix64, so any 64-bit seed, zero included, is valid.  Nothing
 * in Basin draws from global random state.
 */
typedef struct {
  guint64 s[4];
} BasinRng;

void    basin_rng_init    (BasinRng *rng,
                           guint64   seed);
guint64 basin_rng_next    (BasinRng *rng);
double  basin_rng_uniform (BasinRng *rng);
double  basin_rng_normal  (BasinRng *rng);
guint32 basin_rng_below   (BasinRng *rng,
                           guint32   bound);
void    basin_rng_shuffle (BasinRng *rng,
                           guint32  *items,
                           gsize     n_items);

G_END_DECLS
