/* basin-neuron-map.c: the input plane of the neurons view and each neuron's
 * activation over it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-neuron-map.h"
#include "basin-rng.h"

#define PCA_SAMPLES 2000
#define PCA_ITERATIONS 200
#define PLANE_MARGIN 0.08
#define MAP_BATCH 1024

static double
dot (const double *a,
     const double *b,
     guint         n)
{
  double sum = 0.0;

  for (guint i = 0; i < n; i++)
    sum += a[i] * b[i];
  return sum;
}

static void
normalize (double *v,
           guint   n)
{
  double norm = sqrt (dot (v, v, n));

  for (guint i = 0; i < n && norm > 0.0; i++)
    v[i] /= norm;
}

/* Finds the two leading eigenvectors of the symmetric @dim × @dim matrix
 * @cov by orthogonal iteration, with the second kept orthogonal to the
 * first by Gram–Schmidt.  Signs are fixed so each vector's largest entry
 * is positive, which makes the plane independent of the start vectors. */
static void
top_two_eigenvectors (const float *cov,
                      guint        dim,
                      guint64      seed,
                      double      *v1,
                      double      *v2)
{
  g_autofree double *tmp = g_new (double, dim);
  double *vs[2] = { v1, v2 };
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (guint i = 0; i < dim; i++)
    {
      v1[i] = basin_rng_normal (&rng);
      v2[i] = basin_rng_normal (&rng);
    }

  for (guint it = 0; it < PCA_ITERATIONS; it++)
    for (guint k = 0; k < 2; k++)
      {
        double *v = vs[k];

        for (guint r = 0; r < dim; r++)
          {
            const float *row = cov + (gsize) r * dim;
            double sum = 0.0;

            for (guint c = 0; c < dim; c++)
              sum += row[c] * v[c];
            tmp[r] = sum;
          }
        memcpy (v, tmp, dim * sizeof (double));
        if (k == 1)
          {
            double projection = dot (v2, v1, dim);

            for (guint i = 0; i < dim; i++)
              v2[i] -= projection * v1[i];
          }
        normalize (v, dim);
      }

  for (guint k = 0; k < 2; k++)
    {
      double *v = vs[k];
      guint argmax = 0;

      for (guint i = 1; i < dim; i++)
        if (fabs (v[i]) > fabs (v[argmax]))
          argmax = i;
      if (v[argmax] < 0.0)
        for (guint i = 0; i < dim; i++)
          v[i] = -v[i];
    }
}

/* Sets origin and axes to the mean and first two principal components of
 * up to PCA_SAMPLES rows of @dataset. */
static void
principal_plane (const BasinDataset *dataset,
                 BasinInputPlane    *plane,
                 guint64             seed)
{
  guint dim = dataset->dim, n = MIN (dataset->n_samples, PCA_SAMPLES);
  g_autofree float *x = g_new (float, (gsize) n * dim);
  g_autofree float *cov = g_new (float, (gsize) dim * dim);
  g_autofree double *mean = g_new0 (double, dim);
  g_autofree double *v1 = g_new (double, dim);
  g_autofree double *v2 = g_new (double, dim);

  basin_dataset_range (dataset, 0, n, x, NULL);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < dim; c++)
      mean[c] += x[(gsize) r * dim + c];
  for (guint c = 0; c < dim; c++)
    {
      mean[c] /= n;
      plane->origin[c] = (float) mean[c];
    }
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < dim; c++)
      x[(gsize) r * dim + c] -= (float) mean[c];

  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans, dim, n, 1.0f / n, x, dim,
               0.0f, cov, dim);
  for (guint r = 0; r < dim; r++)
    for (guint c = 0; c < r; c++)
      cov[(gsize) r * dim + c] = cov[(gsize) c * dim + r];

  top_two_eigenvectors (cov, dim, seed, v1, v2);
  for (guint c = 0; c < dim; c++)
    {
      plane->axis_x[c] = (float) v1[c];
      plane->axis_y[c] = (float) v2[c];
    }
}

static void
project_points (const BasinDataset *dataset,
                BasinInputPlane    *plane,
                guint               max_points,
                guint64             seed)
{
  guint dim = dataset->dim;
  guint n = MIN (max_points, dataset->n_samples);
  g_autofree guint32 *rows = g_new (guint32, dataset->n_samples);
  g_autofree float *x = g_new (float, dim);
  BasinRng rng;

  for (guint i = 0; i < dataset->n_samples; i++)
    rows[i] = i;
  basin_rng_init (&rng, seed);
  basin_rng_shuffle (&rng, rows, dataset->n_samples);

  plane->n_points = n;
  plane->points = g_new (float, 2 * (gsize) n);
  plane->point_labels = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    {
      double px = 0.0, py = 0.0;

      basin_dataset_gather (dataset, rows + i, 1, x, plane->point_labels + i);
      for (guint c = 0; c < dim; c++)
        {
          double centered = x[c] - plane->origin[c];

          px += centered * plane->axis_x[c];
          py += centered * plane->axis_y[c];
        }
      plane->points[2 * i] = (float) px;
      plane->points[2 * i + 1] = (float) py;
    }
}

