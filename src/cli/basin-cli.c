/* basin-cli.c: the headless front end of Basin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "basin/basin-plot.h"
#include "basin/basin.h"

#define FIGURE_WIDTH 1200.0
#define FIGURE_HEIGHT 800.0
#define PROGRESS_INTERVAL_US (200 * 1000)

typedef struct {
  gboolean terminal;
  gint64   last_update;
} Progress;

static void
print_line (Progress   *self,
            const char *text)
{
  if (self->terminal)
    fprintf (stderr, "\r\033[K%s", text);
  else
    fprintf (stderr, "%s\n", text);
  fflush (stderr);
}

static void
format_loss (char   *buffer,
             gsize   size,
             double  loss)
{
  if (isnan (loss))
    g_strlcpy (buffer, "—", size);
  else
    g_snprintf (buffer, size, "%.4f", loss);
}

/* Rewrites one line on a terminal at most five times a second.  Into a
 * log, writes a line at most every five seconds and after the last epoch. */
static void
train_progress_cb (const BasinTrainProgress *p,
                   gpointer                  user_data)
{
  Progress *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 interval = self->terminal ? PROGRESS_INTERVAL_US : 5 * G_USEC_PER_SEC;
  gboolean last = p->fraction >= 1.0;
  g_autofree char *text = NULL;
  char loss_a[32], loss_b[32];

  if (!last && now - self->last_update < interval)
    return;
  self->last_update = now;

  format_loss (loss_a, sizeof loss_a, p->loss[0]);
  format_loss (loss_b, sizeof loss_b, p->loss[1]);
  text = g_strdup_printf (_("Training %3.0f %% · epoch %u/%u · loss A %s · loss B %s"),
                          100.0 * p->fraction, p->epoch + 1, p->epochs, loss_a, loss_b);
  print_line (self, text);
}

static void
analyse_progress_cb (double      fraction,
                     const char *stage,
                     gpointer    user_data)
{
  Progress *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;

  if (now - self->last_update < PROGRESS_INTERVAL_US && fraction < 1.0)
    return;
  self->last_update = now;
  text = g_strdup_printf (_("Analysing %3.0f %% · %s"), 100.0 * fraction, stage);
  if (self->terminal)
    print_line (self, text);
}

static gboolean
export_figure (BasinFigure *figure,
               const char  *out_dir,
               const char  *stem,
               GError     **error)
{
  const char *extensions[] = { "svg", "png" };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (extensions) && ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", stem, extensions[i]);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);

      ok = basin_figure_export (figure, path, FIGURE_WIDTH, FIGURE_HEIGHT, error);
    }

  basin_figure_free (figure);
  return ok;
}

/* Writes the swap-cost figure of run A's first hidden layer, whose inputs
 * are the data, and adds its summary to the terminal output. */
static gboolean
write_swap_costs (const BasinSession *session,
                  const char         *out_dir,
                  GError            **error)
{
  BasinSwapCostSummary summary;
  BasinSwapCosts *costs;
  BasinFigure *figure;

  costs = basin_session_swap_costs (session, 0, 0, session->experiment->eval_samples,
                                    session->experiment->data_seed, NULL, NULL, NULL, NULL,
                                    error);
  if (costs == NULL)
    return FALSE;

  basin_swap_costs_summarize (costs, 0.1, &summary);
  g_print (_("Swap costs of run A, layer 1: k = %u (%.0f %% of the variance), "
             "coherence %.3f, cheap %.1f %%, negative %.1f %%, expensive %.1f %%\n"),
           costs->k, 100.0 * costs->explained, costs->coherence,
           100.0 * summary.cheap_fraction, 100.0 * summary.negative_fraction,
           100.0 * summary.expensive_fraction);
  figure = basin_figure_new_swap_costs (costs, basin_run_name (0));
  basin_swap_costs_free (costs);
  return export_figure (figure, out_dir, "swap-costs", error);
}

