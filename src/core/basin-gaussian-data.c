/* basin-gaussian-data.c: Gaussian mixtures in a random low-dimensional
 * subspace, whose dimension controls how identifiable neurons are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <math.h>

#include "basin-dataset.h"
#include "basin-linalg.h"
#include "basin-rng.h"

/* Draws each class mean as a random direction in R^k scaled to length
 * @separation. */
static void
draw_class_means (BasinRng *rng,
                  guint     n_classes,
                  guint     k,
                  double    separation,
                  double   *means)
{
  for (guint c = 0; c < n_classes; c++)
    {
      double *mean = means + (gsize) c * k;
      double norm;

      do
        {
          for (guint t = 0; t < k; t++)
            mean[t] = basin_rng_normal (rng);
          norm = cblas_dnrm2 (k, mean, 1);
        }
      while (norm < 1e-12);

      cblas_dscal (k, separation / norm, mean, 1);
    }
}

/**
 * basin_dataset_new_gaussian_subspace:
 * @n_samples: number of samples, at least 1
 * @n_classes: number of classes, at least 2; sample `i` gets label
 *   `i mod n_classes`, so the classes are balanced to within one sample
 * @k: dimension of the subspace the data lies in, 1 ≤ @k ≤ @d
 * @d: number of input features
 * @separation: distance of every class mean from the origin, in units of
 *   the within-class standard deviation, ≥ 0
 * @structure_seed: seed of the subspace and the class means
 * @sample_seed: seed of the samples
 *
 * Generates `x = Q (μ_c + ε)` with `Q` a random orthonormal @d × @k basis,
 * `μ_c ∈ R^k` the mean of class `c` (a random direction of length
 * @separation), and `ε ~ N(0, I_k)`.  The data has rank @k and lies in the
 * span of `Q`.  Two datasets with the same @structure_seed share `Q` and
 * the class means, so a test set drawn with another @sample_seed comes from
 * the same distribution.  With @k = 1 and more than two classes, some class
 * means coincide, because R^1 has only two directions.
 *
 * Returns: (transfer full): the dataset
 */
BasinDataset *
basin_dataset_new_gaussian_subspace (guint   n_samples,
                                     guint   n_classes,
                                     guint   k,
                                     guint   d,
                                     double  separation,
                                     guint64 structure_seed,
                                     guint64 sample_seed)
{
  g_autofree double *basis = NULL;
  g_autofree double *means = NULL;
  g_autofree double *latent = NULL;
  g_autofree double *row = NULL;
  BasinDataset *dataset;
  BasinRng rng;

  g_return_val_if_fail (n_samples >= 1 && n_classes >= 2, NULL);
  g_return_val_if_fail (k >= 1 && k <= d, NULL);
  g_return_val_if_fail (isfinite (separation) && separation >= 0.0, NULL);

  basis = g_new (double, (gsize) d * k);
  means = g_new (double, (gsize) n_classes * k);
  basin_rng_init (&rng, structure_seed);
  basin_random_orthonormal_basis (&rng, d, k, basis);
  draw_class_means (&rng, n_classes, k, separation, means);

  dataset = basin_dataset_new_features ("gaussian-subspace", n_samples, d, n_classes);
  latent = g_new (double, k);
  row = g_new (double, d);
  basin_rng_init (&rng, sample_seed);
  for (guint i = 0; i < n_samples; i++)
    {
      guint label = i % n_classes;
      float *x = dataset->features + (gsize) i * d;

      for (guint t = 0; t < k; t++)
        latent[t] = means[(gsize) label * k + t] + basin_rng_normal (&rng);
      cblas_dgemv (CblasRowMajor, CblasNoTrans, d, k, 1.0, basis, k,
                   latent, 1, 0.0, row, 1);
      for (guint j = 0; j < d; j++)
        x[j] = (float) row[j];
      dataset->labels[i] = label;
    }

  return dataset;
}
