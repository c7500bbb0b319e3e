/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form bodies the portal clients post, built without leaving copies of personal data behind. */
#pragma once

#include <glib.h>

#include "eimza-wiped-buffer.h"

G_BEGIN_DECLS

/*
 * An application/x-www-form-urlencoded body, as browsers write it. The
 * bodies hold T.C. Kimlik numbers, names, the security word and SMS codes:
 * the pairs are kept in wiped copies until the body is ended, and the body
 * is encoded into one EimzaWipedBuffer of exactly its size, so that no
 * reallocation leaves an unwiped copy in freed memory.
 */
typedef struct _EimzaPortalFormBody EimzaPortalFormBody;

EimzaPortalFormBody *eimza_portal_form_body_new  (void);
void                 eimza_portal_form_body_free (EimzaPortalFormBody *self);

/* Adds a pair; @value %NULL is sent empty. Both are copied. */
void                 eimza_portal_form_body_add  (EimzaPortalFormBody *self,
                                                  const char          *name,
                                                  const char          *value);

/* The encoded body, in a buffer whose capacity is its length. Takes
 * @self, wiping its copies. */
EimzaWipedBuffer    *eimza_portal_form_body_end  (EimzaPortalFormBody *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalFormBody, eimza_portal_form_body_free)

G_END_DECLS
