/* basin-safetensors.c: the safetensors format of Hugging Face.
 *
 * A file is an 8-byte little-endian header length N, N bytes of JSON
 * mapping each tensor name to {"dtype", "shape", "data_offsets": [begin,
 * end]} (offsets relative to the data that follows the header), an
 * optional "__metadata__" object of strings, and the tensor data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "basin-error.h"
#include "basin-safetensors.h"

/* Header lengths above this are rejected before anything is allocated. */
#define MAX_HEADER_BYTES (100 * 1024 * 1024)

struct _BasinTensorFile
{
  GPtrArray  *tensors;   /* BasinTensor *, in insertion order */
  GHashTable *by_name;   /* name → BasinTensor *, borrowed */
  GHashTable *metadata;  /* char * → char * */
};

static void
tensor_free (BasinTensor *tensor)
{
  g_free (tensor->name);
  g_free (tensor->data);
  g_free (tensor);
}

BasinTensorFile *
basin_tensor_file_new (void)
{
  BasinTensorFile *file = g_new0 (BasinTensorFile, 1);

  file->tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) tensor_free);
  file->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  file->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return file;
}

void
basin_tensor_file_free (BasinTensorFile *file)
{
  if (file == NULL)
    return;

  g_hash_table_unref (file->by_name);
  g_ptr_array_unref (file->tensors);
  g_hash_table_unref (file->metadata);
  g_free (file);
}

static BasinTensor *
add_empty (BasinTensorFile *file,
           const char      *name,
           const guint64   *shape,
           guint            n_dims)
{
  BasinTensor *tensor = g_new0 (BasinTensor, 1);
  BasinTensor *old = g_hash_table_lookup (file->by_name, name);

  g_return_val_if_fail (n_dims <= BASIN_TENSOR_MAX_DIMS, NULL);

  tensor->name = g_strdup (name);
  tensor->n_dims = n_dims;
  tensor->n_values = 1;
  for (guint i = 0; i < n_dims; i++)
    {
      tensor->shape[i] = shape[i];
      tensor->n_values *= shape[i];
    }
  tensor->data = g_new (float, MAX (tensor->n_values, 1));

  if (old != NULL)
    g_ptr_array_remove (file->tensors, old);
  g_ptr_array_add (file->tensors, tensor);
  g_hash_table_insert (file->by_name, tensor->name, tensor);
  return tensor;
}

/**
 * basin_tensor_file_add:
 * @file: the file
 * @name: the tensor's key; replaces a tensor of the same name
 * @shape: (array length=n_dims): size of each dimension
 * @n_dims: number of dimensions, at most %BASIN_TENSOR_MAX_DIMS
 * @data: row-major values, copied
 */
void
basin_tensor_file_add (BasinTensorFile *file,
                       const char      *name,
                       const guint64   *shape,
                       guint            n_dims,
                       const float     *data)
{
  BasinTensor *tensor = add_empty (file, name, shape, n_dims);

  memcpy (tensor->data, data, tensor->n_values * sizeof (float));
}

const BasinTensor *
basin_tensor_file_lookup (const BasinTensorFile *file,
                          const char            *name)
{
  return g_hash_table_lookup (file->by_name, name);
}

guint
basin_tensor_file_get_n_tensors (const BasinTensorFile *file)
{
  return file->tensors->len;
}

const BasinTensor *
basin_tensor_file_get_tensor (const BasinTensorFile *file,
                              guint                  index)
{
  g_return_val_if_fail (index < file->tensors->len, NULL);
  return g_ptr_array_index (file->tensors, index);
}

void
basin_tensor_file_set_metadata (BasinTensorFile *file,
                                const char      *key,
                                const char      *value)
{
  g_hash_table_insert (file->metadata, g_strdup (key), g_strdup (value));
}

const char *
basin_tensor_file_get_metadata (const BasinTensorFile *file,
                                const char            *key)
{
  return g_hash_table_lookup (file->metadata, key);
}