static gboolean
write_figures (const BasinSession *session,
               const char         *out_dir,
               GError            **error)
{
  guint n_hidden = session->experiment->model.depth;

  if (!export_figure (basin_figure_new_merge_path (session), out_dir, "merge-path", error)
      || !export_figure (basin_figure_new_neurons (session, 0, 32, 48), out_dir, "neurons",
                         error)
      || !export_figure (basin_figure_new_match_matrix (session, 0), out_dir, "match-matrix",
                         error)
      || !export_figure (basin_figure_new_match_matrix_ordered (session, 0,
                                                                BASIN_MATRIX_ORDER_MATCHING),
                         out_dir, "match-matrix-matched", error))
    return FALSE;

  for (guint l = 1; l < n_hidden; l++)
    {
      g_autofree char *stem = g_strdup_printf ("match-matrix-layer%u", l + 1);

      if (!export_figure (basin_figure_new_match_matrix (session, l), out_dir, stem, error))
        return FALSE;
    }

  if (session->track != NULL
      && !export_figure (basin_figure_new_identifiability_track (session), out_dir,
                         "identifiability-track", error))
    return FALSE;
  return write_swap_costs (session, out_dir, error);
}

static gboolean
write_summary (const BasinSession *session,
               const char         *out_dir,
               GError            **error)
{
  g_autoptr (JsonNode) root = basin_session_summary (session);
  g_autofree char *path = g_build_filename (out_dir, "summary.json", NULL);
  g_autofree char *text = basin_json_to_string (root);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                   error);
}

static void
print_summary (const BasinSession *session)
{
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      GArray *accuracy = session->history[r]->test_accuracy;

      g_print (_("Run %s: test accuracy %.2f %%\n"), basin_run_name (r),
               100.0 * g_array_index (accuracy, double, accuracy->len - 1));
    }
  for (guint i = 0; i < G_N_ELEMENTS (session->paths); i++)
    {
      const BasinPath *path = session->paths[i];

      g_print (_("Path %-10s loss barrier %.4f · accuracy barrier %.2f pp\n"),
               path->alignment, path->loss_barrier, path->accuracy_barrier);
    }
  for (guint l = 0; l < session->matching->n_layers; l++)
    g_print (_("Layer %u: identity-match rate %.1f %% · mean matched correlation %.3f\n"),
             l + 1, 100.0 * session->matching->identity_rate[l],
             session->matching->mean_correlation[l]);
}

static BasinExperiment *
load_experiment (const char *preset,
                 const char *config,
                 GError    **error)
{
  if (preset != NULL && config != NULL)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Use either --preset or --config, not both."));
      return NULL;
    }
  if (config != NULL)
    return basin_experiment_load (config, error);
  return basin_experiment_new_preset (preset != NULL ? preset : BASIN_DEFAULT_PRESET, error);
}

/* Applies --epochs, --train-limit and every --set to @experiment, which
 * it replaces; returns FALSE with @error set on an invalid setting. */
static gboolean
apply_overrides (BasinExperiment **experiment,
                 gint              epochs,
                 gint              train_limit,
                 char            **settings,
                 GError          **error)
{
  for (guint i = 0; settings != NULL && settings[i] != NULL; i++)
    {
      BasinExperiment *changed = basin_experiment_apply_setting (*experiment, settings[i],
                                                                 error);

      if (changed == NULL)
        return FALSE;
      basin_experiment_free (*experiment);
      *experiment = changed;
    }

  if (epochs > 0)
    (*experiment)->train.epochs = epochs;
  if (train_limit > 0)
    (*experiment)->train_limit = train_limit;
  return TRUE;
}

static gboolean
make_out_dir (const char *out_dir,
              GError    **error)
{
  if (g_mkdir_with_parents (out_dir, 0755) == 0)
    return TRUE;

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO,
               _("Cannot create the output folder “%s”: %s"), out_dir, g_strerror (errno));
  return FALSE;
}

/* Matches and merges the trained runs of @session, then writes the session
 * (if @save_path is set), summary.json and the figures. */
