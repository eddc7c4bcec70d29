/* basin-safetensors.h: reading and writing tensors in the safetensors format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BASIN_TENSOR_MAX_DIMS 8

/**
 * BasinTensor:
 * @name: the tensor's key, such as "runA.layers.0.weight"
 * @n_dims: number of dimensions, 0 for a scalar
 * @shape: (array length=n_dims): size of each dimension
 * @n_values: product of the sizes
 * @data: (array length=n_values): row-major float32 values
 *
 * Tensors stored as F16, BF16 or F64 are converted to float32 on loading.
 */
typedef struct {
  char    *name;
  guint    n_dims;
  guint64  shape[BASIN_TENSOR_MAX_DIMS];
  gsize    n_values;
  float   *data;
} BasinTensor;

typedef struct _BasinTensorFile BasinTensorFile;

BasinTensorFile   *basin_tensor_file_new          (void);
void               basin_tensor_file_free         (BasinTensorFile *file);
void               basin_tensor_file_add          (BasinTensorFile *file,
                                                   const char      *name,
                                                   const guint64   *shape,
                                                   guint            n_dims,
                                                   const float     *data);
const BasinTensor *basin_tensor_file_lookup       (const BasinTensorFile *file,
                                                   const char            *name);
guint              basin_tensor_file_get_n_tensors (const BasinTensorFile *file);
const BasinTensor *basin_tensor_file_get_tensor   (const BasinTensorFile *file,
                                                   guint                  index);
void               basin_tensor_file_set_metadata (BasinTensorFile *file,
                                                   const char      *key,
                                                   const char      *value);
const char        *basin_tensor_file_get_metadata (const BasinTensorFile *file,
                                                   const char            *key);
gboolean           basin_tensor_file_save         (const BasinTensorFile *file,
                                                   const char            *path,
                                                   GError               **error);
BasinTensorFile   *basin_tensor_file_load         (const char   *path,
                                                   GCancellable *cancellable,
                                                   GError      **error);

G_END_DECLS
