/* basin-figure-view.c: a widget that draws one figure.
 *
 * A figure is rendered with cairo into a texture of the view's size, and
 * the texture is reused until the figure, the size or the scale changes.
 * A grid of neuron maps takes tens of milliseconds to render, so this keeps
 * switching pages and redrawing the window from stalling the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "basin-figure-view.h"

/* Size of an export when the view has never been shown, in pixels (PNG)
 * or points (SVG, PDF). */
#define DEFAULT_EXPORT_WIDTH  960.0
#define DEFAULT_EXPORT_HEIGHT 640.0

struct _BasinFigureView
{
  GtkWidget    parent_instance;

  /* Owned */
  BasinFigure *figure;
  GdkTexture  *texture;
  int          texture_width;
  int          texture_height;
  int          texture_scale;

  /* Child widget, shown while there is no figure */
  GtkLabel    *placeholder;
};

G_DEFINE_FINAL_TYPE (BasinFigureView, basin_figure_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLACEHOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Renders the figure at @width × @height logical pixels and @scale device
 * pixels per logical pixel. */
static GdkTexture *
render_texture (const BasinFigure *figure,
                int                width,
                int                height,
                int                scale)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);

  cr = cairo_create (surface);
  basin_figure_render (figure, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* CAIRO_FORMAT_ARGB32 is premultiplied native-endian ARGB, the layout
   * of GDK_MEMORY_DEFAULT. */
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize)stride * height * scale,
                                      (GDestroyNotify)cairo_surface_destroy,
                                      surface);

  return gdk_memory_texture_new (width * scale, height * scale,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
basin_figure_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  BasinFigureView *self = BASIN_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  if (self->figure != NULL && width > 0 && height > 0)
    {
      if (self->texture == NULL
          || self->texture_width != width
          || self->texture_height != height
          || self->texture_scale != scale)
        {
          gint64 begin = g_get_monotonic_time ();

          g_clear_object (&self->texture);
          self->texture = render_texture (self->figure, width, height, scale);
          self->texture_width = width;
          self->texture_height = height;
          self->texture_scale = scale;

          g_debug ("Rendered “%s” at %d × %d in %.1f ms",
                   basin_figure_get_title (self->figure), width, height,
                   (g_get_monotonic_time () - begin) / 1000.0);
        }

      gtk_snapshot_append_texture (snapshot, self->texture,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height));
    }

  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->placeholder), snapshot);
}

static void
basin_figure_view_dispose (GObject *object)
{
  BasinFigureView *self = (BasinFigureView *)object;

  if (self->placeholder != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->placeholder));
      self->placeholder = NULL;
    }

  g_clear_object (&self->texture);
  g_clear_pointer (&self->figure, basin_figure_free);

  G_OBJECT_CLASS (basin_figure_view_parent_class)->dispose (object);
}

static void
basin_figure_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BasinFigureView *self = BASIN_FIGURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      g_value_set_string (value, basin_figure_view_get_placeholder (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_figure_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BasinFigureView *self = BASIN_FIGURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      basin_figure_view_set_placeholder (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_figure_view_class_init (BasinFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = basin_figure_view_dispose;
  object_class->get_property = basin_figure_view_get_property;
  object_class->set_property = basin_figure_view_set_property;

  widget_class->snapshot = basin_figure_view_snapshot;

  /**
   * BasinFigureView:placeholder:
   *
   * Text shown while the view has no figure.
   */
  properties[PROP_PLACEHOLDER] =
    g_param_spec_string ("placeholder", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "figureview");
}

static void
basin_figure_view_init (BasinFigureView *self)
{
  self->placeholder = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->placeholder, TRUE);
  gtk_label_set_justify (self->placeholder, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->placeholder), "dim-label");
  gtk_widget_set_margin_start (GTK_WIDGET (self->placeholder), 24);
  gtk_widget_set_margin_end (GTK_WIDGET (self->placeholder), 24);
  gtk_widget_set_parent (GTK_WIDGET (self->placeholder), GTK_WIDGET (self));

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
basin_figure_view_new (void)
{
  return g_object_new (BASIN_TYPE_FIGURE_VIEW, NULL);
}

/**
 * basin_figure_view_get_figure:
 *
 * Returns: (transfer none) (nullable): the figure shown, or %NULL
 */
const BasinFigure *
basin_figure_view_get_figure (BasinFigureView *self)
{
  g_return_val_if_fail (BASIN_IS_FIGURE_VIEW (self), NULL);

  return self->figure;
}

/**
 * basin_figure_view_set_figure:
 * @figure: (transfer full) (nullable): the figure to show
 *
 * Replaces the figure and frees the previous one.  Without a figure the
 * view shows its placeholder text.
 */
void
basin_figure_view_set_figure (BasinFigureView *self,
                              BasinFigure     *figure)
{
  g_return_if_fail (BASIN_IS_FIGURE_VIEW (self));

  if (figure == self->figure)
    return;

  g_clear_object (&self->texture);
  g_clear_pointer (&self->figure, basin_figure_free);
  self->figure = figure;

  if (self->placeholder != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->placeholder), figure == NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
basin_figure_view_get_placeholder (BasinFigureView *self)
{
  g_return_val_if_fail (BASIN_IS_FIGURE_VIEW (self), NULL);

  return gtk_label_get_label (self->placeholder);
}

void
basin_figure_view_set_placeholder (BasinFigureView *self,
                                   const char      *placeholder)
{
  g_return_if_fail (BASIN_IS_FIGURE_VIEW (self));

  if (g_strcmp0 (placeholder, gtk_label_get_label (self->placeholder)) == 0)
    return;

  gtk_label_set_label (self->placeholder, placeholder);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEHOLDER]);
}

/**
 * basin_figure_view_get_export_size:
 * @width: (out): width in pixels
 * @height: (out): height in pixels
 *
 * Gets the size an export is drawn at: the size of the view on screen, so
 * the file shows what the window shows, or 960 × 640 before the view has
 * been shown.
 */
void
basin_figure_view_get_export_size (BasinFigureView *self,
                                   double          *width,
                                   double          *height)
{
  int view_width;
  int view_height;

  g_return_if_fail (BASIN_IS_FIGURE_VIEW (self));
  g_return_if_fail (width != NULL);
  g_return_if_fail (height != NULL);

  view_width = gtk_widget_get_width (GTK_WIDGET (self));
  view_height = gtk_widget_get_height (GTK_WIDGET (self));

  if (view_width < 64 || view_height < 64)
    {
      *width = DEFAULT_EXPORT_WIDTH;
      *height = DEFAULT_EXPORT_HEIGHT;
      return;
    }

  *width = view_width;
  *height = view_height;
}

/**
 * basin_figure_view_export:
 * @path: the file to write; its extension picks the format: `.svg`,
 *   `.png`, `.pdf` for the figure, `.csv` for its data
 *
 * Writes the figure shown, at the size it has on screen.
 *
 * Returns: %TRUE on success, %FALSE with @error set otherwise, also when
 *   the view has no figure yet
 */
gboolean
basin_figure_view_export (BasinFigureView  *self,
                          const char       *path,
                          GError          **error)
{
  double width;
  double height;

  g_return_val_if_fail (BASIN_IS_FIGURE_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->figure == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("This view has no figure to export yet. Train the two runs first."));
      return FALSE;
    }

  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV"))
    return basin_figure_export_csv (self->figure, path, error);

  basin_figure_view_get_export_size (self, &width, &height);

  return basin_figure_export (self->figure, path, width, height, error);
}
