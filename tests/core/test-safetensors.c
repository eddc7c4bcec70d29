/* test-safetensors.c: the safetensors reader and writer, session files and
 * checkpoint import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basin/basin.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
test_safetensors_roundtrip (void)
{
  g_autofree char *path = tmp_path ("roundtrip.safetensors");
  g_autoptr (GError) error = NULL;
  BasinTensorFile *file = basin_tensor_file_new ();
  BasinTensorFile *back;
  const BasinTensor *t;
  float values[6] = { 1.5f, -2.0f, 0.0f, 3.25f, 1e-7f, -1e7f };
  guint64 shape[2] = { 2, 3 };
  guint64 scalar_shape[1] = { 1 };

  basin_tensor_file_add (file, "layer.weight", shape, 2, values);
  basin_tensor_file_add (file, "layer.bias", scalar_shape, 1, values + 3);
  basin_tensor_file_set_metadata (file, "note", "ünïcode \"quoted\"");
  g_assert_true (basin_tensor_file_save (file, path, &error));
  g_assert_no_error (error);

  back = basin_tensor_file_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (basin_tensor_file_get_n_tensors (back), ==, 2);
  t = basin_tensor_file_lookup (back, "layer.weight");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_dims, ==, 2);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpmem (t->data, sizeof values, values, sizeof values);
  g_assert_cmpfloat (basin_tensor_file_lookup (back, "layer.bias")->data[0], ==, 3.25f);
  g_assert_cmpstr (basin_tensor_file_get_metadata (back, "note"), ==, "ünïcode \"quoted\"");

  basin_tensor_file_free (back);
  basin_tensor_file_free (file);
}

/* Writes a file from a header text and raw data bytes. */
static char *
write_raw (const char   *name,
           const char   *header,
           const void   *data,
           gsize         data_size,
           gsize         cut)
{
  char *path = tmp_path (name);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint64 length = GUINT64_TO_LE (strlen (header));

  g_byte_array_append (bytes, (guint8 *) &length, 8);
  g_byte_array_append (bytes, (const guint8 *) header, strlen (header));
  g_byte_array_append (bytes, data, data_size);
  g_assert_true (g_file_set_contents (path, (char *) bytes->data, bytes->len - cut, NULL));
  return path;
}

static void
test_safetensors_half_precision (void)
{
  guint16 half[3] = { 0x3c00, 0xc000, 0x3555 };   /* 1, −2, ≈ 1/3 in F16 */
  guint16 bf16[2] = { 0x3f80, 0x4049 };           /* 1, ≈ 3.14 in BF16 */
  guint8 data[10];
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  BasinTensorFile *file;

  memcpy (data, half, 6);
  memcpy (data + 6, bf16, 4);
  path = write_raw ("half.safetensors",
                    "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                    "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}",
                    data, sizeof data, 0);
  file = basin_tensor_file_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (basin_tensor_file_lookup (file, "h")->data[0], ==, 1.0f);
  g_assert_cmpfloat (basin_tensor_file_lookup (file, "h")->data[1], ==, -2.0f);
  g_assert_cmpfloat_with_epsilon (basin_tensor_file_lookup (file, "h")->data[2], 1.0 / 3.0, 1e-3);
  g_assert_cmpfloat (basin_tensor_file_lookup (file, "b")->data[0], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (basin_tensor_file_lookup (file, "b")->data[1], 3.14, 1e-2);
  basin_tensor_file_free (file);
}

