/* basin-figure-private.h: the figure model and the helpers that draw it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "basin-plot.h"

G_BEGIN_DECLS

#define BASIN_MAX_TICKS 24
#define BASIN_TICK_LABEL_SIZE 32

typedef struct {
  char    *name;
  char    *note;
  double  *x;
  double  *y;
  guint    n_points;
  guint    color;
  gboolean dashed;
} BasinSeries;

typedef struct {
  BasinLegendSymbol symbol;
  guint             color;
  char             *label;
} BasinLegendEntry;

typedef struct {
  char    *label;
  float   *values;
  guint    n_rows;
  guint    n_cols;
  gboolean highlighted;
} BasinImage;

struct _BasinPanel {
  BasinPanelKind kind;
  char          *title;
  char          *x_title;
  char          *y_title;

  /* Line plots */
  gboolean       x_fixed;
  double         x_min;
  double         x_max;
  gboolean       y_fixed;
  double         y_min;
  double         y_max;
  gboolean       log_y;
  GPtrArray     *series;

  /* BasinLegendEntry, shown after the entries of the series */
  GPtrArray     *legend;

  /* Matrices and image grids */
  gboolean       has_colormap;
  BasinColormap  colormap;
  double         color_min;
  double         color_max;
  char          *colorbar_label;
  gboolean       scale_per_image;
  GPtrArray     *images;
  gboolean       has_extent;
  double         extent[4];
  guint32       *marks;
  guint          n_marks;
  float         *points;
  guint32       *point_classes;
  guint          n_points;
};

struct _BasinFigure {
  char      *title;
  char      *caption;
  char      *message;
  guint      n_columns;
  GPtrArray *panels;
};

/**
 * BasinPlotStyle:
 * @scale: factor applied to the sizes of a 1000 × 700 figure
 * @tick_font: font size of tick labels and legends, in user-space units
 * @label_font: font size of axis titles
 * @panel_title_font: font size of panel titles
 * @title_font: font size of the figure title
 * @caption_font: font size of the caption and messages
 * @pad: space between elements
 * @tick_length: length of tick marks
 * @line_width: width of data lines
 *
 * Sizes derived from the size of the drawing, so that text stays readable
 * and in proportion from a small widget to a poster.
 */
typedef struct {
  double scale;
  double tick_font;
  double label_font;
  double panel_title_font;
  double title_font;
  double caption_font;
  double pad;
  double tick_length;
  double line_width;
} BasinPlotStyle;

typedef enum {
  BASIN_FONT_TICK,
  BASIN_FONT_LABEL,
  BASIN_FONT_PANEL_TITLE,
  BASIN_FONT_TITLE,
  BASIN_FONT_CAPTION,
} BasinFontRole;

/**
 * BasinAxis:
 * @min: value at the start of the axis
 * @max: value at the end of the axis
 * @log: whether the axis is logarithmic (then @min > 0)
 * @n_ticks: number of ticks
 * @ticks: tick values, increasing
 * @labels: formatted tick values
 */
typedef struct {
  double min;
  double max;
  gboolean log;
  guint  n_ticks;
  double ticks[BASIN_MAX_TICKS];
  char   labels[BASIN_MAX_TICKS][BASIN_TICK_LABEL_SIZE];
} BasinAxis;

/* basin-figure-render.c */
void     basin_plot_style_init        (BasinPlotStyle *style,
                                       double          width,
                                       double          height);
cairo_t *basin_plot_create_measure_context (void);

/* basin-plot-text.c */
void     basin_plot_use_font          (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       BasinFontRole         role);
double   basin_plot_text_width        (cairo_t    *cr,
                                       const char *text);
double   basin_plot_line_height       (cairo_t    *cr);
void     basin_plot_show_text         (cairo_t    *cr,
                                       const char *text,
                                       double      x,
                                       double      y,
                                       double      halign,
                                       double      valign);
void     basin_plot_show_text_vertical (cairo_t    *cr,
                                        const char *text,
                                        double      x,
                                        double      y,
                                        double      halign,
                                        double      valign);
char    *basin_plot_ellipsize         (cairo_t    *cr,
                                       const char *text,
                                       double      max_width);
GPtrArray *basin_plot_wrap_text       (cairo_t    *cr,
                                       const char *text,
                                       double      max_width);
void     basin_plot_set_rgb           (cairo_t *cr,
                                       guint32  hex);

/* basin-plot-axis.c */
void     basin_plot_format_number     (char   *buffer,
                                       double  value);
double   basin_nice_step              (double raw_step);
void     basin_axis_init_linear       (BasinAxis *axis,
                                       double     min,
                                       double     max,
                                       guint      target_ticks,
                                       gboolean   expand);
void     basin_axis_init_log          (BasinAxis *axis,
                                       double     min,
                                       double     max);
void     basin_axis_init_indices      (BasinAxis *axis,
                                       guint      n,
                                       guint      target_ticks);
double   basin_axis_fraction          (const BasinAxis *axis,
                                       double           value);
double   basin_axis_max_label_width   (const BasinAxis *axis,
                                       cairo_t         *cr);
gboolean basin_axis_labels_fit        (const BasinAxis *axis,
                                       cairo_t         *cr,
                                       double           length);
void     basin_plot_draw_dot          (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       guint                 color,
                                       double                x,
                                       double                y,
                                       double                radius);
GPtrArray *basin_panel_collect_legend (const BasinPanel *panel);
double   basin_legend_measure         (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       GPtrArray            *entries,
                                       double                width);
void     basin_legend_draw            (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       GPtrArray            *entries,
                                       double                x,
                                       double                y,
                                       double                width);
double   basin_colorbar_measure       (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       const BasinPanel     *panel,
                                       double                height);
void     basin_colorbar_draw          (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       const BasinPanel     *panel,
                                       double                x,
                                       double                y,
                                       double                height);
double   basin_panel_title_height     (cairo_t              *cr,
                                       const BasinPlotStyle *style,
                                       const BasinPanel     *panel);
void     basin_panel_draw_title       (cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const BasinPanel        *panel,
                                       const cairo_rectangle_t *cell);

/* basin-plot-lines.c */
void     basin_lines_panel_layout     (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell,
                                       cairo_rectangle_t       *plot,
                                       BasinAxis               *x_axis,
                                       BasinAxis               *y_axis);
void     basin_lines_panel_render     (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell);

/* basin-plot-heatmap.c */
cairo_surface_t *basin_image_create_surface (const BasinImage *image,
                                             const BasinPanel *panel,
                                             gboolean          flip_rows);
void     basin_heatmap_draw_image     (cairo_t          *cr,
                                       const BasinPanel *panel,
                                       const BasinImage *image,
                                       double            x,
                                       double            y,
                                       double            width,
                                       double            height,
                                       gboolean          smooth);
void     basin_plot_draw_outline      (cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *area);

/* basin-plot-matrix.c */
void     basin_matrix_panel_layout    (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell,
                                       cairo_rectangle_t       *plot);
void     basin_matrix_panel_render    (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell);

/* basin-plot-image-grid.c */
/**
 * BasinGridFit:
 * @size: side of each image
 * @spare_height: height left over in the panel after the grid, its axis
 *   titles and its legend
 */
typedef struct {
  double size;
  double spare_height;
} BasinGridFit;

void     basin_image_grid_layout      (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell,
                                       const BasinGridFit      *shared,
                                       cairo_rectangle_t       *plot,
                                       BasinGridFit            *fit);
void     basin_image_grid_render      (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell,
                                       const BasinGridFit      *shared);

G_END_DECLS
