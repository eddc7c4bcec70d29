/* basin-linalg.c: symmetric eigendecomposition, pseudo-inverses and PCA.
 *
 * Eigendecompositions go through LAPACK's divide-and-conquer driver dsyevd,
 * which Debian's OpenBLAS (0.3.21) exports.  No LAPACKE header is needed:
 * the Fortran routine is declared here, with the two hidden string-length
 * arguments that gfortran-built LAPACK expects after the regular ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-error.h"
#include "basin-linalg.h"

#define PCA_BLOCK_ROWS 1024

extern void dsyevd_ (const char *jobz, const char *uplo, const int *n,
                     double *a, const int *lda, double *w,
                     double *work, const int *lwork,
                     int *iwork, const int *liwork, int *info,
                     size_t jobz_len, size_t uplo_len);

static gboolean
all_finite (const double *values,
            gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return FALSE;
  return TRUE;
}

/**
 * basin_symmetric_eigen:
 * @matrix: (inout): @n × @n symmetric matrix, row-major.  On return, row `j`
 *   contains the unit eigenvector of @eigenvalues[j]
 * @n: order of the matrix
 * @eigenvalues: (out caller-allocates): @n eigenvalues in increasing order
 * @error: return location for a #GError
 *
 * Computes all eigenvalues and eigenvectors of a real symmetric matrix.
 * Both triangles of @matrix must be filled.
 *
 * Returns: %FALSE if @matrix contains NaN or infinity, or if LAPACK did
 *   not converge
 */
gboolean
basin_symmetric_eigen (double  *matrix,
                       guint    n,
                       double  *eigenvalues,
                       GError **error)
{
  int order = (int) n, lwork = -1, liwork = -1, info = 0, iwork_size = 0;
  double work_size = 0.0;
  g_autofree double *work = NULL;
  g_autofree int *iwork = NULL;

  g_return_val_if_fail (n > 0 && n <= 46340, FALSE);

  if (!all_finite (matrix, (gsize) n * n))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("The %u × %u matrix to decompose contains NaN or infinite "
                     "values; check the network and data for divergence."), n, n);
      return FALSE;
    }

  /* A first call with lwork = -1 only reports the workspace sizes. */
  dsyevd_ ("V", "U", &order, matrix, &order, eigenvalues, &work_size, &lwork,
           &iwork_size, &liwork, &info, 1, 1);
  lwork = (int) work_size;
  liwork = iwork_size;
  work = g_new (double, MAX (lwork, 1));
  iwork = g_new (int, MAX (liwork, 1));
  dsyevd_ ("V", "U", &order, matrix, &order, eigenvalues, work, &lwork,
           iwork, &liwork, &info, 1, 1);

  if (info != 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("The eigendecomposition of a %u × %u matrix failed "
                     "(LAPACK dsyevd returned %d)."), n, n, info);
      return FALSE;
    }
  return TRUE;
}

/**
 * basin_psd_rank:
 * @eigenvalues: (array length=n): eigenvalues in increasing order, as
 *   basin_symmetric_eigen() returns them
 * @n: number of eigenvalues
 * @rtol: relative cutoff
 *
 * Counts the eigenvalues above @rtol times the largest one.  These span the
 * range of a positive semidefinite matrix; the rest count as zero.
 *
 * Returns: the numerical rank
 */
guint
basin_psd_rank (const double *eigenvalues,
                guint         n,
                double        rtol)
{
  double cutoff;
  guint rank = 0;

  if (n == 0 || !(eigenvalues[n - 1] > 0.0))
    return 0;

  cutoff = rtol * eigenvalues[n - 1];
  for (guint t = 0; t < n; t++)
    rank += eigenvalues[t] > cutoff;
  return rank;
}

/**
 * basin_psd_pseudo_inverse:
 * @matrix: @n × @n symmetric positive semidefinite matrix, row-major
 * @n: order of the matrix
 * @rtol: eigenvalues at or below @rtol times the largest count as zero
 * @inverse: (out caller-allocates): @n × @n Moore–Penrose pseudo-inverse
 * @rank_out: (out) (optional): numerical rank of @matrix
 * @error: return location for a #GError
 *
 * Computes `S⁺ = Σ_t v_t v_tᵀ / λ_t` over the eigenpairs with `λ_t` above
 * the cutoff.  Negative eigenvalues from rounding count as zero.
 *
 * Returns: %FALSE if the eigendecomposition failed
 */
