/* basin-shared-session.c: a trained session shared between threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "basin-shared-session.h"

struct _BasinSharedSession
{
  BasinSession *session;
};

G_DEFINE_BOXED_TYPE (BasinSharedSession, basin_shared_session,
                     basin_shared_session_ref, basin_shared_session_unref)

static void
basin_shared_session_clear (gpointer data)
{
  BasinSharedSession *self = data;

  g_clear_pointer (&self->session, basin_session_free);
}

/**
 * basin_shared_session_new:
 * @session: (transfer full): a session that is read-only from now on
 *
 * Returns: (transfer full): a new reference
 */
BasinSharedSession *
basin_shared_session_new (BasinSession *session)
{
  BasinSharedSession *self;

  g_return_val_if_fail (session != NULL, NULL);

  self = g_atomic_rc_box_new0 (BasinSharedSession);
  self->session = session;

  return self;
}

BasinSharedSession *
basin_shared_session_ref (BasinSharedSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
basin_shared_session_unref (BasinSharedSession *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, basin_shared_session_clear);
}

/**
 * basin_shared_session_get:
 *
 * Returns: (transfer none): the session, valid while @self is referenced
 */
const BasinSession *
basin_shared_session_get (BasinSharedSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->session;
}