static void
check_invalid (const char *name,
               const char *header,
               gsize       data_size,
               gsize       cut,
               const char *needle)
{
  g_autofree guint8 *data = g_malloc0 (MAX (data_size, 1));
  g_autofree char *path = write_raw (name, header, data, data_size, cut);
  g_autoptr (GError) error = NULL;

  g_assert_null (basin_tensor_file_load (path, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_safetensors_invalid_files (void)
{
  const char *good = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";

  check_invalid ("truncated.safetensors", good, 16, 4, "truncated");
  check_invalid ("cut-header.safetensors", good, 0, 20, "truncated");
  check_invalid ("not-json.safetensors", "{\"w\": [", 0, 0, "not JSON");
  check_invalid ("int.safetensors",
                 "{\"w\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                 16, 0, "I64");
  check_invalid ("shape.safetensors",
                 "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,16]}}",
                 16, 0, "24 bytes");
  check_invalid ("fields.safetensors", "{\"w\":{\"dtype\":\"F32\"}}", 0, 0, "data_offsets");
}

static BasinSession *
trained_session (BasinVariant variant)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", NULL);
  BasinSession *session;

  e->n_samples = 300;
  e->train.epochs = 4;
  e->model.variant = variant;
  e->model.layer_norm = TRUE;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  basin_experiment_free (e);
  return session;
}

static void
test_safetensors_session_roundtrip (void)
{
  for (BasinVariant v = BASIN_VARIANT_STANDARD; v <= BASIN_VARIANT_SIGMA; v++)
    {
      g_autofree char *path = tmp_path ("session.safetensors");
      g_autoptr (GError) error = NULL;
      BasinSession *session = trained_session (v);
      BasinSession *loaded;

      g_assert_true (basin_session_save (session, path, &error));
      g_assert_no_error (error);
      loaded = basin_session_load (path, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (loaded->trained);

      for (guint r = 0; r < BASIN_N_RUNS; r++)
        {
          GArray *saved = session->history[r]->test_accuracy;
          GArray *read = loaded->history[r]->test_accuracy;

          g_assert_cmpmem (loaded->runs[r]->params, loaded->runs[r]->n_params * sizeof (float),
                           session->runs[r]->params, session->runs[r]->n_params * sizeof (float));
          g_assert_cmpuint (read->len, ==, saved->len);
          g_assert_cmpfloat (g_array_index (read, double, 3), ==, g_array_index (saved, double, 3));
        }
      basin_session_free (loaded);
      basin_session_free (session);
    }
}

static void
test_safetensors_not_a_session (void)
{
  g_autofree char *path = tmp_path ("plain.safetensors");
  g_autoptr (GError) error = NULL;
  BasinTensorFile *file = basin_tensor_file_new ();
  guint64 shape[1] = { 1 };
  float one = 1.0f;

  basin_tensor_file_add (file, "x", shape, 1, &one);
  g_assert_true (basin_tensor_file_save (file, path, NULL));
  g_assert_null (basin_session_load (path, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "not a Basin session"));
  basin_tensor_file_free (file);
}

/* Writes a network in nn.Sequential's naming (Linear, LayerNorm, GELU, …)
 * and checks that the import computes the same logits. */
static void
test_safetensors_import_sequential (void)
{
  BasinMlpConfig config = {
    .input_dim = 5, .output_dim = 3, .depth = 2, .width = 7,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = TRUE,
  };
  g_autoptr (GError) error = NULL;
  BasinMlp *mlp = basin_mlp_new (&config, 4, NULL);
  BasinTensorFile *file = basin_tensor_file_new ();
  BasinMlp *imported;
  guint index = 0;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      g_autofree char *w = g_strdup_printf ("net.%u.weight", index);
      g_autofree char *b = g_strdup_printf ("net.%u.bias", index);
      guint64 wshape[2] = { layer->out_dim, layer->in_dim }, bshape[1] = { layer->out_dim };

      basin_tensor_file_add (file, w, wshape, 2, basin_mlp_weight (mlp, l));
      basin_tensor_file_add (file, b, bshape, 1, basin_mlp_bias (mlp, l));
      if (layer->gain_offset != G_MAXSIZE)
        {
          g_autofree char *g = g_strdup_printf ("net.%u.weight", index + 1);
          g_autofree char *s = g_strdup_printf ("net.%u.bias", index + 1);

          basin_tensor_file_add (file, g, bshape, 1, mlp->params + layer->gain_offset);
          basin_tensor_file_add (file, s, bshape, 1, mlp->params + layer->shift_offset);
        }
      index += 3;  /* Linear, LayerNorm, GELU */
    }

  imported = basin_mlp_import_state_dict (file, "net.", BASIN_ACTIVATION_GELU, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->config.depth, ==, 2);
  g_assert_cmpuint (imported->config.width, ==, 7);
  g_assert_true (imported->config.layer_norm);
  g_assert_cmpmem (imported->params, imported->n_params * sizeof (float),
                   mlp->params, mlp->n_params * sizeof (float));

  basin_mlp_free (imported);
  basin_tensor_file_free (file);
  basin_mlp_free (mlp);
}

/* Basin's own session files name LayerNorms "runA.norms.L", after all
 * layers in name order; the import must still attach them to layer L. */
static void
test_safetensors_import_session_runs (void)
{
  g_autofree char *path = tmp_path ("import-session.safetensors");
  g_autoptr (GError) error = NULL;
  BasinSession *session = trained_session (BASIN_VARIANT_STANDARD);
  BasinTensorFile *file;
  BasinMlp *imported;

  g_assert_true (basin_session_save (session, path, &error));
  file = basin_tensor_file_load (path, NULL, &error);
  g_assert_no_error (error);
  imported = basin_mlp_import_state_dict (file, "runB.", session->runs[1]->config.activation,
                                          &error);
  g_assert_no_error (error);
  g_assert_true (imported->config.layer_norm);
  g_assert_cmpmem (imported->params, imported->n_params * sizeof (float),
                   session->runs[1]->params, session->runs[1]->n_params * sizeof (float));

  basin_mlp_free (imported);
  basin_tensor_file_free (file);
  basin_session_free (session);
}

/* A bias of the wrong length is an error, not a read past its end. */
static void
test_safetensors_import_bad_bias (void)
{
  float weight[6] = { 0 }, bias[5] = { 0 }, last[6] = { 0 };
  guint64 wshape[2] = { 3, 2 }, bshape[1] = { 5 }, lshape[2] = { 2, 3 };
  g_autoptr (GError) error = NULL;
  BasinTensorFile *file = basin_tensor_file_new ();

  basin_tensor_file_add (file, "0.weight", wshape, 2, weight);
  basin_tensor_file_add (file, "0.bias", bshape, 1, bias);
  basin_tensor_file_add (file, "2.weight", lshape, 2, last);
  g_assert_null (basin_mlp_import_state_dict (file, "", BASIN_ACTIVATION_RELU, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "0.bias"));
  basin_tensor_file_free (file);
}

static const char *numpy_script =
  "import json, struct, sys\n"
  "import numpy as np\n"
  "from scipy.special import erf\n"
  "out, basin_file = sys.argv[1], sys.argv[2]\n"
  "rng = np.random.default_rng(5)\n"
  "sizes = [4, 6, 6, 3]\n"
  "tensors, x = {}, rng.normal(size=(10, 4))\n"
  "tensors['input'] = x\n"
  "h = x\n"
  "for i in range(3):\n"
  "    w = rng.normal(size=(sizes[i + 1], sizes[i])) / 2\n"
  "    b = rng.normal(size=sizes[i + 1])\n"
  "    tensors['net.%d.weight' % (3 * i)] = w\n"
  "    tensors['net.%d.bias' % (3 * i)] = b\n"
  "    h = h @ w.T + b\n"
  "    if i < 2:\n"
  "        g, s = rng.normal(size=sizes[i + 1]), rng.normal(size=sizes[i + 1])\n"
  "        tensors['net.%d.weight' % (3 * i + 1)] = g\n"
  "        tensors['net.%d.bias' % (3 * i + 1)] = s\n"
  "        h = (h - h.mean(1, keepdims=True)) / np.sqrt(h.var(1, keepdims=True) + 1e-5) * g + s\n"
  "        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))\n"
  "tensors['expected'] = h\n"
  "header, blobs, offset = {}, [], 0\n"
  "for name, t in tensors.items():\n"
  "    raw = np.ascontiguousarray(t, dtype='<f8').tobytes()\n"
  "    header[name] = {'dtype': 'F64', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}\n"
  "    blobs.append(raw)\n"
  "    offset += len(raw)\n"
  "text = json.dumps(header).encode()\n"
  "open(out, 'wb').write(struct.pack('<Q', len(text)) + text + b''.join(blobs))\n"
  "data = open(basin_file, 'rb').read()\n"
  "n = struct.unpack('<Q', data[:8])[0]\n"
  "meta = json.loads(data[8:8 + n])\n"
  "entry = meta['runA.layers.0.weight']\n"
  "begin, end = entry['data_offsets']\n"
  "w = np.frombuffer(data[8 + n + begin:8 + n + end], dtype='<f4').reshape(entry['shape'])\n"
  "print(repr(float(w.astype(np.float64).sum())), meta['__metadata__']['basin.format'])\n";

/* An independent writer and reader in NumPy: Basin imports a network NumPy
 * evaluated, and NumPy reads a session file Basin wrote. */
static void
test_safetensors_numpy_interop (void)
{
  g_autofree char *numpy_file = tmp_path ("numpy.safetensors");
  g_autofree char *basin_file = tmp_path ("for-numpy.safetensors");
  g_autoptr (GError) error = NULL;
  g_autofree char *output = NULL;
  BasinSession *session;
  BasinTensorFile *file;
  const BasinTensor *input, *expected;
  BasinMlp *mlp;
  BasinWorkspace *ws;
  const float *logits;
  double sum = 0.0;
  int status = 0;

  if (system ("/usr/bin/python3 -c 'import numpy, scipy.special' 2>/dev/null") != 0)
    {
      g_test_skip ("python3-numpy and python3-scipy are not installed");
      return;
    }

  session = trained_session (BASIN_VARIANT_STANDARD);
  g_assert_true (basin_session_save (session, basin_file, &error));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/usr/bin/python3", "-c", (char *) numpy_script,
                                                  numpy_file, basin_file, NULL },
                               NULL, 0, NULL, NULL, &output, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  for (gsize i = 0; i < (gsize) session->runs[0]->layers[0].out_dim * session->runs[0]->layers[0].in_dim; i++)
    sum += basin_mlp_weight (session->runs[0], 0)[i];
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (output, NULL), sum, 1e-9 * (1 + fabs (sum)));
  g_assert_nonnull (strstr (output, " 1"));

  file = basin_tensor_file_load (numpy_file, NULL, &error);
  g_assert_no_error (error);
  mlp = basin_mlp_import_state_dict (file, "net.", BASIN_ACTIVATION_GELU, &error);
  g_assert_no_error (error);
  input = basin_tensor_file_lookup (file, "input");
  expected = basin_tensor_file_lookup (file, "expected");
  ws = basin_workspace_new (mlp, 10);
  logits = basin_mlp_forward (mlp, ws, input->data, 10);
  for (guint i = 0; i < 30; i++)
    g_assert_cmpfloat_with_epsilon (logits[i], expected->data[i], 1e-4 * (1 + fabsf (expected->data[i])));

  basin_workspace_free (ws);
  basin_mlp_free (mlp);
  basin_tensor_file_free (file);
  basin_session_free (session);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("basin-safetensors-XXXXXX", NULL);

  g_test_add_func ("/core/safetensors/roundtrip", test_safetensors_roundtrip);
  g_test_add_func ("/core/safetensors/half-precision", test_safetensors_half_precision);
  g_test_add_func ("/core/safetensors/invalid-files", test_safetensors_invalid_files);
  g_test_add_func ("/core/safetensors/session-roundtrip", test_safetensors_session_roundtrip);
  g_test_add_func ("/core/safetensors/not-a-session", test_safetensors_not_a_session);
  g_test_add_func ("/core/safetensors/import-sequential", test_safetensors_import_sequential);
  g_test_add_func ("/core/safetensors/numpy-interop", test_safetensors_numpy_interop);
  g_test_add_func ("/core/safetensors/import-session-runs", test_safetensors_import_session_runs);
  g_test_add_func ("/core/safetensors/import-bad-bias", test_safetensors_import_bad_bias);
  status = g_test_run ();

  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = tmp_path (name);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
