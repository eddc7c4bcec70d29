/* main.c: starts Basin, or runs the default experiment when there is no display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <sys/wait.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "basin-application.h"
#include "basin-locale.h"

#define HEADLESS_OUTPUT_DIR "basin-output"

/* Looks for basin-cli next to this executable (installed), then in the
 * build tree (src/gui/basin next to src/cli/basin-cli), then in PATH. */
static char *
find_basin_cli (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *sibling = g_build_filename (dir, "basin-cli", NULL);
      g_autofree char *build_tree = g_build_filename (dir, "..", "cli", "basin-cli", NULL);

      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);

      if (g_file_test (build_tree, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&build_tree);
    }

  return g_find_program_in_path ("basin-cli");
}

static void
print_no_display_message (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((x11 == NULL || x11[0] == '\0') && (wayland == NULL || wayland[0] == '\0'))
    g_printerr (_("basin: no display found (DISPLAY and WAYLAND_DISPLAY are unset), "
                  "so the default experiment runs headless and its figures are written "
                  "to ./%s. Use basin-cli for more options.\n"),
                HEADLESS_OUTPUT_DIR);
  else
    g_printerr (_("basin: cannot open the display (DISPLAY=%s, WAYLAND_DISPLAY=%s), "
                  "so the default experiment runs headless and its figures are written "
                  "to ./%s. Use basin-cli for more options.\n"),
                x11 != NULL ? x11 : "", wayland != NULL ? wayland : "",
                HEADLESS_OUTPUT_DIR);
}

/* Runs `basin-cli run --out basin-output` and returns its exit status. */
static int
run_headless (void)
{
  g_autofree char *cli = find_basin_cli ();
  g_autoptr(GError) error = NULL;
  const char *cli_argv[] = { NULL, "run", "--out", HEADLESS_OUTPUT_DIR, NULL };
  int wait_status = 0;

  print_no_display_message ();

  if (cli == NULL)
    {
      g_printerr (_("basin: basin-cli was found neither next to this program nor in "
                    "PATH; install Basin completely or add basin-cli to PATH.\n"));
      return 127;
    }

  cli_argv[0] = cli;
  if (!g_spawn_sync (NULL, (char **)cli_argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &wait_status, &error))
    {
      g_printerr (_("basin: could not start %s: %s\n"), cli, error->message);
      return 127;
    }

  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);

  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BasinApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, basin_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    return run_headless ();

  application = basin_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