gboolean
basin_psd_pseudo_inverse (const double *matrix,
                          guint         n,
                          double        rtol,
                          double       *inverse,
                          guint        *rank_out,
                          GError      **error)
{
  g_autofree double *vectors = g_memdup2 (matrix, (gsize) n * n * sizeof (double));
  g_autofree double *values = g_new (double, n);
  guint rank;

  if (!basin_symmetric_eigen (vectors, n, values, error))
    return FALSE;

  rank = basin_psd_rank (values, n, rtol);
  memset (inverse, 0, (gsize) n * n * sizeof (double));
  for (guint t = n - rank; t < n; t++)
    cblas_dsyr (CblasRowMajor, CblasUpper, n, 1.0 / values[t],
                vectors + (gsize) t * n, 1, inverse, n);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < r; c++)
      inverse[(gsize) r * n + c] = inverse[(gsize) c * n + r];

  if (rank_out != NULL)
    *rank_out = rank;
  return TRUE;
}

/**
 * basin_random_orthonormal_basis:
 * @rng: the generator to draw from
 * @dim: ambient dimension
 * @k: number of basis vectors, at most @dim
 * @basis: (out caller-allocates): @dim × @k, row-major, orthonormal columns
 *
 * Draws a basis of a uniformly random @k-dimensional subspace: Gaussian
 * columns orthonormalized by modified Gram–Schmidt, run twice per column
 * so that the columns stay orthogonal to double precision.
 */
void
basin_random_orthonormal_basis (BasinRng *rng,
                                guint     dim,
                                guint     k,
                                double   *basis)
{
  g_return_if_fail (k <= dim);

  for (gsize i = 0; i < (gsize) dim * k; i++)
    basis[i] = basin_rng_normal (rng);

  for (guint c = 0; c < k;)
    {
      double norm = 0.0;

      for (int pass = 0; pass < 2; pass++)
        for (guint p = 0; p < c; p++)
          {
            double dot = cblas_ddot (dim, basis + p, k, basis + c, k);

            cblas_daxpy (dim, -dot, basis + p, k, basis + c, k);
          }

      norm = cblas_dnrm2 (dim, basis + c, k);
      /* A Gaussian column inside the span of the others has probability 0,
       * so a column that rounding brings close to it is simply redrawn. */
      if (norm < 1e-8)
        {
          for (guint r = 0; r < dim; r++)
            basis[(gsize) r * k + c] = basin_rng_normal (rng);
          continue;
        }
      cblas_dscal (dim, 1.0 / norm, basis + c, k);
      c++;
    }
}

static gboolean
check_pca_input (const float *x,
                 guint        stride,
                 guint        n_rows,
                 guint        dim,
                 double       threshold,
                 GError     **error)
{
  if (n_rows < 2 || dim == 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("A principal component analysis needs at least 2 samples "
                     "and 1 feature, but got %u samples of %u features."),
                   n_rows, dim);
      return FALSE;
    }
  if (!(threshold > 0.0 && threshold <= 1.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Explained-variance threshold %g is out of range: use a "
                     "value above 0 and at most 1."), threshold);
      return FALSE;
    }
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < dim; c++)
      if (!isfinite (x[(gsize) r * stride + c]))
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                       _("Sample %u, feature %u is NaN or infinite; a principal "
                         "component analysis needs finite inputs."), r, c);
          return FALSE;
        }
  return TRUE;
}

/* Accumulates the covariance Σ_r (x_r − μ)(x_r − μ)ᵀ / n into @cov (upper
 * triangle first, then mirrored), in blocks of rows to bound memory. */
