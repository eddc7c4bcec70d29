/* bench-landscape.c: times a loss-landscape plane of a 784-512-512-512-10
 * MLP over the Fashion-MNIST test set, and the latency of cancelling it.
 *
 * Its hidden layers use LayerNorm and GELU.  The plane goes through three
 * randomly initialized models: A, B and B with its hidden neurons
 * shuffled, which takes the place of an aligned run.  Training does not change
 * the cost of a forward pass, so untrained weights give the same timing.  bench/landscape_torch.py computes the same plane with
 * PyTorch, and bench/run-landscape.sh runs both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>

#include "basin/basin.h"

typedef struct {
  guint    grid;
  guint    samples;
  guint    workers;
  guint    stride;
  gboolean cancel;
  char    *data_dir;
} BenchOptions;

static BasinMlp *
new_network (guint64   seed,
             GError  **error)
{
  BasinMlpConfig config = {
    .input_dim = 784, .output_dim = 10, .depth = 3, .width = 512,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = TRUE,
    .variant = BASIN_VARIANT_STANDARD, .mask_seed = 7,
  };

  return basin_mlp_new (&config, seed, error);
}

/* Returns a copy of @mlp with every hidden layer's neurons shuffled: the
 * same function at another point of weight space. */
static BasinMlp *
shuffled_copy (const BasinMlp *mlp,
               guint64         seed)
{
  BasinMlp *copy = basin_mlp_copy (mlp);
  guint n_hidden = mlp->n_layers - 1;
  g_autofree guint32 **permutation = g_new0 (guint32 *, n_hidden);
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (guint l = 0; l < n_hidden; l++)
    {
      permutation[l] = g_new (guint32, mlp->layers[l].out_dim);
      for (guint i = 0; i < mlp->layers[l].out_dim; i++)
        permutation[l][i] = i;
      basin_rng_shuffle (&rng, permutation[l], mlp->layers[l].out_dim);
    }
  basin_mlp_permute_hidden (copy, permutation);

  for (guint l = 0; l < n_hidden; l++)
    g_free (permutation[l]);
  return copy;
}

static BasinLandscape *
new_landscape (const BasinPlane   *plane,
               const BasinDataset *test,
               const BenchOptions *bench)
{
  g_autoptr (GError) error = NULL;
  BasinLandscapeOptions options;
  BasinLandscape *landscape;

  basin_landscape_options_init_default (&options);
  options.n_x = options.n_y = bench->grid;
  options.n_samples = bench->samples;
  options.n_workers = bench->workers;
  options.coarse_stride = bench->stride;
  landscape = basin_landscape_new (plane, test, &options, &error);
  if (landscape == NULL)
    g_error ("%s", error->message);
  return landscape;
}

static void
level_cb (const BasinLandscape         *landscape,
          const BasinLandscapeProgress *progress,
          gpointer                      user_data)
{
  printf ("  level %u/%u: %u points, %.2f s elapsed, about %.1f s left\n",
          progress->level, progress->n_levels, progress->n_computed, progress->elapsed,
          progress->remaining);
  fflush (stdout);
}

