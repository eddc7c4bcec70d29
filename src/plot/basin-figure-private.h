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

/* @rgb and @hatched belong to %BASIN_LEGEND_PATCH entries, whose @color
 * is unused. */
typedef struct {
  BasinLegendSymbol symbol;
  guint             color;
  char             *label;
  guint32           rgb;
  gboolean          hatched;
} BasinLegendEntry;

typedef struct {
  char    *label;
  float   *values;
  guint    n_rows;
  guint    n_cols;
  gboolean highlighted;
} BasinImage;

typedef struct {
  char  *label;
  double x;
  double y;
} BasinMarker;

typedef struct {
  char  *label;
  double x0;
  double y0;
  double x1;
  double y1;
} BasinSegment;

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
  gboolean       color_log;
  double         neutral_band;
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

  /* Matrices: the number shown under column c, or NULL for c itself */
  guint32       *column_labels;
  guint          n_column_labels;

  /* Contour panels */
  guint          grid_stride;
  guint          n_contours;
  gboolean       equal_aspect;
  GPtrArray     *markers;
  GPtrArray     *segments;
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
guint    basin_log_values             (double  min,
                                       double  max,
                                       guint   set,
                                       double *values,
                                       guint   max_values);
guint    basin_log_value_sets         (void);
void     basin_plot_draw_ticks        (cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *plot,
                                       const BasinAxis         *x_axis,
                                       const BasinAxis         *y_axis,
                                       gboolean                 y_down);
void     basin_axis_init_log_range    (BasinAxis *axis,
                                       double     min,
                                       double     max,
                                       guint      target_ticks);
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
#define BASIN_HATCH_BACKGROUND_RGB 0xededed
#define BASIN_HATCH_LINE_RGB 0xbdbdbd

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
void     basin_plot_fill_hatched      (cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *area);
void     basin_plot_paint_surface     (cairo_t         *cr,
                                       cairo_surface_t *surface,
                                       double           x,
                                       double           y,
                                       double           width,
                                       double           height,
                                       cairo_filter_t   filter);

/* basin-plot-contour.c */
/**
 * BasinContourLine:
 * @level: the value along the line
 * @points: x and y of each point, interleaved doubles
 * @closed: whether the last point joins the first
 */
typedef struct {
  double   level;
  GArray  *points;
  gboolean closed;
} BasinContourLine;

void       basin_contour_line_free    (gpointer data);
GPtrArray *basin_contour_lines        (const double *values,
                                       guint         n_cols,
                                       guint         n_rows,
                                       const double *x,
                                       const double *y,
                                       double        level);
guint      basin_contour_levels       (double    min,
                                       double    max,
                                       gboolean  log,
                                       guint     target,
                                       double   *levels,
                                       guint     max_levels);

/* basin-plot-contour-panel.c */
/**
 * BasinContourLayout:
 * @plot: the area inside the axes
 * @x_axis: the horizontal axis
 * @y_axis: the vertical axis
 * @extent: data coordinates of the left, right, bottom and top edges
 * @tick_height: line height of tick labels
 * @label_height: line height of axis titles
 * @y_labels_width: width of the widest tick label of @y_axis
 */
typedef struct {
  cairo_rectangle_t plot;
  BasinAxis         x_axis;
  BasinAxis         y_axis;
  double            extent[4];
  double            tick_height;
  double            label_height;
  double            y_labels_width;
} BasinContourLayout;

void     basin_contour_layout_map     (const BasinContourLayout *layout,
                                       double                    x,
                                       double                    y,
                                       double                   *page_x,
                                       double                   *page_y);
double  *basin_contour_fill_values    (const BasinPanel *panel,
                                       const BasinImage *image);
void     basin_contour_panel_layout   (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell,
                                       cairo_rectangle_t       *plot);
void     basin_contour_panel_render   (const BasinPanel        *panel,
                                       cairo_t                 *cr,
                                       const BasinPlotStyle    *style,
                                       const cairo_rectangle_t *cell);

/* basin-plot-annotations.c */
void     basin_contour_draw_annotations (cairo_t                  *cr,
                                         const BasinPlotStyle     *style,
                                         const BasinPanel         *panel,
                                         const BasinContourLayout *layout);

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
 * @n_columns: images per row; grids side by side use the same number, so
 *   image i is at the same place in each
 */
typedef struct {
  double size;
  double spare_height;
  guint  n_columns;
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
