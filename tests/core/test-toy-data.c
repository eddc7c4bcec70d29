/* test-toy-data.c: the generated 2D teaching datasets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"

typedef BasinDataset *(*Generator) (guint n_samples, double noise, guint64 seed);

static BasinDataset *
make_circles (guint n_samples, double noise, guint64 seed)
{
  return basin_dataset_new_circles (n_samples, noise, seed, 0.5);
}

static BasinDataset *
make_spirals (guint n_samples, double noise, guint64 seed)
{
  return basin_dataset_new_spirals (n_samples, noise, seed, 1.5);
}

static BasinDataset *
make_blobs (guint n_samples, double noise, guint64 seed)
{
  return basin_dataset_new_blobs (n_samples, noise, seed, 3);
}

static const struct {
  const char *name;
  Generator   generate;
  guint       n_classes;
} generators[] = {
  { "circles", make_circles, 2 },
  { "spirals", make_spirals, 2 },
  { "xor", basin_dataset_new_xor, 2 },
  { "blobs", make_blobs, 3 },
};

static void
test_shape_and_balance (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (generators); g++)
    {
      BasinDataset *dataset = generators[g].generate (301, 0.1, 5);
      guint counts[8] = { 0 };
      guint min_count = G_MAXUINT, max_count = 0;

      g_test_message ("%s", generators[g].name);
      g_assert_cmpstr (dataset->name, ==, generators[g].name);
      g_assert_cmpuint (dataset->n_samples, ==, 301);
      g_assert_cmpuint (dataset->dim, ==, 2);
      g_assert_cmpuint (dataset->n_classes, ==, generators[g].n_classes);
      g_assert_nonnull (dataset->features);
      g_assert_null (dataset->pixels);

      for (guint i = 0; i < dataset->n_samples; i++)
        {
          g_assert_cmpuint (dataset->labels[i], <, dataset->n_classes);
          g_assert_true (isfinite (dataset->features[2 * i]));
          g_assert_true (isfinite (dataset->features[2 * i + 1]));
          counts[dataset->labels[i]]++;
        }
      for (guint c = 0; c < dataset->n_classes; c++)
        {
          min_count = MIN (min_count, counts[c]);
          max_count = MAX (max_count, counts[c]);
        }
      g_assert_cmpuint (max_count - min_count, <=, 1);

      basin_dataset_free (dataset);
    }
}

static void
test_seeds (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (generators); g++)
    {
      BasinDataset *a = generators[g].generate (200, 0.1, 11);
      BasinDataset *b = generators[g].generate (200, 0.1, 11);
      BasinDataset *c = generators[g].generate (200, 0.1, 12);
      gsize bytes = 2 * 200 * sizeof (float);

      g_test_message ("%s", generators[g].name);
      g_assert_cmpmem (a->features, bytes, b->features, bytes);
      g_assert_cmpmem (a->labels, 200 * sizeof (guint32), b->labels, 200 * sizeof (guint32));
      g_assert_true (memcmp (a->features, c->features, bytes) != 0);

      basin_dataset_free (a);
      basin_dataset_free (b);
      basin_dataset_free (c);
    }
}

static void
test_circles_radius (void)
{
  BasinDataset *exact = basin_dataset_new_circles (400, 0.0, 3, 0.4);
  BasinDataset *noisy = basin_dataset_new_circles (4000, 0.05, 3, 0.4);
  double sum[2] = { 0.0, 0.0 };
  guint count[2] = { 0, 0 };

  for (guint i = 0; i < exact->n_samples; i++)
    {
      double r = hypot (exact->features[2 * i], exact->features[2 * i + 1]);

      g_assert_cmpfloat_with_epsilon (r, exact->labels[i] == 0 ? 1.0 : 0.4, 1e-6);
    }

  for (guint i = 0; i < noisy->n_samples; i++)
    {
      guint label = noisy->labels[i];

      sum[label] += hypot (noisy->features[2 * i], noisy->features[2 * i + 1]);
      count[label]++;
    }
  /* Isotropic noise of σ = 0.05 moves the mean radius by about σ²/(2r). */
  g_assert_cmpfloat_with_epsilon (sum[0] / count[0], 1.0, 0.01);
  g_assert_cmpfloat_with_epsilon (sum[1] / count[1], 0.4, 0.01);

  basin_dataset_free (exact);
  basin_dataset_free (noisy);
}

