/* basin-dataset.c: dataset storage, batching and generated 2D data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-dataset.h"
#include "basin-rng.h"

/**
 * basin_dataset_new_features:
 * @name: display name
 * @n_samples: number of rows
 * @dim: features per row
 * @n_classes: number of classes
 *
 * Creates a dataset with zeroed float features and labels.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_features (const char *name,
                            guint       n_samples,
                            guint       dim,
                            guint       n_classes)
{
  BasinDataset *dataset = g_new0 (BasinDataset, 1);

  dataset->name = g_strdup (name);
  dataset->n_samples = n_samples;
  dataset->dim = dim;
  dataset->n_classes = n_classes;
  dataset->features = g_new0 (float, (gsize) n_samples * dim);
  dataset->labels = g_new0 (guint32, n_samples);
  dataset->pixel_scale = 1.0f;

  return dataset;
}

/**
 * basin_dataset_new_pixels:
 * @name: display name
 * @n_samples: number of images
 * @width: image width in pixels
 * @height: image height in pixels
 * @n_classes: number of classes
 *
 * Creates a dataset of zeroed 8-bit images whose features are the pixel
 * values divided by 255.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_pixels (const char *name,
                          guint       n_samples,
                          guint       width,
                          guint       height,
                          guint       n_classes)
{
  BasinDataset *dataset = g_new0 (BasinDataset, 1);

  dataset->name = g_strdup (name);
  dataset->n_samples = n_samples;
  dataset->dim = width * height;
  dataset->n_classes = n_classes;
  dataset->pixels = g_new0 (guint8, (gsize) n_samples * dataset->dim);
  dataset->pixel_scale = 1.0f / 255.0f;
  dataset->labels = g_new0 (guint32, n_samples);
  dataset->image_width = width;
  dataset->image_height = height;

  return dataset;
}

void
basin_dataset_free (BasinDataset *dataset)
{
  if (dataset == NULL)
    return;

  g_free (dataset->name);
  g_free (dataset->pixels);
  g_free (dataset->features);
  g_free (dataset->labels);
  g_free (dataset);
}

/**
 * basin_dataset_subset:
 * @dataset: the source
 * @rows: (array length=n_rows): row indices into @dataset
 * @n_rows: number of rows to copy
 *
 * Returns: (transfer full): a new dataset with the given rows, in order
 */
BasinDataset *
basin_dataset_subset (const BasinDataset *dataset,
                      const guint32      *rows,
                      guint               n_rows)
{
  BasinDataset *subset;
  gsize dim = dataset->dim;

  if (dataset->pixels != NULL)
    subset = basin_dataset_new_pixels (dataset->name, n_rows, dataset->image_width,
                                       dataset->image_height, dataset->n_classes);
  else
    subset = basin_dataset_new_features (dataset->name, n_rows, dataset->dim,
                                         dataset->n_classes);
  subset->pixel_scale = dataset->pixel_scale;

  for (guint i = 0; i < n_rows; i++)
    {
      g_assert (rows[i] < dataset->n_samples);
      if (dataset->pixels != NULL)
        memcpy (subset->pixels + i * dim, dataset->pixels + rows[i] * dim, dim);
      else
        memcpy (subset->features + i * dim, dataset->features + rows[i] * dim,
                dim * sizeof (float));
      subset->labels[i] = dataset->labels[rows[i]];
    }

  return subset;
}

static void
copy_row (const BasinDataset *dataset,
          guint               row,
          float              *x_out)
{
  gsize dim = dataset->dim;

  if (dataset->pixels != NULL)
    {
      const guint8 *pixels = dataset->pixels + row * dim;
      float scale = dataset->pixel_scale;

      for (gsize j = 0; j < dim; j++)
        x_out[j] = pixels[j] * scale;
    }
  else
    {
      memcpy (x_out, dataset->features + row * dim, dim * sizeof (float));
    }
}

/**
 * basin_dataset_gather:
 * @dataset: the source
 * @rows: (array length=n_rows): row indices
 * @n_rows: number of rows
 * @x_out: (out caller-allocates): @n_rows × dim floats
 * @y_out: (out caller-allocates) (nullable): @n_rows labels
 *
 * Copies the given rows as floats, converting 8-bit images on the way.
 */
void
basin_dataset_gather (const BasinDataset *dataset,
                      const guint32      *rows,
                      guint               n_rows,
                      float              *x_out,
                      guint32            *y_out)
{
  for (guint i = 0; i < n_rows; i++)
    {
      copy_row (dataset, rows[i], x_out + (gsize) i * dataset->dim);
      if (y_out != NULL)
        y_out[i] = dataset->labels[rows[i]];
    }
}

/* Like basin_dataset_gather() for the consecutive rows from @first. */
void
basin_dataset_range (const BasinDataset *dataset,
                     guint               first,
                     guint               n_rows,
                     float              *x_out,
                     guint32            *y_out)
{
  g_return_if_fail (first + n_rows <= dataset->n_samples);

  for (guint i = 0; i < n_rows; i++)
    {
      copy_row (dataset, first + i, x_out + (gsize) i * dataset->dim);
      if (y_out != NULL)
        y_out[i] = dataset->labels[first + i];
    }
}

/**
 * basin_dataset_new_moons:
 * @n_samples: total number of points, split evenly between the classes
 * @noise: standard deviation of Gaussian noise added to each coordinate
 * @seed: seed of the points and the noise
 *
 * Generates two interleaved half circles: class 0 on the upper arc around
 * (0, 0), class 1 on the lower arc around (1, 0.5), as in the usual
 * two-moons benchmark.  Points are drawn at random angles.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_moons (guint   n_samples,
                         double  noise,
                         guint64 seed)
{
  BasinDataset *dataset = basin_dataset_new_features ("moons", n_samples, 2, 2);
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % 2;
      double angle = G_PI * basin_rng_uniform (&rng);
      double x, y;

      if (label == 0)
        {
          x = cos (angle);
          y = sin (angle);
        }
      else
        {
          x = 1.0 - cos (angle);
          y = 0.5 - sin (angle);
        }

      x += noise * basin_rng_normal (&rng);
      y += noise * basin_rng_normal (&rng);
      dataset->features[2 * i] = (float) x;
      dataset->features[2 * i + 1] = (float) y;
      dataset->labels[i] = label;
    }

  return dataset;
}

/**
 * basin_dataset_split:
 * @dataset: the source
 * @test_fraction: share of rows for the test set, in (0, 1)
 * @seed: seed of the random split
 * @train_out: (out) (transfer full): the training rows
 * @test_out: (out) (transfer full): the test rows
 *
 * Splits the rows at random; the test set gets round(n × fraction) rows,
 * at least one, and the training set keeps at least one.
 */
void
basin_dataset_split (const BasinDataset *dataset,
                     double              test_fraction,
                     guint64             seed,
                     BasinDataset      **train_out,
                     BasinDataset      **test_out)
{
  g_autofree guint32 *order = g_new (guint32, dataset->n_samples);
  guint n_test;
  BasinRng rng;

  g_return_if_fail (dataset->n_samples >= 2);

  for (guint i = 0; i < dataset->n_samples; i++)
    order[i] = i;
  basin_rng_init (&rng, seed);
  basin_rng_shuffle (&rng, order, dataset->n_samples);

  n_test = (guint) CLAMP (round (dataset->n_samples * test_fraction), 1,
                          dataset->n_samples - 1);
  *test_out = basin_dataset_subset (dataset, order, n_test);
  *train_out = basin_dataset_subset (dataset, order + n_test,
                                     dataset->n_samples - n_test);
}
