/* basin-locale.c: where Basin's translations are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "basin-locale.h"

/**
 * basin_locale_dir:
 *
 * Returns the folder to pass to bindtextdomain(): the catalogues built in
 * the build tree when the running program is one of the build tree's own,
 * so `./dev.sh run` is translated without installing, and the installed
 * locale folder otherwise.
 *
 * Returns: (transfer none): a folder name
 */
const char *
basin_locale_dir (void)
{
  static const char *dir;

  if (g_once_init_enter (&dir))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      const char *chosen = LOCALEDIR;

      if (exe != NULL && g_str_has_prefix (exe, BASIN_BUILD_ROOT G_DIR_SEPARATOR_S)
          && g_file_test (BASIN_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
        chosen = BASIN_BUILD_LOCALEDIR;
      g_once_init_leave (&dir, chosen);
    }
  return dir;
}
