/* basin-plot.h: figures drawn with cairo, on screen and into files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "basin-neuron-map.h"
#include "basin-identifiability.h"
#include "basin-landscape.h"
#include "basin-session.h"

G_BEGIN_DECLS

/**
 * BasinFigure:
 *
 * A figure model: plain data, normalized before drawing.  The same
 * basin_figure_render() call draws on a widget and into SVG, PNG and PDF
 * surfaces, so an exported file shows exactly what the window showed.
 */
typedef struct _BasinFigure BasinFigure;

typedef enum {
  BASIN_EXPORT_SVG,
  BASIN_EXPORT_PNG,
  BASIN_EXPORT_PDF,
} BasinExportFormat;

void         basin_figure_free     (BasinFigure *figure);
void         basin_figure_render   (const BasinFigure *figure,
                                    cairo_t           *cr,
                                    double             width,
                                    double             height);
gboolean     basin_export_format_from_path (const char        *path,
                                            BasinExportFormat *out);
gboolean     basin_figure_export   (const BasinFigure *figure,
                                    const char        *path,
                                    double             width,
                                    double             height,
                                    GError           **error);
gboolean     basin_figure_export_csv (const BasinFigure *figure,
                                      const char        *path,
                                      GError           **error);
const char  *basin_figure_get_title (const BasinFigure *figure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinFigure, basin_figure_free)

/* Building figures from plain data. */

/**
 * BasinPanel:
 *
 * One plot of a figure: a line plot, a matrix or a grid of small heat maps,
 * with its axes, legend and colour bar.  A panel belongs to its figure.
 */
typedef struct _BasinPanel BasinPanel;

/**
 * BasinPanelKind:
 * @BASIN_PANEL_LINES: curves over numeric x and y axes
 * @BASIN_PANEL_MATRIX: one matrix, row 0 at the top, one cell per entry,
 *   drawn without smoothing
 * @BASIN_PANEL_IMAGE_GRID: small multiples: a grid of square heat maps over
 *   a shared extent, row 0 at the bottom, smoothed bilinearly
 * @BASIN_PANEL_CONTOUR: a function sampled on a regular grid, drawn as a
 *   heat map over numeric axes, row 0 at the bottom, one sharp block per
 *   sample, with labelled contour lines, markers and segments on top
 */
typedef enum {
  BASIN_PANEL_LINES,
  BASIN_PANEL_MATRIX,
  BASIN_PANEL_IMAGE_GRID,
  BASIN_PANEL_CONTOUR,
} BasinPanelKind;

/**
 * BasinColormap:
 * @BASIN_COLORMAP_VIRIDIS: perceptually uniform sequential map, dark
 *   purple to yellow
 * @BASIN_COLORMAP_DIVERGING: ColorBrewer's RdBu, blue for the minimum,
 *   near white in the middle, red for the maximum
 * @BASIN_COLORMAP_CLASSES: three classes of a signed value.  Values within
 *   the band set by basin_panel_set_neutral_band() get a light neutral
 *   colour.  Above it, warm shades (ColorBrewer's YlOrRd) darken with the
 *   value, and below it blue shades (Blues) darken with the magnitude.
 *   +∞ is dark grey.
 */
typedef enum {
  BASIN_COLORMAP_VIRIDIS,
  BASIN_COLORMAP_DIVERGING,
  BASIN_COLORMAP_CLASSES,
} BasinColormap;

/**
 * BasinLegendSymbol:
 * @BASIN_LEGEND_LINE: a solid line sample
 * @BASIN_LEGEND_DASHED_LINE: a dashed line sample
 * @BASIN_LEGEND_DOT: a filled dot with an outline, as data points are drawn
 * @BASIN_LEGEND_BOX: an outlined square, as marked cells are drawn
 * @BASIN_LEGEND_PATCH: a square filled with a colour of a colour map, added
 *   with basin_panel_add_legend_patch()
 */
typedef enum {
  BASIN_LEGEND_LINE,
  BASIN_LEGEND_DASHED_LINE,
  BASIN_LEGEND_DOT,
  BASIN_LEGEND_BOX,
  BASIN_LEGEND_PATCH,
} BasinLegendSymbol;

BasinFigure *basin_figure_new            (const char  *title);
void         basin_figure_set_caption    (BasinFigure *figure,
                                          const char  *caption);
const char  *basin_figure_get_caption    (const BasinFigure *figure);
void         basin_figure_set_message    (BasinFigure *figure,
                                          const char  *message);
const char  *basin_figure_get_message    (const BasinFigure *figure);
void         basin_figure_set_columns    (BasinFigure *figure,
                                          guint        n_columns);
BasinPanel  *basin_figure_add_panel      (BasinFigure    *figure,
                                          BasinPanelKind  kind,
                                          const char     *title);
guint        basin_figure_get_n_panels   (const BasinFigure *figure);
BasinPanel  *basin_figure_get_panel      (const BasinFigure *figure,
                                          guint              index);
