/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The strip under a page that shows a request in progress (with Cancel) or
 * why it failed (with Try Again). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_REQUEST_STATUS (eimza_request_status_get_type ())

G_DECLARE_FINAL_TYPE (EimzaRequestStatus, eimza_request_status, EIMZA, REQUEST_STATUS, GtkBox)

/* Shows a spinner with @busy_text and a Cancel button; returns the
 * cancellable for the request, owned by @self until the next begin.
 * Cancel, and disposing @self, cancel it; callbacks that get
 * %G_IO_ERROR_CANCELLED must return without touching their page. */
GCancellable *eimza_request_status_begin   (EimzaRequestStatus *self,
                                            const char         *busy_text);
/* The same for an operation that has its own cancellable: Cancel cancels
 * @operation. The status only holds it until the next begin, end or fail
 * (or its own dispose), and never cancels it for those. */
void          eimza_request_status_begin_for (EimzaRequestStatus *self,
                                              const char         *busy_text,
                                              GCancellable       *operation);
gboolean      eimza_request_status_is_busy (EimzaRequestStatus *self);
/* The request finished: hides the spinner and any earlier error. */
void          eimza_request_status_end     (EimzaRequestStatus *self);
/* The request failed: shows @error's message; with @can_retry a Try Again
 * button emits ::retry. A cancelled request just ends quietly. */
void          eimza_request_status_fail    (EimzaRequestStatus *self,
                                            const GError       *error,
                                            gboolean            can_retry);

/* Has a screen reader say @text now: a moment of the page's wait (a
 * countdown's mark, never its every second). A request's busy text is
 * said by begin itself. */
void          eimza_request_status_announce (EimzaRequestStatus *self,
                                             const char         *text);

G_END_DECLS