static gboolean
analyse_and_write (BasinSession *session,
                   const char   *out_dir,
                   const char   *save_path,
                   Progress     *progress,
                   GTimer       *timer,
                   GError      **error)
{
  gboolean ok = basin_session_analyse (session, analyse_progress_cb, progress, NULL, error);

  if (progress->terminal)
    g_printerr ("\n");
  if (ok && save_path != NULL)
    ok = basin_session_save (session, save_path, error);
  if (ok)
    ok = write_summary (session, out_dir, error) && write_figures (session, out_dir, error);
  if (ok)
    {
      print_summary (session);
      g_print (_("Wrote summary.json and figures to %s in %.1f s\n"), out_dir,
               g_timer_elapsed (timer, NULL));
    }
  return ok;
}

static gboolean
run_experiment (const BasinExperiment *experiment,
                const char            *out_dir,
                const char            *save_path,
                GError               **error)
{
  Progress progress = { isatty (STDERR_FILENO), 0 };
  g_autoptr (GTimer) timer = g_timer_new ();
  BasinSession *session;
  gboolean ok;

  if (!make_out_dir (out_dir, error))
    return FALSE;
  session = basin_session_new (experiment, NULL, error);
  if (session == NULL)
    return FALSE;

  g_printerr (_("Experiment “%s”: %u training and %u test samples, %u × %u hidden "
                "neurons, %u epochs\n"),
              experiment->name, session->train->n_samples, session->test->n_samples,
              experiment->model.depth, experiment->model.width, experiment->train.epochs);
  ok = basin_session_train (session, train_progress_cb, &progress, NULL, error);
  if (progress.terminal)
    g_printerr ("\n");
  ok = ok && analyse_and_write (session, out_dir, save_path, &progress, timer, error);

  basin_session_free (session);
  return ok;
}

static int
command_run (int    argc,
             char **argv)
{
  g_autofree char *preset = NULL;
  g_autofree char *config = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *save_path = NULL;
  g_auto (GStrv) settings = NULL;
  gint epochs = 0, train_limit = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  BasinExperiment *experiment;
  gboolean ok;
  GOptionEntry entries[] = {
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset,
      N_("Built-in experiment to run (see “basin-cli presets”)"), N_("NAME") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
      N_("Experiment JSON file to run"), N_("FILE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Folder for summary.json and the figures (created if missing)"), N_("DIR") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs,
      N_("Override the number of training epochs"), N_("N") },
    { "train-limit", 0, 0, G_OPTION_ARG_INT, &train_limit,
      N_("Train on at most N samples"), N_("N") },
    { "save", 's', 0, G_OPTION_ARG_FILENAME, &save_path,
      N_("Also save both trained runs as a session file (.safetensors)"), N_("FILE") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &settings,
      N_("Change one experiment setting, e.g. model.width=64; may be repeated"),
      N_("SECTION.KEY=VALUE") },
    { NULL }
  };

  context = g_option_context_new (_("— train two runs, match and merge them"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("basin-cli run: %s\n", error->message);
      return 2;
    }
  if (out_dir == NULL)
    {
      g_printerr (_("basin-cli run: missing --out DIR, the folder for the results.\n"));
      return 2;
    }
  if (epochs < 0 || train_limit < 0)
    {
      g_printerr (_("basin-cli run: --epochs and --train-limit must be positive.\n"));
      return 2;
    }

  experiment = load_experiment (preset, config, &error);
  if (experiment == NULL || !apply_overrides (&experiment, epochs, train_limit, settings, &error))
    {
      g_printerr ("basin-cli run: %s\n", error->message);
      basin_experiment_free (experiment);
      return 1;
    }

  ok = run_experiment (experiment, out_dir, save_path, &error);
  basin_experiment_free (experiment);
  if (!ok)
    {
      g_printerr ("basin-cli run: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* Parses "moons", "fashion-mnist" or an IDX folder into an experiment. */
static BasinExperiment *
experiment_for_data (const char *data,
                     GError    **error)
{
  BasinExperiment *e = basin_experiment_new ();

  if (g_strcmp0 (data, "moons") == 0)
    return e;
  if (g_strcmp0 (data, "fashion-mnist") == 0)
    e->data_kind = BASIN_DATA_FASHION_MNIST;
  else if (data != NULL && g_file_test (data, G_FILE_TEST_IS_DIR))
    {
      e->data_kind = BASIN_DATA_IDX;
      e->data_path = g_strdup (data);
    }
  else
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Unknown data “%s”: use moons, fashion-mnist or a folder of "
                     "MNIST-format IDX files."), data != NULL ? data : "");
      basin_experiment_free (e);
      return NULL;
    }
  g_free (e->name);
  e->name = g_strdup (_("Imported checkpoints"));
  return e;
}

