/* basin-shared-session.h: a trained session shared between threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include <basin/basin-session.h>

G_BEGIN_DECLS

/**
 * BasinSharedSession:
 *
 * A reference-counted, read-only #BasinSession.  Because a shared session
 * is never modified, worker threads may read it while the window shows it.
 * Releasing the last reference frees the session.
 */
typedef struct _BasinSharedSession BasinSharedSession;

#define BASIN_TYPE_SHARED_SESSION (basin_shared_session_get_type ())

GType               basin_shared_session_get_type (void) G_GNUC_CONST;
BasinSharedSession *basin_shared_session_new      (BasinSession       *session);
BasinSharedSession *basin_shared_session_ref      (BasinSharedSession *self);
void                basin_shared_session_unref    (BasinSharedSession *self);
const BasinSession *basin_shared_session_get      (BasinSharedSession *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinSharedSession, basin_shared_session_unref)

G_END_DECLS