static gboolean
accumulate_covariance (const float  *x,
                       guint         stride,
                       guint         n_rows,
                       guint         dim,
                       const double *mean,
                       double       *cov,
                       GCancellable *cancellable,
                       GError      **error)
{
  guint block = MIN (n_rows, PCA_BLOCK_ROWS);
  g_autofree double *centered = g_new (double, (gsize) block * dim);

  memset (cov, 0, (gsize) dim * dim * sizeof (double));
  for (guint first = 0; first < n_rows; first += block)
    {
      guint rows = MIN (block, n_rows - first);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint r = 0; r < rows; r++)
        for (guint c = 0; c < dim; c++)
          centered[(gsize) r * dim + c] = x[(gsize) (first + r) * stride + c] - mean[c];
      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, dim, rows,
                   1.0 / n_rows, centered, dim, 1.0, cov, dim);
    }

  for (guint r = 0; r < dim; r++)
    for (guint c = 0; c < r; c++)
      cov[(gsize) r * dim + c] = cov[(gsize) c * dim + r];
  return TRUE;
}

/* Fills @pca's variances, basis and k from the eigendecomposition of the
 * covariance (eigenvalues increasing, eigenvectors in the rows of
 * @vectors). */
static void
pca_select (BasinPca     *pca,
            const double *vectors,
            const double *values,
            double        threshold)
{
  guint dim = pca->dim;
  double cumulative = 0.0;

  pca->total_variance = 0.0;
  for (guint c = 0; c < dim; c++)
    {
      pca->variance[c] = MAX (values[dim - 1 - c], 0.0);
      pca->total_variance += pca->variance[c];
    }

  /* The slack keeps threshold 1 reachable despite rounding in the sum. */
  pca->k = dim;
  for (guint c = 0; c < dim; c++)
    {
      cumulative += pca->variance[c];
      if (cumulative >= threshold * pca->total_variance * (1.0 - 1e-9))
        {
          pca->k = c + 1;
          break;
        }
    }
  pca->explained = 0.0;
  for (guint c = 0; c < pca->k; c++)
    pca->explained += pca->variance[c] / pca->total_variance;

  pca->basis = g_new (double, (gsize) dim * pca->k);
  for (guint r = 0; r < dim; r++)
    for (guint c = 0; c < pca->k; c++)
      pca->basis[(gsize) r * pca->k + c] = vectors[(gsize) (dim - 1 - c) * dim + r];
}

/**
 * basin_pca_new:
 * @x: @n_rows × @dim samples with row stride @stride
 * @stride: distance between rows of @x, in floats
 * @n_rows: number of samples, at least 2
 * @dim: features per sample
 * @variance_threshold: keep the fewest leading directions whose variance
 *   adds up to at least this share of the total, in (0, 1]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Centers the samples and diagonalizes their covariance (divided by
 * @n_rows) in double precision.  Takes O(@n_rows · @dim² + @dim³) time and
 * O(@dim²) memory besides the result.
 *
 * Returns: (transfer full) (nullable): the analysis, or %NULL if the input
 *   is invalid, has zero variance, or the operation was cancelled
 */
BasinPca *
basin_pca_new (const float  *x,
               guint         stride,
               guint         n_rows,
               guint         dim,
               double        variance_threshold,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr (BasinPca) pca = NULL;
  g_autofree double *cov = NULL;
  g_autofree double *values = NULL;

  if (!check_pca_input (x, stride, n_rows, dim, variance_threshold, error))
    return NULL;

  pca = g_new0 (BasinPca, 1);
  pca->dim = dim;
  pca->n_rows = n_rows;
  pca->mean = g_new0 (double, dim);
  pca->variance = g_new0 (double, dim);
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < dim; c++)
      pca->mean[c] += x[(gsize) r * stride + c];
  for (guint c = 0; c < dim; c++)
    pca->mean[c] /= n_rows;

  cov = g_new (double, (gsize) dim * dim);
  values = g_new (double, dim);
  if (!accumulate_covariance (x, stride, n_rows, dim, pca->mean, cov, cancellable, error)
      || !basin_symmetric_eigen (cov, dim, values, error))
    return NULL;

  if (!(values[dim - 1] > 0.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("All %u samples are identical, so their principal "
                     "directions are undefined; use varied inputs."), n_rows);
      return NULL;
    }

  pca_select (pca, cov, values, variance_threshold);
  return g_steal_pointer (&pca);
}

void
basin_pca_free (BasinPca *pca)
{
  if (pca == NULL)
    return;

  g_free (pca->mean);
  g_free (pca->basis);
  g_free (pca->variance);
  g_free (pca);
}