static void
test_xor_sign_product (void)
{
  BasinDataset *dataset = basin_dataset_new_xor (1000, 0.0, 8);
  guint quadrants[4] = { 0 };

  for (guint i = 0; i < dataset->n_samples; i++)
    {
      float x = dataset->features[2 * i], y = dataset->features[2 * i + 1];

      g_assert_cmpuint (dataset->labels[i], ==, x * y < 0.0f ? 1 : 0);
      g_assert_cmpfloat (fabsf (x), >=, 0.05f);
      g_assert_cmpfloat (fabsf (y), >=, 0.05f);
      g_assert_cmpfloat (fabsf (x), <, 1.0f);
      g_assert_cmpfloat (fabsf (y), <, 1.0f);
      quadrants[(x < 0.0f) * 2 + (y < 0.0f)]++;
    }

  /* 250 points per quadrant expected; 180 is more than 4 standard deviations off. */
  for (guint q = 0; q < 4; q++)
    g_assert_cmpuint (quadrants[q], >, 180);

  basin_dataset_free (dataset);
}

static void
test_spirals_radius_grows (void)
{
  const double turns = 1.5;
  BasinDataset *dataset = basin_dataset_new_spirals (600, 0.0, 21, turns);

  for (guint i = 0; i < dataset->n_samples; i++)
    {
      double x = dataset->features[2 * i], y = dataset->features[2 * i + 1];
      double r = hypot (x, y);
      double angle = 2.0 * G_PI * turns * r + dataset->labels[i] * G_PI;

      /* The point sits where the spiral of its class is at its radius. */
      g_assert_cmpfloat (r, <, 1.0);
      g_assert_cmpfloat_with_epsilon (x, r * cos (angle), 1e-5);
      g_assert_cmpfloat_with_epsilon (y, r * sin (angle), 1e-5);
    }

  basin_dataset_free (dataset);
}

static void
test_blobs_centres (void)
{
  const guint k = 5;
  const double noise = 0.2;
  BasinDataset *dataset = basin_dataset_new_blobs (5000, noise, 4, k);
  double sum_x[5] = { 0 }, sum_y[5] = { 0 }, sum_sq[5] = { 0 };
  guint count[5] = { 0 };

  g_assert_cmpuint (dataset->n_classes, ==, k);
  for (guint i = 0; i < dataset->n_samples; i++)
    {
      guint c = dataset->labels[i];

      sum_x[c] += dataset->features[2 * i];
      sum_y[c] += dataset->features[2 * i + 1];
      count[c]++;
    }

  for (guint i = 0; i < dataset->n_samples; i++)
    {
      guint c = dataset->labels[i];
      double dx = dataset->features[2 * i] - cos (2.0 * G_PI * c / k);
      double dy = dataset->features[2 * i + 1] - sin (2.0 * G_PI * c / k);

      sum_sq[c] += dx * dx + dy * dy;
    }

  for (guint c = 0; c < k; c++)
    {
      /* The standard error of a class mean is 0.2 / sqrt(1000) ≈ 0.0063. */
      g_assert_cmpuint (count[c], ==, 1000);
      g_assert_cmpfloat_with_epsilon (sum_x[c] / count[c], cos (2.0 * G_PI * c / k), 0.03);
      g_assert_cmpfloat_with_epsilon (sum_y[c] / count[c], sin (2.0 * G_PI * c / k), 0.03);
      g_assert_cmpfloat_with_epsilon (sqrt (sum_sq[c] / (2 * count[c])), noise, 0.02);
    }

  basin_dataset_free (dataset);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/toy-data/shape-and-balance", test_shape_and_balance);
  g_test_add_func ("/core/toy-data/seeds", test_seeds);
  g_test_add_func ("/core/toy-data/circles-radius", test_circles_radius);
  g_test_add_func ("/core/toy-data/xor-sign-product", test_xor_sign_product);
  g_test_add_func ("/core/toy-data/spirals-radius-grows", test_spirals_radius_grows);
  g_test_add_func ("/core/toy-data/blobs-centres", test_blobs_centres);

  return g_test_run ();
}
