/* basin-toy-data.c: generated 2D teaching datasets.
 *
 * Circles, spirals, XOR and Gaussian blobs, in the spirit of the
 * TensorFlow Playground.  Each generator draws from its own seeded
 * #BasinRng, gives class c to rows i with i mod n_classes = c (so the
 * classes differ in size by at most one row) and adds Gaussian noise of
 * standard deviation @noise to each coordinate.  Every dataset fits in
 * roughly [−1, 1]² before noise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-dataset.h"
#include "basin-rng.h"

/* Share of the half-width of the XOR square kept empty along each axis, so
 * that noise-free points never sit on the decision boundary. */
#define XOR_MARGIN 0.05

static void
set_point (BasinDataset *dataset,
           guint         row,
           double        x,
           double        y,
           double        noise,
           BasinRng     *rng)
{
  x += noise * basin_rng_normal (rng);
  y += noise * basin_rng_normal (rng);
  dataset->features[2 * (gsize) row] = (float) x;
  dataset->features[2 * (gsize) row + 1] = (float) y;
}

/**
 * basin_dataset_new_circles:
 * @n_samples: total number of points, split evenly between the classes
 * @noise: standard deviation of Gaussian noise added to each coordinate
 * @seed: seed of the points and the noise
 * @inner_radius: radius of the inner ring, in (0, 1)
 *
 * Generates two concentric rings around the origin at random angles:
 * class 0 on the outer ring of radius 1, class 1 on the inner ring.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_circles (guint   n_samples,
                           double  noise,
                           guint64 seed,
                           double  inner_radius)
{
  BasinDataset *dataset;
  BasinRng rng;

  g_return_val_if_fail (inner_radius > 0.0 && inner_radius < 1.0, NULL);

  dataset = basin_dataset_new_features ("circles", n_samples, 2, 2);
  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % 2;
      double radius = label == 0 ? 1.0 : inner_radius;
      double angle = 2.0 * G_PI * basin_rng_uniform (&rng);

      set_point (dataset, i, radius * cos (angle), radius * sin (angle), noise, &rng);
      dataset->labels[i] = label;
    }

  return dataset;
}

/**
 * basin_dataset_new_spirals:
 * @n_samples: total number of points, split evenly between the classes
 * @noise: standard deviation of Gaussian noise added to each coordinate
 * @seed: seed of the points and the noise
 * @turns: turns of each spiral, > 0
 *
 * Generates two interleaved Archimedean spirals.  A point of class c at
 * radius r ∈ [0, 1), drawn uniformly, lies at the angle
 * `2π · turns · r + c · π`, so the radius grows linearly with the angle
 * and the two arms are half a turn apart.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_spirals (guint   n_samples,
                           double  noise,
                           guint64 seed,
                           double  turns)
{
  BasinDataset *dataset;
  BasinRng rng;

  g_return_val_if_fail (turns > 0.0, NULL);

  dataset = basin_dataset_new_features ("spirals", n_samples, 2, 2);
  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % 2;
      double radius = basin_rng_uniform (&rng);
      double angle = 2.0 * G_PI * turns * radius + label * G_PI;

      set_point (dataset, i, radius * cos (angle), radius * sin (angle), noise, &rng);
      dataset->labels[i] = label;
    }

  return dataset;
}

/* Returns a coordinate uniform in ±[XOR_MARGIN, 1) with the given sign. */
static double
xor_coordinate (BasinRng *rng,
                double    sign)
{
  return sign * (XOR_MARGIN + (1.0 - XOR_MARGIN) * basin_rng_uniform (rng));
}

/**
 * basin_dataset_new_xor:
 * @n_samples: total number of points, split evenly between the classes
 * @noise: standard deviation of Gaussian noise added to each coordinate
 * @seed: seed of the points and the noise
 *
 * Generates the XOR pattern on the square (−1, 1)²: class 0 fills the
 * quadrants where x·y > 0, class 1 those where x·y < 0.  Before noise,
 * every coordinate is at least 0.05 away from zero and the two quadrants
 * of a class are equally likely.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_xor (guint   n_samples,
                       double  noise,
                       guint64 seed)
{
  BasinDataset *dataset = basin_dataset_new_features ("xor", n_samples, 2, 2);
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % 2;
      double x_sign = basin_rng_uniform (&rng) < 0.5 ? -1.0 : 1.0;
      double y_sign = label == 0 ? x_sign : -x_sign;
      double x = xor_coordinate (&rng, x_sign);
      double y = xor_coordinate (&rng, y_sign);

      set_point (dataset, i, x, y, noise, &rng);
      dataset->labels[i] = label;
    }

  return dataset;
}

/**
 * basin_dataset_new_blobs:
 * @n_samples: total number of points, split evenly between the classes
 * @noise: standard deviation of each blob in each coordinate
 * @seed: seed of the points
 * @n_classes: number of blobs and classes, from 2 to 64
 *
 * Generates one isotropic Gaussian blob per class.  The centre of class c
 * lies on the unit circle at the angle `2π c / n_classes`, so the classes
 * overlap more as @noise grows or as @n_classes grows.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_blobs (guint   n_samples,
                         double  noise,
                         guint64 seed,
                         guint   n_classes)
{
  BasinDataset *dataset;
  BasinRng rng;

  g_return_val_if_fail (n_classes >= 2 && n_classes <= BASIN_BLOBS_MAX_CLASSES, NULL);

  dataset = basin_dataset_new_features ("blobs", n_samples, 2, n_classes);
  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % n_classes;
      double angle = 2.0 * G_PI * label / n_classes;

      set_point (dataset, i, cos (angle), sin (angle), noise, &rng);
      dataset->labels[i] = label;
    }

  return dataset;
}