/* Sets the shown range to the bounding box of the projected points plus a
 * margin on every side. */
static void
fit_bounds (BasinInputPlane *plane)
{
  double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
  double dx, dy;

  for (guint i = 0; i < plane->n_points; i++)
    {
      x_min = MIN (x_min, plane->points[2 * i]);
      x_max = MAX (x_max, plane->points[2 * i]);
      y_min = MIN (y_min, plane->points[2 * i + 1]);
      y_max = MAX (y_max, plane->points[2 * i + 1]);
    }
  if (plane->n_points == 0)
    x_min = y_min = -1.0, x_max = y_max = 1.0;

  dx = MAX (x_max - x_min, 1e-6) * PLANE_MARGIN;
  dy = MAX (y_max - y_min, 1e-6) * PLANE_MARGIN;
  plane->x_min = x_min - dx;
  plane->x_max = x_max + dx;
  plane->y_min = y_min - dy;
  plane->y_max = y_max + dy;
}

/**
 * basin_input_plane_new:
 * @dataset: the inputs
 * @max_points: data points to project and show
 * @seed: seed of the choice of points (and of the PCA start vectors)
 *
 * Returns: (transfer full): the plane of the data (2D inputs) or of its
 *   first two principal components, with a random sample of points
 */
BasinInputPlane *
basin_input_plane_new (const BasinDataset *dataset,
                       guint               max_points,
                       guint64             seed)
{
  BasinInputPlane *plane = g_new0 (BasinInputPlane, 1);
  guint dim = dataset->dim;

  plane->dim = dim;
  plane->n_classes = dataset->n_classes;
  plane->origin = g_new0 (float, dim);
  plane->axis_x = g_new0 (float, dim);
  plane->axis_y = g_new0 (float, dim);

  if (dim == 2)
    {
      plane->axis_x[0] = plane->axis_y[1] = 1.0f;
      plane->x_label = g_strdup ("x₁");
      plane->y_label = g_strdup ("x₂");
    }
  else
    {
      principal_plane (dataset, plane, seed);
      plane->x_label = g_strdup (_("principal component 1"));
      plane->y_label = g_strdup (_("principal component 2"));
    }

  project_points (dataset, plane, max_points, seed);
  fit_bounds (plane);
  return plane;
}

void
basin_input_plane_free (BasinInputPlane *plane)
{
  if (plane == NULL)
    return;

  g_free (plane->origin);
  g_free (plane->axis_x);
  g_free (plane->axis_y);
  g_free (plane->x_label);
  g_free (plane->y_label);
  g_free (plane->points);
  g_free (plane->point_labels);
  g_free (plane);
}

/**
 * basin_neuron_map_new:
 * @mlp: the network
 * @plane: the input plane
 * @layer: hidden layer, counting from 0
 * @resolution: grid points per axis, at least 2
 *
 * Evaluates the post-activation output of every neuron of @layer on a
 * @resolution × @resolution grid spanning the plane's shown range.
 *
 * Returns: (transfer full): the maps
 */
BasinNeuronMap *
basin_neuron_map_new (const BasinMlp        *mlp,
                      const BasinInputPlane *plane,
                      guint                  layer,
                      guint                  resolution)
{
  guint dim = plane->dim, width = mlp->layers[layer].out_dim;
  guint n_grid = resolution * resolution;
  BasinNeuronMap *map = g_new0 (BasinNeuronMap, 1);
  BasinWorkspace *ws = basin_workspace_new (mlp, MAP_BATCH);
  g_autofree float *x = g_new (float, (gsize) MAP_BATCH * dim);

  g_return_val_if_fail (layer + 1 < mlp->n_layers, NULL);
  g_return_val_if_fail (resolution >= 2, NULL);

  map->resolution = resolution;
  map->n_neurons = width;
  map->values = g_new (float, (gsize) width * n_grid);

  for (guint first = 0; first < n_grid; first += MAP_BATCH)
    {
      guint rows = MIN (MAP_BATCH, n_grid - first);
      const float *out;

      for (guint k = 0; k < rows; k++)
        {
          guint cell = first + k;
          double cx = plane->x_min + (plane->x_max - plane->x_min) * (cell % resolution) / (resolution - 1);
          double cy = plane->y_min + (plane->y_max - plane->y_min) * (cell / resolution) / (resolution - 1);
          float *row = x + (gsize) k * dim;

          for (guint c = 0; c < dim; c++)
            row[c] = (float) (plane->origin[c] + cx * plane->axis_x[c] + cy * plane->axis_y[c]);
        }

      basin_mlp_forward (mlp, ws, x, rows);
      out = basin_workspace_activation (ws, layer);
      for (guint k = 0; k < rows; k++)
        for (guint j = 0; j < width; j++)
          map->values[(gsize) j * n_grid + first + k] = out[(gsize) k * width + j];
    }

  basin_workspace_free (ws);
  return map;
}

void
basin_neuron_map_free (BasinNeuronMap *map)
{
  if (map == NULL)
    return;

  g_free (map->values);
  g_free (map);
}
