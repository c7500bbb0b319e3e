/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Turkey's provinces, districts and postal codes, from a compact data file. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Opaque and immutable once loaded, so it can be shared between threads. */
typedef struct _EimzaGeo EimzaGeo;

#define EIMZA_GEO_ERROR (eimza_geo_error_quark ())

typedef enum {
  EIMZA_GEO_ERROR_PARSE,
} EimzaGeoError;

GQuark      eimza_geo_error_quark         (void);

/* The data compiled into the program (GResource
 * /io/github/eimza/Asistan/data/tr-geo.tsv), parsed on first use from any
 * thread, shared and never freed. Unreadable data is a broken build, so it
 * aborts instead of returning NULL. */
EimzaGeo   *eimza_geo_get_default         (void);

EimzaGeo   *eimza_geo_new_from_bytes      (GBytes        *bytes,
                                           GError       **error);
void        eimza_geo_free                (EimzaGeo      *geo);

/* Provinces are in Turkish alphabetical order, as in the data file. */
guint       eimza_geo_get_n_provinces     (EimzaGeo      *geo);
const char *eimza_geo_get_province_name   (EimzaGeo      *geo,
                                           guint          province);
/* Two-digit plate code, "01" .. "81". */
const char *eimza_geo_get_province_plate  (EimzaGeo      *geo,
                                           guint          province);
/* The find functions match exactly (no case folding, no trimming) and
 * accept NULL, which is never found, for "nothing chosen yet". */
gboolean    eimza_geo_find_province       (EimzaGeo      *geo,
                                           const char    *plate_code,
                                           guint         *out_province);

guint       eimza_geo_get_n_districts     (EimzaGeo      *geo,
                                           guint          province);
const char *eimza_geo_get_district_name   (EimzaGeo      *geo,
                                           guint          province,
                                           guint          district);
gboolean    eimza_geo_find_district       (EimzaGeo      *geo,
                                           guint          province,
                                           const char    *district_name,
                                           guint         *out_district);
/* The district's postal codes, NULL-terminated, owned by @geo. */
const char * const *
            eimza_geo_get_postal_codes    (EimzaGeo      *geo,
                                           guint          province,
                                           guint          district);
/* Where a five-digit code belongs (its first district), if anywhere; a
 * binary search. Anything else, NULL included, is never found. */
gboolean    eimza_geo_locate_postal_code  (EimzaGeo      *geo,
                                           const char    *postal_code,
                                           guint         *out_province,
                                           guint         *out_district);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaGeo, eimza_geo_free)

G_END_DECLS