static JsonNode *
build_header (const BasinTensorFile *file)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint64 offset = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "__metadata__");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, file->metadata);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);

  for (guint i = 0; i < file->tensors->len; i++)
    {
      const BasinTensor *t = g_ptr_array_index (file->tensors, i);

      json_builder_set_member_name (b, t->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (guint d = 0; d < t->n_dims; d++)
        json_builder_add_int_value (b, (gint64) t->shape[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) offset);
      offset += t->n_values * sizeof (float);
      json_builder_add_int_value (b, (gint64) offset);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * basin_tensor_file_save:
 * @file: the tensors and metadata
 * @path: destination, replaced atomically: the data goes to a temporary
 *   file in the same folder that is renamed over @path when complete
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
basin_tensor_file_save (const BasinTensorFile *file,
                        const char            *path,
                        GError               **error)
{
  g_autoptr (JsonNode) header = build_header (file);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *json = NULL;
  gsize json_length;
  guint64 length_le;

  json_generator_set_root (generator, header);
  json = json_generator_to_data (generator, &json_length);

  /* Pad the header with spaces so the data starts 8-byte aligned. */
  length_le = GUINT64_TO_LE ((json_length + 7) / 8 * 8);
  g_byte_array_append (bytes, (guint8 *) &length_le, 8);
  g_byte_array_append (bytes, (guint8 *) json, json_length);
  while ((bytes->len - 8) % 8 != 0)
    g_byte_array_append (bytes, (const guint8 *) " ", 1);

  for (guint i = 0; i < file->tensors->len; i++)
    {
      const BasinTensor *t = g_ptr_array_index (file->tensors, i);

      /* Every machine Basin targets is little-endian, as the format is. */
      G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);
      g_byte_array_append (bytes, (guint8 *) t->data, t->n_values * sizeof (float));
    }

  if (!g_file_set_contents_full (path, (char *) bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO, _("Cannot save “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError    **error,
         const char *path,
         const char *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("“%s” is not a valid safetensors file: %s"), path, detail);
  return FALSE;
}

/* Returns the size in bytes of one element of @dtype, or 0 if Basin
 * cannot read that type. */
static gsize
dtype_size (const char *dtype)
{
  if (g_strcmp0 (dtype, "F32") == 0)
    return 4;
  if (g_strcmp0 (dtype, "F16") == 0 || g_strcmp0 (dtype, "BF16") == 0)
    return 2;
  if (g_strcmp0 (dtype, "F64") == 0)
    return 8;
  return 0;
}

static float
half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;
  union { guint32 u; float f; } out;

  if (exponent == 0)
    {
      float value = ldexpf ((float) mantissa, -24);
      return sign ? -value : value;
    }
  if (exponent == 31)
    out.u = sign | 0x7f800000 | (mantissa << 13);
  else
    out.u = sign | ((exponent + 112) << 23) | (mantissa << 13);
  return out.f;
}

static void
convert_values (const char   *dtype,
                const guint8 *raw,
                gsize         n,
                float        *out)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_strcmp0 (dtype, "F32") == 0)
        memcpy (out + i, raw + 4 * i, 4);
      else if (g_strcmp0 (dtype, "F64") == 0)
        {
          double value;
          memcpy (&value, raw + 8 * i, 8);
          out[i] = (float) value;
        }
      else
        {
          guint16 half;
          union { guint32 u; float f; } bf;

          memcpy (&half, raw + 2 * i, 2);
          if (g_strcmp0 (dtype, "BF16") == 0)
            {
              bf.u = (guint32) half << 16;
              out[i] = bf.f;
            }
          else
            out[i] = half_to_float (half);
        }
    }
}

