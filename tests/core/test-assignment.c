/* test-assignment.c: the linear assignment solver against brute force,
 * planted permutations and SciPy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basin/basin.h"

/* Returns the best total over all injective maps of the smaller side into
 * the larger, by enumerating them recursively. */
static double
brute_force (const double *cost,
             guint         n_rows,
             guint         n_cols,
             guint         row,
             guint8       *used,
             gboolean      maximize)
{
  double best = maximize ? -INFINITY : INFINITY;

  if (row == n_rows)
    return 0.0;

  for (guint j = 0; j < n_cols; j++)
    {
      double total;

      if (used[j])
        continue;
      used[j] = 1;
      total = cost[(gsize) row * n_cols + j]
            + brute_force (cost, n_rows, n_cols, row + 1, used, maximize);
      used[j] = 0;
      best = maximize ? MAX (best, total) : MIN (best, total);
    }
  return best;
}

static void
check_against_brute_force (guint    n_rows,
                           guint    n_cols,
                           gboolean maximize,
                           BasinRng *rng)
{
  g_autofree double *cost = g_new (double, (gsize) n_rows * n_cols);
  g_autofree double *transposed = g_new (double, (gsize) n_rows * n_cols);
  g_autofree guint32 *assignment = g_new (guint32, n_rows);
  g_autofree guint8 *used = g_new0 (guint8, MAX (n_rows, n_cols));
  g_autoptr (GError) error = NULL;
  double solved, expected, recomputed = 0.0;
  guint assigned = 0;

  for (gsize k = 0; k < (gsize) n_rows * n_cols; k++)
    cost[k] = floor (basin_rng_uniform (rng) * 20.0) - 5.0;  /* ties are likely */
  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < n_cols; j++)
      transposed[(gsize) j * n_rows + i] = cost[(gsize) i * n_cols + j];

  solved = basin_linear_assignment (cost, n_rows, n_cols, maximize, assignment, &error);
  g_assert_no_error (error);

  if (n_rows <= n_cols)
    expected = brute_force (cost, n_rows, n_cols, 0, used, maximize);
  else
    expected = brute_force (transposed, n_cols, n_rows, 0, used, maximize);
  g_assert_cmpfloat_with_epsilon (solved, expected, 1e-9);

  memset (used, 0, MAX (n_rows, n_cols));
  for (guint i = 0; i < n_rows; i++)
    {
      if (assignment[i] == G_MAXUINT32)
        continue;
      g_assert_cmpuint (assignment[i], <, n_cols);
      g_assert_false (used[assignment[i]]);
      used[assignment[i]] = 1;
      recomputed += cost[(gsize) i * n_cols + assignment[i]];
      assigned++;
    }
  g_assert_cmpuint (assigned, ==, MIN (n_rows, n_cols));
  g_assert_cmpfloat_with_epsilon (recomputed, solved, 1e-9);
}

static void
test_assignment_brute_force_square (void)
{
  BasinRng rng;

  basin_rng_init (&rng, 42);
  for (guint n = 1; n <= 8; n++)
    for (guint trial = 0; trial < 20; trial++)
      {
        check_against_brute_force (n, n, FALSE, &rng);
        check_against_brute_force (n, n, TRUE, &rng);
      }
}

static void
test_assignment_brute_force_rectangular (void)
{
  BasinRng rng;

  basin_rng_init (&rng, 7);
  for (guint rows = 1; rows <= 7; rows++)
    for (guint cols = 1; cols <= 7; cols++)
      {
        if (rows == cols)
          continue;
        for (guint trial = 0; trial < 5; trial++)
          {
            check_against_brute_force (rows, cols, FALSE, &rng);
            check_against_brute_force (rows, cols, TRUE, &rng);
          }
      }
}

static void
test_assignment_planted_permutation (void)
{
  const guint n = 512;
  g_autofree double *score = g_new (double, (gsize) n * n);
  g_autofree guint32 *planted = g_new (guint32, n);
  g_autofree guint32 *found = g_new (guint32, n);
  g_autoptr (GError) error = NULL;
  BasinRng rng;

  basin_rng_init (&rng, 3);
  for (guint i = 0; i < n; i++)
    planted[i] = i;
  basin_rng_shuffle (&rng, planted, n);

  for (gsize k = 0; k < (gsize) n * n; k++)
    score[k] = 0.5 * basin_rng_uniform (&rng);
  for (guint i = 0; i < n; i++)
    score[(gsize) i * n + planted[i]] = 0.6 + 0.4 * basin_rng_uniform (&rng);

  basin_linear_assignment (score, n, n, TRUE, found, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (found[i], ==, planted[i]);
}

static void
test_assignment_rejects_nan (void)
{
  double cost[4] = { 1.0, NAN, 2.0, 3.0 };
  guint32 assignment[2];
  g_autoptr (GError) error = NULL;
  double total;

  total = basin_linear_assignment (cost, 2, 2, FALSE, assignment, &error);
  g_assert_true (isnan (total));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "(0, 1)"));
}

/* Writes @n × @n costs to a file, solves them with SciPy's
 * linear_sum_assignment and compares its optimum with Basin's. */
static void
compare_with_scipy (guint     n,
                    BasinRng *rng,
                    const char *directory)
{
  g_autofree double *cost = g_new (double, (gsize) n * n);
  g_autofree guint32 *assignment = g_new (guint32, n);
  g_autofree char *path = g_strdup_printf ("%s/cost-%u.txt", directory, n);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *script = NULL;
  int status = 0;
  double ours, theirs;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (gsize k = 0; k < (gsize) n * n; k++)
    {
      cost[k] = basin_rng_uniform (rng);
      g_string_append (text, g_ascii_dtostr (buffer, sizeof buffer, cost[k]));
      g_string_append_c (text, (k + 1) % n == 0 ? '\n' : ' ');
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  script = g_strdup_printf ("import numpy, scipy.optimize as o; c = numpy.loadtxt('%s', ndmin=2); "
                            "r, k = o.linear_sum_assignment(c, maximize=True); "
                            "print(repr(float(c[r, k].sum())))", path);
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/usr/bin/python3", "-c", script, NULL },
                               NULL, 0, NULL, NULL, &output, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  theirs = g_ascii_strtod (output, NULL);
  ours = basin_linear_assignment (cost, n, n, TRUE, assignment, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (ours, theirs, 1e-9 * n);
}

static void
test_assignment_matches_scipy (void)
{
  g_autofree char *directory = NULL;
  const guint sizes[] = { 1, 2, 5, 16, 64, 128, 256, 512, 1024 };
  BasinRng rng;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
      || system ("/usr/bin/python3 -c 'import scipy.optimize' 2>/dev/null") != 0)
    {
      g_test_skip ("python3-scipy is not installed; apt-get install python3-scipy runs this test");
      return;
    }

  directory = g_dir_make_tmp ("basin-lap-XXXXXX", NULL);
  basin_rng_init (&rng, 11);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    compare_with_scipy (sizes[i], &rng, directory);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/assignment/brute-force-square", test_assignment_brute_force_square);
  g_test_add_func ("/core/assignment/brute-force-rectangular",
                   test_assignment_brute_force_rectangular);
  g_test_add_func ("/core/assignment/planted-permutation", test_assignment_planted_permutation);
  g_test_add_func ("/core/assignment/rejects-nan", test_assignment_rejects_nan);
  g_test_add_func ("/core/assignment/matches-scipy", test_assignment_matches_scipy);
  return g_test_run ();
}
