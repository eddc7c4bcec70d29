/* test-train.c: optimizers, learning-rate schedules, clipping and the
 * validation split.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"

static BasinMlp *
small_mlp (void)
{
  BasinMlpConfig config = {
    .input_dim = 2, .output_dim = 2, .depth = 1, .width = 6,
    .activation = BASIN_ACTIVATION_TANH,
  };
  return basin_mlp_new (&config, 3, NULL);
}

static void
test_train_cosine_schedule (void)
{
  BasinDataset *data = basin_dataset_new_moons (100, 0.1, 1);
  BasinMlp *mlp = small_mlp ();
  BasinTrainConfig config;
  BasinTrainer *trainer;
  guint total;

  basin_train_config_init_default (&config);
  config.batch_size = 10;
  config.epochs = 4;
  config.schedule = BASIN_SCHEDULE_COSINE;
  trainer = basin_trainer_new (mlp, data, &config, 1);
  total = basin_trainer_steps_per_epoch (trainer) * config.epochs;
  g_assert_cmpuint (total, ==, 40);

  g_assert_cmpfloat_with_epsilon (basin_trainer_learning_rate (trainer), 1e-3, 1e-12);
  for (guint i = 0; i < total / 2; i++)
    g_assert_true (basin_trainer_step (trainer, NULL, NULL));
  g_assert_cmpfloat_with_epsilon (basin_trainer_learning_rate (trainer), 0.5e-3, 1e-12);
  for (guint i = total / 2; i < total - 1; i++)
    g_assert_true (basin_trainer_step (trainer, NULL, NULL));
  g_assert_cmpfloat_with_epsilon (basin_trainer_learning_rate (trainer),
                                  0.5e-3 * (1.0 + cos (G_PI * 39.0 / 40.0)), 1e-12);

  basin_trainer_free (trainer);
  basin_mlp_free (mlp);
  basin_dataset_free (data);
}

static void
test_train_linear_warmup (void)
{
  BasinDataset *data = basin_dataset_new_moons (100, 0.1, 1);
  BasinMlp *mlp = small_mlp ();
  BasinTrainConfig config;
  BasinTrainer *trainer;

  basin_train_config_init_default (&config);
  config.batch_size = 10;
  config.epochs = 3;
  config.schedule = BASIN_SCHEDULE_LINEAR_WARMUP;
  trainer = basin_trainer_new (mlp, data, &config, 1);

  /* One epoch of warm-up by default: 10 steps rising to the full rate. */
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpfloat_with_epsilon (basin_trainer_learning_rate (trainer),
                                      1e-3 * (i + 1) / 10.0, 1e-12);
      g_assert_true (basin_trainer_step (trainer, NULL, NULL));
    }
  g_assert_cmpfloat_with_epsilon (basin_trainer_learning_rate (trainer), 1e-3, 1e-12);

  basin_trainer_free (trainer);
  basin_mlp_free (mlp);
  basin_dataset_free (data);
}

/* Runs one full-batch step and returns the parameters before it and the
 * gradient at them. */
static void
one_step (BasinTrainConfig *config,
          BasinMlp         *mlp,
          float           **before,
          float           **gradient)
{
  BasinDataset *data = basin_dataset_new_moons (16, 0.1, 1);
  BasinWorkspace *ws = basin_workspace_new (mlp, 16);
  g_autofree float *x = g_new (float, 32);
  g_autofree guint32 *y = g_new (guint32, 16);
  BasinTrainer *trainer;

  config->batch_size = 16;
  config->epochs = 1;
  basin_dataset_range (data, 0, 16, x, y);
  *before = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  *gradient = g_new (float, mlp->n_params);
  basin_mlp_loss_gradient (mlp, ws, x, y, 16, *gradient, NULL);

  trainer = basin_trainer_new (mlp, data, config, 1);
  g_assert_true (basin_trainer_step (trainer, NULL, NULL));
  basin_trainer_free (trainer);
  basin_workspace_free (ws);
  basin_dataset_free (data);
}

/* The first AdamW step moves each parameter by lr · g / (|g| + ε) plus the
 * decoupled decay lr · wd · p. */
static void
test_train_adamw_first_step (void)
{
  BasinMlp *mlp = small_mlp ();
  g_autofree float *before = NULL, *gradient = NULL;
  BasinTrainConfig config;

  basin_train_config_init_default (&config);
  config.learning_rate = 0.01;
  config.weight_decay = 0.1;
  one_step (&config, mlp, &before, &gradient);

  for (gsize i = 0; i < mlp->n_params; i++)
    {
      double g = gradient[i];
      double expected = before[i] * (1.0 - 0.01 * 0.1) - 0.01 * g / (fabs (g) + 1e-8);

      g_assert_cmpfloat_with_epsilon (mlp->params[i], expected, 1e-6);
    }
  basin_mlp_free (mlp);
}

/* With clipping, plain SGD moves the parameters by exactly lr · clip_norm. */
static void
test_train_gradient_clipping (void)
{
  BasinMlp *mlp = small_mlp ();
  g_autofree float *before = NULL, *gradient = NULL;
  BasinTrainConfig config;
  double moved = 0.0, grad_norm = 0.0;

  basin_train_config_init_default (&config);
  config.optimizer = BASIN_OPTIMIZER_SGD;
  config.learning_rate = 0.5;
  config.weight_decay = 0.0;
  config.momentum = 0.0;
  config.clip_norm = 1e-3;
  one_step (&config, mlp, &before, &gradient);

  for (gsize i = 0; i < mlp->n_params; i++)
    {
      moved += pow (mlp->params[i] - before[i], 2);
      grad_norm += pow (gradient[i], 2);
    }
  g_assert_cmpfloat (sqrt (grad_norm), >, 10 * config.clip_norm);
  g_assert_cmpfloat_with_epsilon (sqrt (moved), 0.5 * 1e-3, 1e-6);
  basin_mlp_free (mlp);
}

static void
test_train_validation_split (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", NULL);
  BasinSession *session;

  e->n_samples = 500;
  e->validation_fraction = 0.25;
  e->train.epochs = 3;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session->validation);
  g_assert_cmpuint (session->validation->n_samples, ==, 100);
  g_assert_cmpuint (session->train->n_samples, ==, 300);

  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      GArray *accuracy = session->history[r]->validation_accuracy;

      g_assert_cmpuint (accuracy->len, ==, 3);
      g_assert_cmpfloat (g_array_index (accuracy, double, 2), >, 0.5);
    }

  basin_session_free (session);
  basin_experiment_free (e);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/train/cosine-schedule", test_train_cosine_schedule);
  g_test_add_func ("/core/train/linear-warmup", test_train_linear_warmup);
  g_test_add_func ("/core/train/adamw-first-step", test_train_adamw_first_step);
  g_test_add_func ("/core/train/gradient-clipping", test_train_gradient_clipping);
  g_test_add_func ("/core/train/validation-split", test_train_validation_split);
  return g_test_run ();
}
