/* bench-train.c: training throughput of Basin, for comparison with
 * train_torch.py in run-train.sh.
 *
 * Prints one line per workload: "NAME SECONDS" with the best of the
 * OpenBLAS thread counts tried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

#include "basin/basin.h"

static double
time_training (BasinMlpConfig     *config,
               const BasinDataset *train,
               guint               batch_size,
               guint               epochs,
               int                 threads)
{
  BasinTrainConfig train_config;
  g_autoptr (GTimer) timer = NULL;
  BasinMlp *mlp = basin_mlp_new (config, 1, NULL);
  BasinTrainer *trainer;
  double seconds;

  basin_train_config_init_default (&train_config);
  train_config.batch_size = batch_size;
  train_config.epochs = epochs;
  openblas_set_num_threads (threads);
  trainer = basin_trainer_new (mlp, train, &train_config, 1);

  timer = g_timer_new ();
  while (!basin_trainer_finished (trainer))
    basin_trainer_step (trainer, NULL, NULL);
  seconds = g_timer_elapsed (timer, NULL);

  basin_trainer_free (trainer);
  basin_mlp_free (mlp);
  return seconds;
}

static void
report_best (const char         *name,
             BasinMlpConfig     *config,
             const BasinDataset *train,
             guint               batch_size,
             guint               epochs)
{
  double best = G_MAXDOUBLE;

  for (int threads = 1; threads <= 2; threads++)
    {
      double seconds = time_training (config, train, batch_size, epochs, threads);

      fprintf (stderr, "%s with %d OpenBLAS thread(s): %.2f s\n", name, threads, seconds);
      best = MIN (best, seconds);
    }
  printf ("%s %.3f\n", name, best);
}

/* Two runs trained at once, as basin_session_train() does; prints the
 * time per run-epoch. */
static void
report_session (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("fashion-mnist-paper", &error);
  g_autoptr (GTimer) timer = NULL;
  BasinSession *session;

  e->train.epochs = 1;
  session = basin_session_new (e, NULL, &error);
  if (session == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      exit (1);
    }
  timer = g_timer_new ();
  basin_session_train (session, NULL, NULL, NULL, &error);
  printf ("paper-mlp-two-runs-per-run %.3f\n", g_timer_elapsed (timer, NULL) / BASIN_N_RUNS);

  basin_session_free (session);
  basin_experiment_free (e);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  BasinMlpConfig paper = {
    .input_dim = 784, .output_dim = 10, .depth = 3, .width = 512,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = TRUE,
  };
  BasinMlpConfig classroom = {
    .input_dim = 2, .output_dim = 2, .depth = 2, .width = 16,
    .activation = BASIN_ACTIVATION_RELU,
  };
  BasinDataset *train = NULL, *test = NULL;
  BasinDataset *moons = basin_dataset_new_moons (1000, 0.1, 1);

  if (!basin_dataset_load_idx_dir (BASIN_FASHION_MNIST_DIR, &train, &test, NULL, &error))
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return 1;
    }

  report_best ("paper-mlp-batch64-epoch", &paper, train, 64, 1);
  report_best ("paper-mlp-batch256-epoch", &paper, train, 256, 1);
  report_best ("classroom-100-epochs", &classroom, moons, 32, 100);
  report_session ();

  basin_dataset_free (train);
  basin_dataset_free (test);
  basin_dataset_free (moons);
  return 0;
}
