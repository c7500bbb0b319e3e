/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the program tells the pages module once: portal, NES site, CA file, PKCS#11 module, demo. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_APP_CONFIG (eimza_app_config_get_type ())

G_DECLARE_FINAL_TYPE (EimzaAppConfig, eimza_app_config, EIMZA, APP_CONFIG, GObject)

/**
 * EimzaAppConfig:
 *
 * The application's choices for the pages module, made by the program
 * (command line, else settings, else the defaults decided here) and handed
 * to the module once, when it is loaded. Each value is read when it is
 * needed, so a setting changed while the application runs counts from the
 * next use on; #EimzaAppConfig:pkcs11-module is notified when it changes.
 *
 * Nothing here is read before the first frame: the settings are opened on
 * first use.
 */

/* The program's side: made by the application from its command line. */
EimzaAppConfig *eimza_app_config_new                    (void);
/* The command line's values (each nullable: as the settings say). */
void            eimza_app_config_set_portal             (EimzaAppConfig *self,
                                                         const char     *profile,
                                                         const char     *url,
                                                         const char     *ca_file,
                                                         const char     *eonay_url);
/* The NES site's Şifreli Giriş when it is served elsewhere than the NES
 * site itself (the simulator's own listener, docs/unblock-protocol.md). */
void            eimza_app_config_set_sifreli_url        (EimzaAppConfig *self,
                                                         const char     *url);
void            eimza_app_config_set_pkcs11_module      (EimzaAppConfig *self,
                                                         const char     *path);
/* `--demo`: the card service loads @only_pkcs11_module (nullable: no
 * module at all) and no other, whatever the settings or the command line
 * say; @virtual_card: the demo's card is in no reader. */
void            eimza_app_config_set_demo               (EimzaAppConfig *self,
                                                         const char     *only_pkcs11_module,
                                                         gboolean        virtual_card);
/* In the demo: its person's birth date (dd.mm.yyyy), which the new PIN of
 * a PIN change must not be. */
void            eimza_app_config_set_demo_birth_date    (EimzaAppConfig *self,
                                                         const char     *birth_date);

/* The module's side. Strings are %NULL when unset or empty. */

/* The portal profile: a built-in profile's name or a file; never %NULL
 * (this is the one place that decides the default, "kamusm"). */
char           *eimza_app_config_dup_portal_profile     (EimzaAppConfig *self);
/* The portal's address (%NULL: the profile's). */
char           *eimza_app_config_dup_portal_url         (EimzaAppConfig *self);
/* The certificate authority to trust for a portal or NES site on this
 * computer (%NULL: the system's). */
char           *eimza_app_config_dup_portal_ca_file     (EimzaAppConfig *self);
/* The NES site for the e-onay (%NULL: the profile's). */
char           *eimza_app_config_dup_eonay_url          (EimzaAppConfig *self);
/* Şifreli Giriş's address (%NULL: the NES site's, eonay-url). */
char           *eimza_app_config_dup_sifreli_url        (EimzaAppConfig *self);
/* The card's PKCS#11 module when the automatic search does not find it
 * (%NULL: none); see #EimzaAppConfig:pkcs11-module. Not for the demo. */
char           *eimza_app_config_dup_pkcs11_module      (EimzaAppConfig *self);

/* Whether this is `eimza-asistan --demo`. */
gboolean        eimza_app_config_get_demo               (EimzaAppConfig *self);
/* In the demo: the one PKCS#11 module to load (%NULL: none). */
const char     *eimza_app_config_get_demo_pkcs11_module (EimzaAppConfig *self);
/* In the demo: its person's birth date as dd.mm.yyyy (%NULL: unknown). */
const char     *eimza_app_config_get_demo_birth_date    (EimzaAppConfig *self);
/* In the demo: whether its card is virtual (in no reader). */
gboolean        eimza_app_config_get_virtual_card       (EimzaAppConfig *self);

G_END_DECLS
