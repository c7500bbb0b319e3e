/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the PKCS#11 files of the card library. */
#pragma once

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"

G_BEGIN_DECLS

typedef struct _EimzaPkcs11Readers EimzaPkcs11Readers;

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

/* A loaded module that may be used (eimza_pkcs11_allows_module()). */
typedef struct {
  CK_FUNCTION_LIST *funcs;  /* p11-kit managed and initialised; owned by the EimzaPkcs11 */
  char *path;               /* as found (a vendor module: in its directory) */
  gboolean trust_store;     /* a trust-policy module (the system's CA store) */
} EimzaPkcs11Handle;

/* After loading the modules: every module of @self that may be used, the
 * registered ones first. (element-type EimzaPkcs11Handle) */
GPtrArray        *eimza_pkcs11_get_handles         (EimzaPkcs11         *self);

/* What eimza-pkcs11-readers.c knows of the readers and of what each module
 * said about their cards; owned by the EimzaPkcs11. */
EimzaPkcs11Readers *eimza_pkcs11_get_readers_state (EimzaPkcs11         *self);

EimzaPkcs11Readers *eimza_pkcs11_readers_new       (void);
void              eimza_pkcs11_readers_free        (EimzaPkcs11Readers  *self);
/* The readers now (element-type EimzaCardWorkerReader; copied); forgets
 * what was said about cards taken out since. */
void              eimza_pkcs11_readers_update      (EimzaPkcs11Readers  *self,
                                                    GPtrArray           *readers);
/* The tokens of @handle's module, if it is to be asked at all, without
 * those in a reader whose card belongs to another module of @handles.
 * (element-type EimzaPkcs11Token) */
GPtrArray        *eimza_pkcs11_readers_list_tokens (EimzaPkcs11Readers      *self,
                                                    const EimzaPkcs11Handle *handle,
                                                    GPtrArray               *handles,
                                                    gboolean                 trust_store);
/* The readers whose card belongs to another module than @handle's. */
GStrv             eimza_pkcs11_readers_get_kept_away (EimzaPkcs11Readers      *self,
                                                      const EimzaPkcs11Handle *handle,
                                                      GPtrArray               *handles);
/* The readers whose card @handle's module looked at and did not take. */
GStrv             eimza_pkcs11_readers_get_declined (EimzaPkcs11Readers      *self,
                                                     const EimzaPkcs11Handle *handle);

/* The token in @slot of @funcs as it is now. */
EimzaPkcs11Token *eimza_pkcs11_read_token          (CK_FUNCTION_LIST    *funcs,
                                                    CK_SLOT_ID           slot,
                                                    GError             **error);
/* Whether @pin is not empty and within the token's declared lengths
 * (%EIMZA_CARD_ERROR_PIN_INVALID otherwise): checked before a PIN is
 * sent, as a card may count a malformed one as a wrong try. */
gboolean          eimza_pkcs11_check_pin_form      (EimzaPkcs11Token    *token,
                                                    EimzaSecret         *pin,
                                                    GError             **error);

/* A copy of a blank-padded PKCS#11 string field, without the padding. */
char             *eimza_pkcs11_string_from_field   (const unsigned char *field,
                                                    gsize                length);

G_END_DECLS