/* Reads one tensor entry of the header and its data. */
static gboolean
read_tensor (BasinTensorFile *file,
             const char      *path,
             const char      *name,
             JsonNode        *node,
             const guint8    *data,
             gsize            data_size,
             GError         **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *shape, *offsets;
  const char *dtype;
  guint64 shape_values[BASIN_TENSOR_MAX_DIMS], begin, end, count = 1;
  BasinTensor *tensor;
  gsize element;
  guint n_dims;

  if (o == NULL || !json_object_has_member (o, "dtype") || !json_object_has_member (o, "shape")
      || !json_object_has_member (o, "data_offsets"))
    return invalid (error, path, _("tensor “%s” lacks dtype, shape or data_offsets"), name);

  dtype = json_object_get_string_member (o, "dtype");
  element = dtype_size (dtype);
  if (element == 0)
    return invalid (error, path, _("tensor “%s” has type %s; Basin reads F32, F16, BF16 "
                                   "and F64"), name, dtype != NULL ? dtype : "?");

  shape = json_object_get_array_member (o, "shape");
  offsets = json_object_get_array_member (o, "data_offsets");
  n_dims = shape != NULL ? json_array_get_length (shape) : 0;
  if (shape == NULL || offsets == NULL || n_dims > BASIN_TENSOR_MAX_DIMS
      || json_array_get_length (offsets) != 2)
    return invalid (error, path, _("tensor “%s” has a malformed shape or offsets"), name);

  for (guint d = 0; d < n_dims; d++)
    {
      gint64 size = json_array_get_int_element (shape, d);

      if (size < 0 || (size > 0 && count > G_MAXUINT32 * (guint64) 16 / (guint64) size))
        return invalid (error, path, _("tensor “%s” has an invalid shape"), name);
      shape_values[d] = (guint64) size;
      count *= (guint64) size;
    }

  begin = (guint64) json_array_get_int_element (offsets, 0);
  end = (guint64) json_array_get_int_element (offsets, 1);
  if (begin > end || end > data_size || end - begin != count * element)
    return invalid (error, path,
                    _("tensor “%s” needs %" PRIu64 " bytes at offsets [%"
                      PRIu64 ", %" PRIu64 "] but the file holds %zu"
                      " data bytes; the file may be truncated"),
                    name, count * element, begin, end, data_size);

  tensor = add_empty (file, name, shape_values, n_dims);
  convert_values (dtype, data + begin, count, tensor->data);
  return TRUE;
}

static void
read_metadata (BasinTensorFile *file,
               JsonNode        *node)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr (GList) members = o != NULL ? json_object_get_members (o) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (o, l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        basin_tensor_file_set_metadata (file, l->data, json_node_get_string (value));
    }
}

static gint
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (a, b);
}

static gboolean
parse_header (BasinTensorFile *file,
              const char      *path,
              const char      *header,
              gsize            header_size,
              const guint8    *data,
              gsize            data_size,
              GError         **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) json_error = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *root;

  if (!json_parser_load_from_data (parser, header, header_size, &json_error))
    return invalid (error, path, _("its header is not JSON (%s)"), json_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, path, _("its header is not a JSON object"));

  root = json_node_get_object (json_parser_get_root (parser));
  members = g_list_sort_with_data (json_object_get_members (root), compare_names, NULL);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (root, l->data);

      if (g_strcmp0 (l->data, "__metadata__") == 0)
        read_metadata (file, node);
      else if (!read_tensor (file, path, l->data, node, data, data_size, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * basin_tensor_file_load:
 * @path: a .safetensors file, such as one written by
 *   `safetensors.torch.save_file`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads every tensor, converted to float32, and the string metadata.
 * Tensors appear in name order.
 *
 * Returns: (transfer full) (nullable): the contents
 */
BasinTensorFile *
basin_tensor_file_load (const char   *path,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr (GFile) gfile = g_file_new_for_path (path);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  BasinTensorFile *file;
  gsize length = 0;
  guint64 header_size;

  if (!g_file_load_contents (gfile, cancellable, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO, _("Cannot read “%s”: %s"), path,
                   local_error->message);
      return NULL;
    }

  if (length < 8)
    {
      invalid (error, path, _("it has only %zu bytes"), length);
      return NULL;
    }
  memcpy (&header_size, contents, 8);
  header_size = GUINT64_FROM_LE (header_size);
  if (header_size > MAX_HEADER_BYTES || header_size > length - 8)
    {
      invalid (error, path, _("its header claims %" PRIu64 " bytes but the file "
                              "has %zu; the file may be truncated"),
               header_size, length);
      return NULL;
    }

  file = basin_tensor_file_new ();
  if (!parse_header (file, path, contents + 8, header_size,
                     (const guint8 *) contents + 8 + header_size, length - 8 - header_size,
                     error))
    {
      basin_tensor_file_free (file);
      return NULL;
    }
  return file;
}
