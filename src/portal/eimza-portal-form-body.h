/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form bodies the portal clients post, built without leaving copies of personal data behind. */
#pragma once

#include <glib.h>

#include "eimza-portal-profile.h"
#include "eimza-renewal-form.h"
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

/* A body that starts with a page's hidden fields (its view state):
 * @names and @values, %NULL-terminated, of the same length. */
EimzaPortalFormBody *eimza_portal_form_body_new_with_hidden (const char * const *names,
                                                             const char * const *values);

/* Ends @self (taken) with the pair of the submit button @name and the
 * @value the page gives it, as bytes that are wiped when released
 * (libsoup holds them until the message is done). */
GBytes              *eimza_portal_form_body_end_submit      (EimzaPortalFormBody *self,
                                                             const char          *name,
                                                             const char          *value);

/* What the person typed in @field of @form, as the portal of @profile
 * wants it: stripped, a choice mapped to the portal's option value (empty
 * when the profile's map lacks it), a birth date as gg.aa.yyyy. %NULL when
 * the profile names no such field. Free with eimza_wiped_string_free(). */
char                *eimza_portal_form_field_value          (EimzaPortalProfile  *profile,
                                                             EimzaRenewalForm    *form,
                                                             EimzaField           field);

/* Adds @field of @form under the profile's name for it, if it has one. */
void                 eimza_portal_form_body_add_field       (EimzaPortalFormBody *self,
                                                             EimzaPortalProfile  *profile,
                                                             EimzaRenewalForm    *form,
                                                             EimzaField           field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalFormBody, eimza_portal_form_body_free)

G_END_DECLS
