/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the PKCS#11 files of the card library. */
#pragma once

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"

G_BEGIN_DECLS

/* A snapshot of a token as @funcs reports it in @slot. */
EimzaPkcs11Token *eimza_pkcs11_token_new_from_info (CK_FUNCTION_LIST    *funcs,
                                                    CK_SLOT_ID           slot,
                                                    const CK_TOKEN_INFO *info,
                                                    gboolean             trust_store);

/* The module and slot GnuTLS uses for the token of @uri (a token or object
 * URI), after loading the modules. %EIMZA_CARD_ERROR_NO_CARD if none. */
gboolean          eimza_pkcs11_find_slot           (EimzaPkcs11         *self,
                                                    const char          *uri,
                                                    CK_FUNCTION_LIST   **funcs,
                                                    CK_SLOT_ID          *slot,
                                                    GError             **error);

/* Whether @funcs (as GnuTLS or p11-kit hand it out) may be used: always,
 * unless eimza_pkcs11_set_only_module() named another module. */
gboolean          eimza_pkcs11_allows_module       (EimzaPkcs11         *self,
                                                    CK_FUNCTION_LIST    *funcs);

/* With eimza_pkcs11_set_only_module(): whether @uri names a token of that
 * module (%EIMZA_CARD_ERROR_NO_CARD otherwise). Always %TRUE without. */
gboolean          eimza_pkcs11_check_uri_allowed   (EimzaPkcs11         *self,
                                                    const char          *uri,
                                                    GError             **error);

/* A copy of a blank-padded PKCS#11 string field, without the padding. */
char             *eimza_pkcs11_string_from_field   (const unsigned char *field,
                                                    gsize                length);

G_END_DECLS
