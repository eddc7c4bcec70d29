/* bench-assignment.c: linear assignment in Basin on random matrices, for
 * comparison with SciPy in run-assignment.sh.
 *
 * Writes each cost matrix as raw little-endian float64 to FOLDER/cost-N.bin
 * and prints "N SECONDS OBJECTIVE" with the best time of three solves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "basin/basin.h"

int
main (int    argc,
      char **argv)
{
  const guint sizes[] = { 64, 128, 256, 512, 1024, 2048 };
  BasinRng rng;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: bench-assignment FOLDER\n");
      return 2;
    }

  basin_rng_init (&rng, 2024);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint n = sizes[s];
      g_autofree double *cost = g_new (double, (gsize) n * n);
      g_autofree guint32 *assignment = g_new (guint32, n);
      g_autofree char *path = g_strdup_printf ("%s/cost-%u.bin", argv[1], n);
      g_autoptr (GError) error = NULL;
      double best = G_MAXDOUBLE, objective = 0.0;

      for (gsize k = 0; k < (gsize) n * n; k++)
        cost[k] = basin_rng_uniform (&rng);
      if (!g_file_set_contents (path, (const char *) cost, (gssize) (n * n * sizeof (double)),
                                &error))
        {
          fprintf (stderr, "bench-assignment: %s\n", error->message);
          return 1;
        }

      for (guint repeat = 0; repeat < 3; repeat++)
        {
          g_autoptr (GTimer) timer = g_timer_new ();

          objective = basin_linear_assignment (cost, n, n, FALSE, assignment, NULL);
          best = MIN (best, g_timer_elapsed (timer, NULL));
        }
      printf ("%u %.6f %.9f\n", n, best, objective);
    }
  return 0;
}
