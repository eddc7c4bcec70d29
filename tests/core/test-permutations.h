/* test-permutations.h: random hidden-neuron permutations for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin/basin.h"

/* Returns one seeded random permutation per hidden layer of @mlp. */
static inline guint32 **
random_permutations (const BasinMlp *mlp,
                     guint64         seed)
{
  guint32 **perms = g_new0 (guint32 *, mlp->n_layers - 1);
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (guint l = 0; l + 1 < mlp->n_layers; l++)
    {
      perms[l] = g_new (guint32, mlp->config.width);
      for (guint i = 0; i < mlp->config.width; i++)
        perms[l][i] = i;
      basin_rng_shuffle (&rng, perms[l], mlp->config.width);
    }
  return perms;
}

static inline void
free_permutations (guint32 **perms,
                   guint     n)
{
  for (guint l = 0; l < n; l++)
    g_free (perms[l]);
  g_free (perms);
}
