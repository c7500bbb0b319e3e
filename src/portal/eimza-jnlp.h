/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A Java Web Start (.jnlp) descriptor, read defensively and never run. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-profile.h"

G_BEGIN_DECLS

#define EIMZA_JNLP_ERROR (eimza_jnlp_error_quark ())

/**
 * EimzaJnlpError:
 * @EIMZA_JNLP_ERROR_NOT_JNLP: the file is empty or not a JNLP document at
 *   all (another XML root, HTML, binary data).
 * @EIMZA_JNLP_ERROR_MALFORMED: a JNLP document that is not well-formed, cut
 *   off, not UTF-8, or has what no real descriptor has: a DOCTYPE with an
 *   internal subset (entity declarations), entity references, nesting
 *   deeper than %EIMZA_JNLP_MAX_DEPTH, more jars or arguments than allowed,
 *   several application descriptions, a jar without an address.
 * @EIMZA_JNLP_ERROR_TOO_LARGE: larger than %EIMZA_JNLP_MAX_SIZE; not parsed.
 * @EIMZA_JNLP_ERROR_INSECURE_CODEBASE: the codebase, the descriptor's own
 *   address or a jar is not an https:// URL with a plain host name (http:,
 *   file:, javascript:, data:, relative, user name in the URL, missing).
 * @EIMZA_JNLP_ERROR_UNKNOWN_APP: a sound descriptor, but not one of the
 *   signing applications the portal profile lists; the message names the
 *   host it comes from.
 *
 * Every message is a translated sentence for people.
 */
typedef enum {
  EIMZA_JNLP_ERROR_NOT_JNLP,
  EIMZA_JNLP_ERROR_MALFORMED,
  EIMZA_JNLP_ERROR_TOO_LARGE,
  EIMZA_JNLP_ERROR_INSECURE_CODEBASE,
  EIMZA_JNLP_ERROR_UNKNOWN_APP,
} EimzaJnlpError;

/* What the descriptor asks of Java's security manager (<security>). */
typedef enum {
  EIMZA_JNLP_SECURITY_SANDBOX,
  EIMZA_JNLP_SECURITY_J2EE_CLIENT,
  EIMZA_JNLP_SECURITY_ALL_PERMISSIONS,
} EimzaJnlpSecurity;

/* What eimza_jnlp_recognise() found. */
typedef enum {
  EIMZA_JNLP_KIND_UNKNOWN,
  /* Kamu SM's (or the simulator's) desktop signer: it asks for the code the
   * web site shows and signs with the card. The assistant does its work. */
  EIMZA_JNLP_KIND_SIGNER,
} EimzaJnlpKind;

/* Limits on hostile input. Real Kamu SM descriptors are about 1 KiB, four
 * levels deep, with one jar and no arguments. */
#define EIMZA_JNLP_MAX_SIZE      (256 * 1024)
#define EIMZA_JNLP_MAX_DEPTH     16
#define EIMZA_JNLP_MAX_ELEMENTS  2048
#define EIMZA_JNLP_MAX_JARS      64
#define EIMZA_JNLP_MAX_ARGUMENTS 64
#define EIMZA_JNLP_MAX_TEXT      4096

#define EIMZA_TYPE_JNLP (eimza_jnlp_get_type ())

G_DECLARE_FINAL_TYPE (EimzaJnlp, eimza_jnlp, EIMZA, JNLP, GObject)

GQuark              eimza_jnlp_error_quark      (void);

/* Reads @bytes, the contents of a .jnlp file. Pure: nothing is fetched,
 * no DTD or entity is loaded or expanded, nothing is run. The result is
 * immutable and only holds https:// URLs. */
EimzaJnlp          *eimza_jnlp_new_from_bytes   (GBytes      *bytes,
                                                 GError     **error);

/* The codebase as an https:// URL ending in "/", and its host in lower
 * case. */
const char         *eimza_jnlp_get_codebase     (EimzaJnlp   *self);
const char         *eimza_jnlp_get_codebase_host (EimzaJnlp  *self);
/* The descriptor's own address (<jnlp href>), resolved; or NULL. */
const char         *eimza_jnlp_get_href         (EimzaJnlp   *self);
/* <information> texts, white space collapsed, control and format
 * characters removed; NULL when missing or empty. */
const char         *eimza_jnlp_get_title        (EimzaJnlp   *self);
const char         *eimza_jnlp_get_vendor       (EimzaJnlp   *self);
/* The jars of every <resources>, resolved against the codebase, in document
 * order; NULL-terminated, never NULL, possibly empty. */
const char * const *eimza_jnlp_get_jars         (EimzaJnlp   *self);
/* The jar with main="true", else the first one; NULL when there is none. */
const char         *eimza_jnlp_get_main_jar     (EimzaJnlp   *self);
/* main-class of <application-desc> or <applet-desc>, or NULL. */
const char         *eimza_jnlp_get_main_class   (EimzaJnlp   *self);
/* <application-desc> <argument>s, trimmed; NULL-terminated, never NULL. */
const char * const *eimza_jnlp_get_arguments    (EimzaJnlp   *self);
EimzaJnlpSecurity   eimza_jnlp_get_security     (EimzaJnlp   *self);

/* Whether @self is one of the signing applications that @profile lists
 * ([jnlp]): https codebase on a listed host, every jar from a listed host,
 * a listed main class. Returns %EIMZA_JNLP_KIND_UNKNOWN and sets
 * %EIMZA_JNLP_ERROR_UNKNOWN_APP (naming the host) otherwise. */
EimzaJnlpKind       eimza_jnlp_recognise        (EimzaJnlp           *self,
                                                 EimzaPortalProfile  *profile,
                                                 GError             **error);

/* A translated phrase naming the application and where it comes from, for
 * the UI: "Kamu SM signing application from onlineislemler.kamusm.gov.tr". */
char               *eimza_jnlp_describe         (EimzaJnlp   *self,
                                                 EimzaJnlpKind kind);

G_END_DECLS
