/* basin-linalg.h: small dense linear algebra in double precision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "basin-rng.h"

G_BEGIN_DECLS

/**
 * BasinPca:
 * @dim: number of features
 * @k: number of kept principal directions
 * @n_rows: number of samples the analysis used
 * @mean: (array length=dim): mean of every feature
 * @basis: @dim × @k, row-major: column `c` is the unit principal direction
 *   with the `c`-th largest variance
 * @variance: (array length=dim): variance along every principal direction
 *   (sum of squares divided by @n_rows), in decreasing order
 * @total_variance: sum of @variance
 * @explained: share of @total_variance that the first @k directions carry
 *
 * A principal component analysis of centered data.
 */
typedef struct {
  guint   dim;
  guint   k;
  guint   n_rows;
  double *mean;
  double *basis;
  double *variance;
  double  total_variance;
  double  explained;
} BasinPca;

gboolean  basin_symmetric_eigen       (double   *matrix,
                                       guint     n,
                                       double   *eigenvalues,
                                       GError  **error);
guint     basin_psd_rank              (const double *eigenvalues,
                                       guint         n,
                                       double        rtol);
gboolean  basin_psd_pseudo_inverse    (const double *matrix,
                                       guint         n,
                                       double        rtol,
                                       double       *inverse,
                                       guint        *rank_out,
                                       GError      **error);
void      basin_random_orthonormal_basis (BasinRng *rng,
                                          guint     dim,
                                          guint     k,
                                          double   *basis);

BasinPca *basin_pca_new               (const float  *x,
                                       guint         stride,
                                       guint         n_rows,
                                       guint         dim,
                                       double        variance_threshold,
                                       GCancellable *cancellable,
                                       GError      **error);
void      basin_pca_free              (BasinPca *pca);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinPca, basin_pca_free)

G_END_DECLS