static void
time_plane (const BasinPlane   *plane,
            const BasinDataset *test,
            const BenchOptions *bench)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinLandscape) landscape = new_landscape (plane, test, bench);
  guint n_points = landscape->n_x * landscape->n_y;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  if (!basin_landscape_evaluate (landscape, plane, test, level_cb, NULL, NULL, NULL, NULL,
                                 &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  printf ("basin: %u x %u plane, %u samples, %u workers: %u points in %.2f s "
          "(%.4f s per point); loss %.4f to %.4f; A %.4f, B %.4f, pi(B) %.4f\n",
          landscape->n_x, landscape->n_y, landscape->n_samples, landscape->n_workers,
          n_points, seconds, seconds / n_points, landscape->loss_min, landscape->loss_max,
          landscape->markers[0].loss, landscape->markers[1].loss, landscape->markers[2].loss);
  printf ("BASIN_SECONDS_PER_POINT=%.6f\n", seconds / n_points);
}

typedef struct {
  const BasinPlane   *plane;
  const BasinDataset *test;
  BasinLandscape     *landscape;
  GCancellable       *cancellable;
  gint64              returned;
  gboolean            cancelled;
} CancelRun;

static gpointer
cancel_run_thread (gpointer data)
{
  CancelRun *run = data;
  g_autoptr (GError) error = NULL;

  basin_landscape_evaluate (run->landscape, run->plane, run->test, NULL, NULL,
                            run->cancellable, NULL, NULL, &error);
  run->returned = g_get_monotonic_time ();
  run->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  return NULL;
}

/* Cancels evaluations after several delays, the first while the
 * first-layer products are computed, and prints how long each took to
 * return after g_cancellable_cancel(). */
static void
time_cancel (const BasinPlane   *plane,
             const BasinDataset *test,
             const BenchOptions *bench)
{
  const double delays[] = { 0.1, 0.7, 1.9, 3.1, 4.3 };
  double worst = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      CancelRun run = { plane, test, new_landscape (plane, test, bench), g_cancellable_new () };
      GThread *thread = g_thread_new ("bench-cancel", cancel_run_thread, &run);
      gint64 cancelled_at;
      double latency;

      g_usleep ((gulong) (delays[i] * G_USEC_PER_SEC));
      cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (run.cancellable);
      g_thread_join (thread);

      latency = (run.returned - cancelled_at) / 1000.0;
      worst = MAX (worst, latency);
      printf ("cancel after %.1f s: returned %s %.1f ms later, %u points kept\n",
              delays[i], run.cancelled ? "cancelled" : "finished", latency,
              run.landscape->n_computed);
      basin_landscape_free (run.landscape);
      g_object_unref (run.cancellable);
    }
  printf ("BASIN_CANCEL_WORST_MS=%.1f\n", worst);
}

int
main (int    argc,
      char **argv)
{
  BenchOptions bench = { 21, 0, 0, 4, FALSE, NULL };
  GOptionEntry entries[] = {
    { "grid", 0, 0, G_OPTION_ARG_INT, &bench.grid, "Grid points per axis (default 21)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &bench.samples,
      "Test samples to evaluate on, 0 for all 10,000 (default)", "N" },
    { "workers", 0, 0, G_OPTION_ARG_INT, &bench.workers,
      "Worker threads, 0 for one per processor (default)", "N" },
    { "stride", 0, 0, G_OPTION_ARG_INT, &bench.stride, "Coarse stride (default 4)", "S" },
    { "cancel", 0, 0, G_OPTION_ARG_NONE, &bench.cancel,
      "Measure the cancel latency instead of timing the plane", NULL },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &bench.data_dir,
      "Fashion-MNIST directory (default " BASIN_FASHION_MNIST_DIR ")", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- time a loss-landscape plane");
  g_autoptr (GError) error = NULL;
  BasinDataset *train = NULL, *test = NULL;
  BasinMlp *a, *b, *shuffled;
  BasinPlane *plane;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }

  if (!basin_dataset_load_idx_dir (bench.data_dir != NULL ? bench.data_dir
                                   : BASIN_FASHION_MNIST_DIR,
                                   &train, &test, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  basin_dataset_free (train);

  a = new_network (1, &error);
  b = new_network (2, &error);
  g_assert_no_error (error);
  shuffled = shuffled_copy (b, 3);
  plane = basin_plane_new_models (a, b, shuffled, 4, &error);
  g_assert_no_error (error);

  if (bench.cancel)
    time_cancel (plane, test, &bench);
  else
    time_plane (plane, test, &bench);

  basin_plane_free (plane);
  basin_mlp_free (a);
  basin_mlp_free (b);
  basin_mlp_free (shuffled);
  basin_dataset_free (test);
  g_free (bench.data_dir);
  return 0;
}
