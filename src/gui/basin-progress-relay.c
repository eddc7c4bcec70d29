/* basin-progress-relay.c: hands progress and results of a worker thread to the main thread.
 *
 * A worker reports progress through basin_progress_relay_report(), which
 * has the signature of a BasinProgressFunc.  The report only stores the
 * values under a mutex and, unless one is pending, attaches one source to
 * the main context that passes the latest values on, at most every
 * PUBLISH_INTERVAL.
 * basin_progress_relay_post() hands over whole results the same way, one
 * idle source each.  After basin_progress_relay_close() nothing reaches
 * the owner any more, so a cancelled job that reports late changes
 * nothing, and the owner is only held weakly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "basin-progress-relay.h"

#define PUBLISH_INTERVAL (50 * G_TIME_SPAN_MILLISECOND)

struct _BasinProgressRelay
{
  GMutex                  mutex;
  GWeakRef                owner;
  GMainContext           *context;
  BasinRelayProgressFunc  progress;

  /* Protected by mutex */
  double                  fraction;
  char                   *text;
  gboolean                pending;
  gint64                  last_publish;
  gboolean                closed;
};

typedef struct {
  BasinProgressRelay *relay;
  BasinRelayPostFunc  func;
  gpointer            data;
  GDestroyNotify      destroy;
} Post;

static void
basin_progress_relay_clear (gpointer data)
{
  BasinProgressRelay *self = data;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_weak_ref_clear (&self->owner);
  g_mutex_clear (&self->mutex);
}

/**
 * basin_progress_relay_new:
 * @owner: the object that receives the progress, held weakly
 * @progress: (nullable): called with the latest progress
 *
 * Creates a relay to the thread-default main context of the caller.
 *
 * Returns: (transfer full): a new relay
 */
BasinProgressRelay *
basin_progress_relay_new (GObject                *owner,
                          BasinRelayProgressFunc  progress)
{
  BasinProgressRelay *self = g_atomic_rc_box_new0 (BasinProgressRelay);

  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);

  g_mutex_init (&self->mutex);
  g_weak_ref_init (&self->owner, owner);
  self->context = g_main_context_ref_thread_default ();
  self->progress = progress;

  return self;
}

BasinProgressRelay *
basin_progress_relay_ref (BasinProgressRelay *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
basin_progress_relay_unref (BasinProgressRelay *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, basin_progress_relay_clear);
}

/**
 * basin_progress_relay_close:
 *
 * Stops delivering: progress and posts that have not run yet are
 * dropped.  Call it on the main context when the job is cancelled or
 * replaced.
 */
void
basin_progress_relay_close (BasinProgressRelay *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  g_mutex_unlock (&self->mutex);
}

static gboolean
publish_cb (gpointer user_data)
{
  BasinProgressRelay *self = user_data;
  g_autoptr(GObject) owner = g_weak_ref_get (&self->owner);
  g_autofree char *text = NULL;
  gboolean closed;
  double fraction;

  g_mutex_lock (&self->mutex);
  self->pending = FALSE;
  self->last_publish = g_get_monotonic_time ();
  fraction = self->fraction;
  text = g_strdup (self->text);
  closed = self->closed;
  g_mutex_unlock (&self->mutex);

  if (owner != NULL && !closed && self->progress != NULL)
    self->progress (owner, fraction, text);

  return G_SOURCE_REMOVE;
}

/* Runs @func on the main context after @delay_ms.  A source, unlike
 * g_main_context_invoke(), never runs the callback in the calling thread. */
static void
attach_source (BasinProgressRelay *self,
               guint               delay_ms,
               GSourceFunc         func,
               gpointer            data,
               GDestroyNotify      destroy,
               const char         *name)
{
  GSource *source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/**
 * basin_progress_relay_report:
 * @fraction: completed share, in [0, 1]
 * @text: (nullable): stage text
 * @relay: the relay
 *
 * Stores the progress for the main context.  Safe to call from any
 * thread, and cheap enough to call after every step.
 */
void
basin_progress_relay_report (double      fraction,
                             const char *text,
                             gpointer    relay)
{
  BasinProgressRelay *self = relay;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->mutex);

  self->fraction = fraction;
  if (g_strcmp0 (text, self->text) != 0)
    {
      g_free (self->text);
      self->text = g_strdup (text);
    }

  /* A report soon after the last one is published when the interval is
   * over, with whatever is the latest then, so a long stage that starts
   * right after another one still shows. */
  if (!self->pending && !self->closed)
    {
      gint64 wait = self->last_publish + PUBLISH_INTERVAL - now;

      self->pending = TRUE;
      attach_source (self, wait > 0 ? (guint)(wait / 1000) + 1 : 0,
                     publish_cb, basin_progress_relay_ref (self),
                     (GDestroyNotify)basin_progress_relay_unref,
                     "[basin] publish progress");
    }

  g_mutex_unlock (&self->mutex);
}

static void
post_free (gpointer data)
{
  Post *post = data;

  if (post->destroy != NULL && post->data != NULL)
    post->destroy (post->data);
  basin_progress_relay_unref (post->relay);
  g_free (post);
}

static gboolean
post_cb (gpointer user_data)
{
  Post *post = user_data;
  g_autoptr(GObject) owner = g_weak_ref_get (&post->relay->owner);
  gboolean closed;

  g_mutex_lock (&post->relay->mutex);
  closed = post->relay->closed;
  g_mutex_unlock (&post->relay->mutex);

  if (owner != NULL && !closed)
    post->func (owner, g_steal_pointer (&post->data));

  return G_SOURCE_REMOVE;
}

/**
 * basin_progress_relay_post:
 * @func: called on the main context with the owner and @data
 * @data: (transfer full): the data, such as a copy of a partial result
 * @destroy: (nullable): frees @data when the post is dropped
 *
 * Hands @data to the main context.  Safe to call from any thread.  @func
 * takes over @data.  When the relay is closed or the owner is gone before
 * the post runs, @destroy frees @data instead.
 */
void
basin_progress_relay_post (BasinProgressRelay *self,
                           BasinRelayPostFunc  func,
                           gpointer            data,
                           GDestroyNotify      destroy)
{
  Post *post;

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  post = g_new0 (Post, 1);
  post->relay = basin_progress_relay_ref (self);
  post->func = func;
  post->data = data;
  post->destroy = destroy;

  attach_source (self, 0, post_cb, post, post_free, "[basin] post result");
}
