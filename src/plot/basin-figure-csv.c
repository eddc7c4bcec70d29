/* basin-figure-csv.c: the data of a figure as CSV.
 *
 * Line plots become one row per point:
 *
 *   panel,series,x,y
 *
 * Matrices and image grids become one row per value:
 *
 *   panel,image,row,col,x,y,value,marked
 *
 * where x and y are the data coordinates of the cell (the column and row
 * index for a matrix, or the label of a reordered column) and marked is 1
 * for the cells outlined on a matrix.  Values not computed yet are "nan".
 * A figure with both kinds of panels writes the line block first, then an
 * empty line, then the heat-map block.  Numbers use a dot as decimal
 * separator whatever the locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "basin-error.h"
#include "basin-figure-private.h"

static void
append_field (GString    *csv,
              const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (csv, text);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_number (GString *csv,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.9g", value));
}

static char *
panel_name (const BasinFigure *figure,
            guint              index)
{
  const BasinPanel *panel = g_ptr_array_index (figure->panels, index);

  if (panel->title != NULL && panel->title[0] != '\0')
    return g_strdup (panel->title);
  if (figure->panels->len == 1 && figure->title != NULL)
    return g_strdup (figure->title);

  return g_strdup_printf ("panel %u", index + 1);
}

static void
append_lines_panel (GString          *csv,
                    const BasinPanel *panel,
                    const char       *name)
{
  for (guint s = 0; s < panel->series->len; s++)
    {
      const BasinSeries *series = g_ptr_array_index (panel->series, s);

      for (guint i = 0; i < series->n_points; i++)
        {
          append_field (csv, name);
          g_string_append_c (csv, ',');
          append_field (csv, series->name);
          append_number (csv, series->x[i]);
          append_number (csv, series->y[i]);
          g_string_append_c (csv, '\n');
        }
    }
}

/* Data coordinates of cell (row, col): indices for a matrix (the column
 * labels, if set), the sample positions of the extent for an image grid
 * or a contour panel. */
static void
cell_coordinates (const BasinPanel *panel,
                  const BasinImage *image,
                  guint             row,
                  guint             col,
                  double           *x,
                  double           *y)
{
  *x = col;
  *y = row;

  if (panel->kind == BASIN_PANEL_MATRIX && col < panel->n_column_labels)
    *x = panel->column_labels[col];

  if ((panel->kind != BASIN_PANEL_IMAGE_GRID && panel->kind != BASIN_PANEL_CONTOUR) ||
      !panel->has_extent)
    return;

  if (image->n_cols > 1)
    *x = panel->extent[0] + col * (panel->extent[1] - panel->extent[0]) / (image->n_cols - 1);
  if (image->n_rows > 1)
    *y = panel->extent[2] + row * (panel->extent[3] - panel->extent[2]) / (image->n_rows - 1);
}

static void
append_image (GString          *csv,
              const BasinPanel *panel,
              const char       *name,
              const BasinImage *image,
              const char       *image_name)
{
  for (guint row = 0; row < image->n_rows; row++)
    for (guint col = 0; col < image->n_cols; col++)
      {
        gboolean marked = panel->kind == BASIN_PANEL_MATRIX &&
                          row < panel->n_marks && panel->marks[row] == col;
        double x, y;

        cell_coordinates (panel, image, row, col, &x, &y);
        append_field (csv, name);
        g_string_append_c (csv, ',');
        append_field (csv, image_name);
        g_string_append_printf (csv, ",%u,%u", row, col);
        append_number (csv, x);
        append_number (csv, y);
        append_number (csv, image->values[(gsize) row * image->n_cols + col]);
        g_string_append (csv, marked ? ",1\n" : ",0\n");
      }
}

static void
append_image_panel (GString          *csv,
                    const BasinPanel *panel,
                    const char       *name)
{
  for (guint i = 0; i < panel->images->len; i++)
    {
      const BasinImage *image = g_ptr_array_index (panel->images, i);
      g_autofree char *image_name = NULL;

      if (image->label != NULL)
        image_name = g_strdup (image->label);
      else
        image_name = g_strdup_printf ("image %u", i + 1);

      append_image (csv, panel, name, image, image_name);
    }
}

/* Appends the block of all panels of one kind; returns whether there was
 * any such panel. */
static gboolean
append_block (GString           *csv,
              const BasinFigure *figure,
              gboolean           lines)
{
  gboolean found = FALSE;

  for (guint i = 0; i < figure->panels->len; i++)
    {
      const BasinPanel *panel = g_ptr_array_index (figure->panels, i);
      g_autofree char *name = NULL;

      if ((panel->kind == BASIN_PANEL_LINES) != lines)
        continue;

      if (!found)
        g_string_append (csv, lines ? "panel,series,x,y\n"
                                    : "panel,image,row,col,x,y,value,marked\n");
      found = TRUE;

      name = panel_name (figure, i);
      if (lines)
        append_lines_panel (csv, panel, name);
      else
        append_image_panel (csv, panel, name);
    }

  return found;
}

/**
 * basin_figure_export_csv:
 * @figure: a figure
 * @path: the file to write
 * @error: return location for a #GError
 *
 * Writes the data shown in @figure as CSV, with one header line per block:
 * `panel,series,x,y` for line plots and
 * `panel,image,row,col,x,y,value,marked` for matrices and image grids.
 * Values are written as given, before any per-image scaling.  A figure
 * that shows a message writes only the header `panel,series,x,y`.
 * The file is replaced atomically.
 *
 * Returns: %TRUE on success; on failure %FALSE with @error set to
 *   %BASIN_ERROR_IO
 */
gboolean
basin_figure_export_csv (const BasinFigure *figure,
                         const char        *path,
                         GError           **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  gboolean has_lines;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  has_lines = figure->message == NULL && append_block (csv, figure, TRUE);
  if (figure->message == NULL)
    {
      gsize before = csv->len;

      if (has_lines)
        g_string_append_c (csv, '\n');
      if (!append_block (csv, figure, FALSE))
        g_string_truncate (csv, before);
    }
  if (csv->len == 0)
    g_string_append (csv, "panel,series,x,y\n");

  if (!g_file_set_contents_full (path, csv->str, csv->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO,
                   _("Failed to write “%s”: %s. Choose a folder that exists and is writable, with free space."),
                   display, local_error->message);
      return FALSE;
    }

  return TRUE;
}
