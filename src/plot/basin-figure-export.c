/* basin-figure-export.c: writing figures to SVG, PNG and PDF, and their
 * data to CSV.
 *
 * Files are written atomically: the figure goes into a temporary file in
 * the target folder, which is renamed over the target only when complete,
 * so a failed export never leaves a truncated file behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "basin-error.h"
#include "basin-figure-private.h"

/* Largest width or height accepted, within cairo's image size limit of
 * 32767 pixels also when PNG files are drawn at twice the size. */
#define MAX_EXPORT_SIZE 16384.0

typedef struct {
  int fd;
  int saved_errno;
} FileSink;

static cairo_status_t
write_to_sink (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  FileSink *sink = closure;

  while (length > 0)
    {
      ssize_t written = write (sink->fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          sink->saved_errno = errno;
          return CAIRO_STATUS_WRITE_ERROR;
        }

      data += written;
      length -= (unsigned int) written;
    }

  return CAIRO_STATUS_SUCCESS;
}

/**
 * basin_export_format_from_path:
 * @path: a file name
 * @out: (out) (optional): the format
 *
 * Picks the export format from the extension of @path, ignoring case:
 * ".svg", ".png" or ".pdf".
 *
 * Returns: %TRUE if the extension names a supported format
 */
gboolean
basin_export_format_from_path (const char        *path,
                               BasinExportFormat *out)
{
  static const struct {
    const char        *extension;
    BasinExportFormat  format;
  } formats[] = {
    { ".svg", BASIN_EXPORT_SVG },
    { ".png", BASIN_EXPORT_PNG },
    { ".pdf", BASIN_EXPORT_PDF },
  };
  g_autofree char *basename = NULL;
  const char *extension;

  g_return_val_if_fail (path != NULL, FALSE);

  basename = g_path_get_basename (path);
  extension = strrchr (basename, '.');
  if (extension == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (g_ascii_strcasecmp (extension, formats[i].extension) == 0)
        {
          if (out != NULL)
            *out = formats[i].format;
          return TRUE;
        }
    }

  return FALSE;
}

static cairo_status_t
render_to_surface (const BasinFigure *figure,
                   cairo_surface_t   *surface,
                   double             scale,
                   double             width,
                   double             height)
{
  cairo_status_t status;
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, scale, scale);
  basin_figure_render (figure, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  return status;
}

static cairo_status_t
write_png (const BasinFigure *figure,
           FileSink          *sink,
           double             width,
           double             height)
{
  /* Twice the size keeps lines and text sharp on high-resolution screens
   * and in print. */
  double scale = 2.0 * MAX (width, height) <= MAX_EXPORT_SIZE ? 2.0 : 1.0;
  cairo_surface_t *surface;
  cairo_status_t status;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                        (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = render_to_surface (figure, surface, scale, width, height);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, write_to_sink, sink);

  cairo_surface_destroy (surface);

  return status;
}

static cairo_status_t
write_vector (const BasinFigure *figure,
              BasinExportFormat  format,
              FileSink          *sink,
              double             width,
              double             height)
{
  cairo_surface_t *surface;
  cairo_status_t status;

  if (format == BASIN_EXPORT_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (write_to_sink, sink, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    {
      surface = cairo_pdf_surface_create_for_stream (write_to_sink, sink, width, height);
      if (figure->title != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, figure->title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Basin");
    }

  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = render_to_surface (figure, surface, 1.0, width, height);

  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return status;
}

static gboolean
check_export_size (double   width,
                   double   height,
                   GError **error)
{
  if (width >= 1.0 && height >= 1.0 && width <= MAX_EXPORT_SIZE && height <= MAX_EXPORT_SIZE)
    return TRUE;

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
               _("Invalid figure size %g × %g: width and height must be between 1 and %g"),
               width, height, MAX_EXPORT_SIZE);

  return FALSE;
}

static void
set_unknown_format_error (const char  *path,
                          GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *basename = g_path_get_basename (display);
  const char *extension = strrchr (basename, '.');

  if (extension == NULL)
    g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                 _("“%s” has no file extension: add .svg, .png or .pdf to choose the figure format"),
                 display);
  else
    g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                 _("Unknown figure format “%s” in “%s”: use .svg, .png or .pdf"),
                 extension, display);
}

static void
set_io_error (const char  *path,
              int          saved_errno,
              const char  *detail,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO,
               _("Failed to write “%s”: %s. Choose a folder that exists and is writable, with free space."),
               display, saved_errno != 0 ? g_strerror (saved_errno) : detail);
}

/* Closes the temporary file and renames it to @path; removes it on
 * failure. */
static gboolean
commit_temporary (FileSink    *sink,
                  const char  *temporary,
                  const char  *path,
                  GError     **error)
{
  int saved_errno = 0;

  if (fsync (sink->fd) != 0 && errno != EINVAL)
    saved_errno = errno;
  if (close (sink->fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  sink->fd = -1;

  if (saved_errno == 0 && g_rename (temporary, path) != 0)
    saved_errno = errno;

  if (saved_errno != 0)
    {
      g_unlink (temporary);
      set_io_error (path, saved_errno, NULL, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * basin_figure_export:
 * @figure: a figure
 * @path: the file to write; its extension picks SVG, PNG or PDF
 * @width: width of the figure, in pixels for SVG and PNG and in points
 *   for PDF
 * @height: height of the figure, in the same unit
 * @error: return location for a #GError
 *
 * Draws @figure into a file, exactly as basin_figure_render() draws it on
 * screen at @width × @height.  PNG files get twice as many pixels in each
 * direction.  The file is written to a temporary file next to @path and
 * renamed over @path when complete, so an existing file is replaced
 * whole or not at all.
 *
 * Returns: %TRUE on success.  On failure, %FALSE with @error set to
 *   %BASIN_ERROR_INVALID_ARGUMENT for an unknown extension or a size
 *   outside [1, 16384], or to %BASIN_ERROR_IO if writing failed.
 */
gboolean
basin_figure_export (const BasinFigure *figure,
                     const char        *path,
                     double             width,
                     double             height,
                     GError           **error)
{
  g_autofree char *temporary = NULL;
  BasinExportFormat format;
  FileSink sink = { -1, 0 };
  cairo_status_t status;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!basin_export_format_from_path (path, &format))
    {
      set_unknown_format_error (path, error);
      return FALSE;
    }

  if (!check_export_size (width, height, error))
    return FALSE;

  temporary = g_strconcat (path, ".tmp-XXXXXX", NULL);
  sink.fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0666);
  if (sink.fd < 0)
    {
      set_io_error (path, errno, NULL, error);
      return FALSE;
    }

  if (format == BASIN_EXPORT_PNG)
    status = write_png (figure, &sink, width, height);
  else
    status = write_vector (figure, format, &sink, width, height);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      close (sink.fd);
      g_unlink (temporary);
      set_io_error (path, sink.saved_errno, cairo_status_to_string (status), error);
      return FALSE;
    }

  g_debug ("Exported figure “%s” to %s", figure->title != NULL ? figure->title : "", path);

  return commit_temporary (&sink, temporary, path, error);
}