static BasinMlp *
import_checkpoint (const char     *path,
                   const char     *prefix,
                   BasinActivation activation,
                   GError        **error)
{
  BasinTensorFile *file = basin_tensor_file_load (path, NULL, error);
  BasinMlp *mlp;

  if (file == NULL)
    return NULL;
  mlp = basin_mlp_import_state_dict (file, prefix, activation, error);
  basin_tensor_file_free (file);
  return mlp;
}

static gboolean
compare_checkpoints (const char *const *paths,
                     const char *const *prefixes,
                     const char        *activation_name,
                     const char        *data,
                     const char        *out_dir,
                     GError           **error)
{
  Progress progress = { isatty (STDERR_FILENO), 0 };
  g_autoptr (GTimer) timer = g_timer_new ();
  BasinActivation activation;
  BasinExperiment *experiment;
  BasinSession *session;
  BasinMlp *runs[BASIN_N_RUNS] = { NULL, NULL };
  gboolean ok;

  if (!basin_activation_from_string (activation_name, &activation))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Unknown activation “%s”: use relu, gelu, tanh, sigmoid or identity."),
                   activation_name);
      return FALSE;
    }
  if (!make_out_dir (out_dir, error))
    return FALSE;
  experiment = experiment_for_data (data, error);
  if (experiment == NULL)
    return FALSE;

  for (guint r = 0; r < BASIN_N_RUNS; r++)
    runs[r] = import_checkpoint (paths[r], prefixes[r], activation, error);
  if (runs[0] == NULL || runs[1] == NULL)
    {
      basin_mlp_free (runs[0]);
      basin_mlp_free (runs[1]);
      basin_experiment_free (experiment);
      return FALSE;
    }

  session = basin_session_new_from_runs (experiment, runs[0], runs[1], NULL, error);
  basin_experiment_free (experiment);
  if (session == NULL)
    return FALSE;
  ok = analyse_and_write (session, out_dir, NULL, &progress, timer, error);
  basin_session_free (session);
  return ok;
}

