/* basin-progress-relay.h: hands progress and results of a worker thread to the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * BasinRelayProgressFunc:
 * @owner: the object the relay was created for
 * @fraction: the latest completed share, in [0, 1]
 * @text: the latest stage text
 *
 * Called on the main context, at most every 50 ms.
 */
typedef void (*BasinRelayProgressFunc) (gpointer    owner,
                                        double      fraction,
                                        const char *text);

/**
 * BasinRelayPostFunc:
 * @owner: the object the relay was created for
 * @data: (transfer full): the data given to basin_progress_relay_post()
 *
 * Called on the main context for every post that arrives before the relay
 * is closed.
 */
typedef void (*BasinRelayPostFunc) (gpointer owner,
                                    gpointer data);

typedef struct _BasinProgressRelay BasinProgressRelay;

BasinProgressRelay *basin_progress_relay_new    (GObject                *owner,
                                                 BasinRelayProgressFunc  progress);
BasinProgressRelay *basin_progress_relay_ref    (BasinProgressRelay     *self);
void                basin_progress_relay_unref  (BasinProgressRelay     *self);
void                basin_progress_relay_close  (BasinProgressRelay     *self);
void                basin_progress_relay_report (double                  fraction,
                                                 const char             *text,
                                                 gpointer                relay);
void                basin_progress_relay_post   (BasinProgressRelay     *self,
                                                 BasinRelayPostFunc      func,
                                                 gpointer                data,
                                                 GDestroyNotify          destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinProgressRelay, basin_progress_relay_unref)

G_END_DECLS
