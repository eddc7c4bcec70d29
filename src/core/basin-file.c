/* basin-file.c: reading data files, plain or gzip-compressed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>

#include "basin-error.h"
#include "basin-file-private.h"

/**
 * basin_read_file:
 * @path: a file name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a whole file through GIO, decompressing it if it starts with the
 * gzip magic bytes, whatever its name.
 *
 * Returns: (transfer full) (nullable): the contents
 */
GBytes *
basin_read_file (const char   *path,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GBytes) raw = g_file_load_bytes (file, cancellable, NULL, &local_error);
  g_autoptr (GZlibDecompressor) gunzip = NULL;
  g_autoptr (GInputStream) source = NULL, plain = NULL;
  g_autoptr (GOutputStream) sink = NULL;
  const guint8 *data;
  gsize size = 0;

  if (raw == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO, _("Cannot read “%s”: %s"),
                     path, local_error->message);
      return NULL;
    }

  data = g_bytes_get_data (raw, &size);
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b)
    return g_steal_pointer (&raw);

  gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  source = g_memory_input_stream_new_from_bytes (raw);
  plain = g_converter_input_stream_new (source, G_CONVERTER (gunzip));
  sink = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (sink, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              cancellable, &local_error) < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                     _("Cannot decompress “%s”: %s. The file may be truncated; "
                       "compress or download it again."), path, local_error->message);
      return NULL;
    }

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}