static int
command_compare (int    argc,
                 char **argv)
{
  g_autofree char *path_a = NULL, *path_b = NULL, *prefix_a = NULL, *prefix_b = NULL;
  g_autofree char *activation = NULL, *data = NULL, *out_dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "a", 'a', 0, G_OPTION_ARG_FILENAME, &path_a,
      N_("Checkpoint of run A (.safetensors state_dict)"), N_("FILE") },
    { "b", 'b', 0, G_OPTION_ARG_FILENAME, &path_b,
      N_("Checkpoint of run B"), N_("FILE") },
    { "prefix-a", 0, 0, G_OPTION_ARG_STRING, &prefix_a,
      N_("Read only tensors of A whose names start with this"), N_("PREFIX") },
    { "prefix-b", 0, 0, G_OPTION_ARG_STRING, &prefix_b,
      N_("Read only tensors of B whose names start with this"), N_("PREFIX") },
    { "activation", 0, 0, G_OPTION_ARG_STRING, &activation,
      N_("Hidden activation of both networks (default relu)"), N_("NAME") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data,
      N_("moons, fashion-mnist or a folder of IDX files"), N_("DATA") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Folder for summary.json and the figures"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("— match and merge two networks trained elsewhere"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("basin-cli compare: %s\n", error->message);
      return 2;
    }
  if (path_a == NULL || path_b == NULL || out_dir == NULL || data == NULL)
    {
      g_printerr (_("basin-cli compare: --a FILE, --b FILE, --data DATA and --out DIR "
                    "are required.\n"));
      return 2;
    }

  if (!compare_checkpoints ((const char *[]) { path_a, path_b },
                            (const char *[]) { prefix_a != NULL ? prefix_a : "",
                                               prefix_b != NULL ? prefix_b : "" },
                            activation != NULL ? activation : "relu", data, out_dir, &error))
    {
      g_printerr ("basin-cli compare: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
command_analyse (int    argc,
                 char **argv)
{
  Progress progress = { isatty (STDERR_FILENO), 0 };
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GError) error = NULL;
  BasinSession *session;
  gboolean ok;

  if (argc != 3)
    {
      g_printerr (_("Usage: basin-cli analyse SESSION.safetensors OUT_DIR\n"));
      return 2;
    }
  session = basin_session_load (argv[1], NULL, &error);
  ok = session != NULL && make_out_dir (argv[2], &error)
       && analyse_and_write (session, argv[2], NULL, &progress, timer, &error);
  basin_session_free (session);
  if (!ok)
    {
      g_printerr ("basin-cli analyse: %s\n", error->message);
      return 1;
    }
  return 0;
}

static void
landscape_level_cb (const BasinLandscape         *landscape,
                    const BasinLandscapeProgress *p,
                    gpointer                      user_data)
{
  g_autofree char *text = g_strdup_printf (_("Landscape level %u of %u: %u of %u points, "
                                             "%.1f s so far, about %.1f s left"),
                                           p->level, p->n_levels, p->n_computed, p->n_points,
                                           p->elapsed, p->remaining);

  print_line (user_data, text);
}

static gboolean
compute_landscape (const BasinSession *session,
                   guint               grid,
                   guint               samples,
                   gboolean            random_plane,
                   gboolean            log_scale,
                   const char         *out_dir,
                   GError            **error)
{
  Progress progress = { isatty (STDERR_FILENO), 0 };
  BasinLandscapeOptions options;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;
  BasinMlp *a = basin_mlp_to_effective (session->runs[0]);
  BasinMlp *b = basin_mlp_to_effective (session->runs[1]);
  gboolean ok;

  if (random_plane)
    plane = basin_plane_new_random (a, _("run A"), 1, 2, BASIN_BIAS_DIRECTION_ZERO, error);
  else
    plane = basin_plane_new_models (a, b, session->aligned_b, 1, error);
  basin_mlp_free (a);
  basin_mlp_free (b);
  if (plane == NULL)
    return FALSE;

  basin_landscape_options_init_default (&options);
  options.n_x = options.n_y = grid;
  options.n_samples = samples;
  landscape = basin_landscape_new (plane, session->test, &options, error);
  ok = landscape != NULL
       && basin_landscape_evaluate (landscape, plane, session->test, landscape_level_cb,
                                    &progress, NULL, NULL, NULL, error);
  if (progress.terminal)
    g_printerr ("\n");
  if (!ok)
    return FALSE;

  g_print (_("Landscape: %u × %u points over %u test samples in %.1f s\n"), landscape->n_x,
           landscape->n_y, landscape->n_samples, landscape->elapsed);
  return export_figure (basin_figure_new_landscape (landscape, log_scale), out_dir, "landscape",
                        error);
}

static int
command_landscape (int    argc,
                   char **argv)
{
  gint grid = 21, samples = 2000;
  gboolean random_plane = FALSE, linear = FALSE;
  g_autofree char *out_dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  BasinSession *session = NULL;
  gboolean ok;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Folder for landscape.svg and landscape.png"), N_("DIR") },
    { "grid", 'g', 0, G_OPTION_ARG_INT, &grid,
      N_("Grid points along each axis, 2 to 101 (default 21)"), N_("N") },
    { "samples", 'n', 0, G_OPTION_ARG_INT, &samples,
      N_("Test samples each point is evaluated on (default 2000)"), N_("N") },
    { "random", 0, 0, G_OPTION_ARG_NONE, &random_plane,
      N_("Use two filter-normalized random directions around run A instead of the "
         "plane through run A, run B and aligned run B"), NULL },
    { "linear", 0, 0, G_OPTION_ARG_NONE, &linear,
      N_("Colour the loss on a linear instead of a log scale"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("SESSION — the loss over a plane in weight space"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || out_dir == NULL)
    {
      g_printerr (_("Usage: basin-cli landscape SESSION.safetensors --out DIR [--grid N] "
                    "[--samples N] [--random] [--linear]\n"));
      return 2;
    }
  if (grid < 2 || grid > BASIN_LANDSCAPE_MAX_RESOLUTION || samples < 1)
    {
      g_printerr (_("basin-cli landscape: --grid must be 2 to %d and --samples positive.\n"),
                  BASIN_LANDSCAPE_MAX_RESOLUTION);
      return 2;
    }

  session = basin_session_load (argv[1], NULL, &error);
  ok = session != NULL && make_out_dir (out_dir, &error)
       && basin_session_analyse (session, NULL, NULL, NULL, &error)
       && compute_landscape (session, grid, samples, random_plane, !linear, out_dir, &error);
  basin_session_free (session);
  if (!ok)
    {
      g_printerr ("basin-cli landscape: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
command_presets (void)
{
  const char *const *names = basin_experiment_list_presets ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      BasinExperiment *e = basin_experiment_new_preset (names[i], NULL);

      g_print ("%-22s %s\n", names[i], e->name);
      basin_experiment_free (e);
    }
  return 0;
}

static int
command_show_preset (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  BasinExperiment *e = basin_experiment_new_preset (name, &error);

  if (e == NULL)
    {
      g_printerr ("basin-cli show-preset: %s\n", error->message);
      return 1;
    }
  root = basin_experiment_to_json (e);
  text = basin_json_to_string (root);
  g_print ("%s\n", text);
  basin_experiment_free (e);
  return 0;
}

static void
print_usage (void)
{
  g_printerr (_("Usage: basin-cli COMMAND [OPTIONS]\n\n"
                "Commands:\n"
                "  run [--preset NAME | --config FILE] --out DIR\n"
                "                     train two runs, match and merge them, write\n"
                "                     summary.json and SVG/PNG figures into DIR\n"
                "  compare --a FILE --b FILE --data DATA --out DIR\n"
                "                     match and merge two MLP checkpoints (safetensors\n"
                "                     state_dicts) trained elsewhere\n"
                "  analyse SESSION OUT_DIR\n"
                "                     analyse a session saved with run --save\n"
                "  landscape SESSION --out DIR [--grid N] [--random]\n"
                "                     evaluate the loss over a plane in weight space\n"
                "  presets            list the built-in experiments\n"
                "  show-preset NAME   print a preset as experiment JSON\n\n"
                "Run “basin-cli run --help” for the options of run.\n"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, basin_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage ();
      return 2;
    }
  if (g_strcmp0 (argv[1], "run") == 0)
    return command_run (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "compare") == 0)
    return command_compare (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "analyse") == 0 || g_strcmp0 (argv[1], "analyze") == 0)
    return command_analyse (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "landscape") == 0)
    return command_landscape (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "presets") == 0)
    return command_presets ();
  if (g_strcmp0 (argv[1], "show-preset") == 0 && argc == 3)
    return command_show_preset (argv[2]);
  if (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0)
    {
      print_usage ();
      return 0;
    }

  g_printerr (_("basin-cli: unknown command “%s”.\n"), argv[1]);
  print_usage ();
  return 2;
}
