/* basin-neuron-map.h: each hidden neuron's activation over an input plane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-dataset.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

/**
 * BasinInputPlane:
 * @dim: input dimension
 * @origin: (array length=dim): the point at plane coordinates (0, 0)
 * @axis_x: (array length=dim): unit direction of the first coordinate
 * @axis_y: (array length=dim): unit direction of the second coordinate
 * @x_min: smallest first coordinate shown
 * @x_max: largest first coordinate shown
 * @y_min: smallest second coordinate shown
 * @y_max: largest second coordinate shown
 * @x_label: axis title of the first coordinate ("x₁" or "PC 1")
 * @y_label: axis title of the second coordinate
 * @n_points: number of projected data points
 * @points: (array length=n_points*2): plane coordinates of the data points
 * @point_labels: (array length=n_points): their classes
 * @n_classes: number of classes
 *
 * For 2D data the plane is the data plane itself.  For other data it is
 * spanned by the first two principal components of the inputs, through
 * their mean.
 */
typedef struct {
  guint    dim;
  float   *origin;
  float   *axis_x;
  float   *axis_y;
  double   x_min, x_max, y_min, y_max;
  char    *x_label;
  char    *y_label;
  guint    n_points;
  float   *points;
  guint32 *point_labels;
  guint    n_classes;
} BasinInputPlane;

/**
 * BasinNeuronMap:
 * @resolution: grid points along each axis
 * @n_neurons: neurons of the layer
 * @values: @n_neurons grids of @resolution × @resolution activations;
 *   grid row 0 is @y_min of the plane, column 0 is @x_min
 */
typedef struct {
  guint  resolution;
  guint  n_neurons;
  float *values;
} BasinNeuronMap;

BasinInputPlane *basin_input_plane_new  (const BasinDataset *dataset,
                                         guint               max_points,
                                         guint64             seed);
void             basin_input_plane_free (BasinInputPlane *plane);
BasinNeuronMap  *basin_neuron_map_new   (const BasinMlp        *mlp,
                                         const BasinInputPlane *plane,
                                         guint                  layer,
                                         guint                  resolution);
void             basin_neuron_map_free  (BasinNeuronMap *map);

G_END_DECLS