gboolean     basin_figure_get_plot_area  (const BasinFigure     *figure,
                                          guint                  index,
                                          double                 width,
                                          double                 height,
                                          cairo_rectangle_t     *area);

void         basin_panel_set_axis_titles (BasinPanel *panel,
                                          const char *x_title,
                                          const char *y_title);
void         basin_panel_set_x_range     (BasinPanel *panel,
                                          double      min,
                                          double      max);
void         basin_panel_set_y_range     (BasinPanel *panel,
                                          double      min,
                                          double      max);
void         basin_panel_set_log_y       (BasinPanel *panel,
                                          gboolean    log_y);
guint        basin_panel_add_series      (BasinPanel   *panel,
                                          const char   *name,
                                          const double *x,
                                          const double *y,
                                          guint         n_points,
                                          guint         color,
                                          gboolean      dashed);
void         basin_panel_set_series_note (BasinPanel *panel,
                                          guint       series,
                                          const char *note);
void         basin_panel_add_legend_entry (BasinPanel        *panel,
                                           BasinLegendSymbol  symbol,
                                           guint              color,
                                           const char        *label);
void         basin_panel_set_colormap    (BasinPanel    *panel,
                                          BasinColormap  colormap,
                                          double         min,
                                          double         max,
                                          const char    *colorbar_label);
void         basin_panel_set_scale_per_image (BasinPanel *panel,
                                              gboolean    per_image);
void         basin_panel_add_image       (BasinPanel  *panel,
                                          const char  *label,
                                          const float *values,
                                          guint        n_rows,
                                          guint        n_cols,
                                          gboolean     highlighted);
void         basin_panel_set_extent      (BasinPanel *panel,
                                          double      x_min,
                                          double      x_max,
                                          double      y_min,
                                          double      y_max);
void         basin_panel_set_marks       (BasinPanel    *panel,
                                          const guint32 *columns,
                                          guint          n_rows);
void         basin_panel_set_points      (BasinPanel    *panel,
                                          const float   *xy,
                                          const guint32 *classes,
                                          guint          n_points);
void         basin_panel_add_legend_patch (BasinPanel *panel,
                                           guint32     rgb,
                                           gboolean    hatched,
                                           const char *label);
void         basin_panel_set_log_color   (BasinPanel *panel,
                                          gboolean    log_color);
void         basin_panel_set_neutral_band (BasinPanel *panel,
                                           double      half_width);
void         basin_panel_set_column_labels (BasinPanel    *panel,
                                            const guint32 *labels,
                                            guint          n_cols);
void         basin_panel_set_grid_stride (BasinPanel *panel,
                                          guint       stride);
void         basin_panel_set_contours    (BasinPanel *panel,
                                          guint       n_levels);
void         basin_panel_set_equal_aspect (BasinPanel *panel,
                                           gboolean    equal_aspect);
void         basin_panel_add_marker      (BasinPanel *panel,
                                          const char *label,
                                          double      x,
                                          double      y);
void         basin_panel_add_segment     (BasinPanel *panel,
                                          const char *label,
                                          double      x0,
                                          double      y0,
                                          double      x1,
                                          double      y1);

/* Figures of a session. */
BasinFigure *basin_figure_new_neurons      (const BasinSession *session,
                                            guint               layer,
                                            guint               max_neurons,
                                            guint               resolution);
BasinFigure *basin_figure_new_match_matrix (const BasinSession *session,
                                            guint               layer);
BasinFigure *basin_figure_new_merge_path   (const BasinSession *session);
BasinFigure *basin_figure_new_neuron_maps  (const BasinInputPlane *plane,
                                            const BasinNeuronMap  *map_a,
                                            const BasinNeuronMap  *map_b,
                                            const BasinMatching   *matching,
                                            guint                  layer,
                                            guint                  max_neurons);

BasinFigure *basin_figure_new_training     (const guint   *n_steps,
                                            const double *const *steps,
                                            const double *const *losses,
                                            guint          epochs);

/**
 * BasinMatrixOrder:
 * @BASIN_MATRIX_ORDER_IDENTITY: rows and columns in each run's own order
 * @BASIN_MATRIX_ORDER_MATCHING: columns reordered so that the matched
 *   neuron of B is under neuron i of A; a perfect match is the diagonal
 */
typedef enum {
  BASIN_MATRIX_ORDER_IDENTITY,
  BASIN_MATRIX_ORDER_MATCHING,
} BasinMatrixOrder;

BasinFigure *basin_figure_new_match_matrix_ordered (const BasinSession *session,
                                                    guint               layer,
                                                    BasinMatrixOrder    order);
BasinFigure *basin_figure_new_swap_costs           (const BasinSwapCosts *costs,
                                                    const char           *run_name);
BasinFigure *basin_figure_new_identifiability_track (const BasinSession *session);
BasinFigure *basin_figure_new_landscape            (const BasinLandscape *landscape,
                                                    gboolean              log_scale);

G_END_DECLS
