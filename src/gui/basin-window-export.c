/* basin-window-export.c: exports the figure of the visible page of the main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "basin-window-private.h"

static const struct {
  const char *format;
  const char *extension;
  const char *filter_name;
  const char *mime_type;
} export_formats[] = {
  { "svg", ".svg", N_("SVG Images"), "image/svg+xml" },
  { "png", ".png", N_("PNG Images"), "image/png" },
  { "pdf", ".pdf", N_("PDF Documents"), "application/pdf" },
  { "csv", ".csv", N_("CSV Files"), "text/csv" },
};

static const char *
find_known_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_str_has_suffix (lower, export_formats[i].extension))
      return export_formats[i].extension;

  return NULL;
}

static void
export_figure (BasinWindow *self,
               GFile       *file)
{
  BasinFigureView *view = _basin_window_get_visible_view (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  if (path == NULL)
    {
      _basin_window_show_toast (self, _("Choose a file on this computer; remote locations cannot be written."), 8);
      return;
    }

  /* A name typed without an extension gets the one of the chosen format. */
  if (find_known_extension (path) == NULL)
    {
      char *with_extension = g_strconcat (path, self->export_extension, NULL);

      g_free (path);
      path = with_extension;
    }

  if (view == NULL || !basin_figure_view_export (view, path, &error))
    {
      g_autofree char *failure = NULL;

      failure = g_strdup_printf (_("Could not export the figure: %s"),
                                 error != NULL ? error->message : _("no figure is shown"));
      g_message ("Exporting to “%s” failed: %s", path, failure);
      _basin_window_show_toast (self, failure, 10);
      return;
    }

  g_clear_object (&self->export_folder);
  self->export_folder = g_file_get_parent (file);

  basename = g_path_get_basename (path);
  message = g_strdup_printf (_("Saved “%s”"), basename);
  _basin_window_show_toast (self, message, 3);
}

static void
export_response_cb (BasinWindow          *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL)
    export_figure (self, file);

  g_clear_object (&self->file_chooser);
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BasinWindow *self = BASIN_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_strcmp0 (export_formats[i].format, format) == 0)
      break;

  if (i == G_N_ELEMENTS (export_formats) || self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Figure"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _(export_formats[i].filter_name));
  gtk_file_filter_add_mime_type (filter, export_formats[i].mime_type);
  gtk_file_filter_add_suffix (filter, export_formats[i].format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  name = g_strdup_printf ("basin-%s%s", page != NULL ? page : "figure",
                          export_formats[i].extension);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (self->export_folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->export_folder, NULL);

  g_free (self->export_extension);
  self->export_extension = g_strdup (export_formats[i].extension);

  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (export_response_cb), self, G_CONNECT_SWAPPED);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

void
_basin_window_export_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action_cb);
}
