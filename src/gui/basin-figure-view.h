/* basin-figure-view.h: a widget that draws one figure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include <basin/basin-plot.h>

G_BEGIN_DECLS

#define BASIN_TYPE_FIGURE_VIEW (basin_figure_view_get_type ())

G_DECLARE_FINAL_TYPE (BasinFigureView, basin_figure_view, BASIN, FIGURE_VIEW, GtkWidget)

GtkWidget         *basin_figure_view_new              (void);
const BasinFigure *basin_figure_view_get_figure       (BasinFigureView   *self);
void               basin_figure_view_set_figure       (BasinFigureView   *self,
                                                       BasinFigure       *figure);
const char        *basin_figure_view_get_placeholder  (BasinFigureView   *self);
void               basin_figure_view_set_placeholder  (BasinFigureView   *self,
                                                       const char        *placeholder);
void               basin_figure_view_get_export_size  (BasinFigureView   *self,
                                                       double            *width,
                                                       double            *height);
gboolean           basin_figure_view_export           (BasinFigureView   *self,
                                                       const char        *path,
                                                       GError           **error);

G_END_DECLS
