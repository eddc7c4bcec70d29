/* basin-session-file.h: sessions and checkpoints as safetensors files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-safetensors.h"
#include "basin-session.h"

G_BEGIN_DECLS

gboolean      basin_session_save           (const BasinSession *session,
                                            const char         *path,
                                            GError            **error);
BasinSession *basin_session_load           (const char   *path,
                                            GCancellable *cancellable,
                                            GError      **error);
BasinSession *basin_session_new_from_runs  (const BasinExperiment *experiment,
                                            BasinMlp              *run_a,
                                            BasinMlp              *run_b,
                                            GCancellable          *cancellable,
                                            GError               **error);
BasinMlp     *basin_mlp_import_state_dict  (const BasinTensorFile *file,
                                            const char            *prefix,
                                            BasinActivation        activation,
                                            GError               **error);

G_END_DECLS
