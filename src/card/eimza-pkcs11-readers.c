/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which PKCS#11 module is asked about which card in a reader. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "eimza-atr.h"
#include "eimza-pkcs11-private.h"

/*
 * Why this exists
 *
 * Debian's OpenSC module is registered with p11-kit whenever opensc is
 * installed, and OpenSC does not know today's AKİS cards. Every
 * C_GetSlotList() (and C_GetSlotInfo() at most once a second) makes it try
 * every card driver it has on a card it could not bind yet: hundreds of
 * APDUs, which take seconds with a real card, each time GnuTLS or we list
 * tokens. So, on the card worker, which knows the readers and their cards:
 *
 *  - A module is "reader-bound" when one of its slots is a PC/SC reader
 *    (the slot description names the reader, as OpenSC's and the AKİS
 *    module's do). That is learnt on the module's first look; a module
 *    with no reader slot (SoftHSM2, a software token) is asked every time,
 *    which costs no card a command.
 *  - A reader-bound module is asked only while some card in a reader needs
 *    it: a card it has not seen yet, or one it took (it showed a token in
 *    that reader). A card it looked at and did not take is remembered per
 *    reader and ATR, for as long as that card stays in (its insertion
 *    number): taken out and put back, it is looked at again.
 *  - A card whose ATR names its own module in data/card/atr.tsv (AKİS:
 *    libakisp11.so) belongs to that module whenever a module of that file
 *    name is loaded: no other module is asked on its account, and another
 *    module's token in that reader is not used.
 *
 * Skipping a module here is not enough on its own: GnuTLS asks every
 * module it holds for any URI that does not name a module. So the URIs of
 * tokens (and through them of certificates and keys) carry the module's
 * library-description and library-manufacturer, and GnuTLS then skips
 * the other modules (it matches the module before it lists slots).
 *
 * Without a reader list (an EimzaPkcs11 used outside the card worker, as
 * some tests and tools do) every module is asked every time, as before.
 */

/* What one module said about the card in one reader. */
typedef struct {
  char *atr;
  guint64 insertion;
  gboolean claimed;
} Look;

typedef enum {
  READERS_UNKNOWN,  /* not looked at yet with a reader to compare */
  READERS_NONE,     /* no slot is a PC/SC reader: asked every time */
  READERS_SOME,     /* reader-bound: asked only for the cards that need it */
} ReaderBinding;

typedef struct {
  ReaderBinding binding;
  GHashTable *looks;  /* reader name → Look */
} ModuleState;

struct _EimzaPkcs11Readers {
  gboolean known;     /* a reader list was given */
  GPtrArray *readers; /* of EimzaCardWorkerReader */
  GHashTable *modules; /* CK_FUNCTION_LIST * → ModuleState */
};

static void
look_free (gpointer data)
{
  Look *look = data;

  g_free (look->atr);
  g_free (look);
}

static void
module_state_free (gpointer data)
{
  ModuleState *state = data;

  g_hash_table_unref (state->looks);
  g_free (state);
}

EimzaPkcs11Readers *
eimza_pkcs11_readers_new (void)
{
  EimzaPkcs11Readers *self = g_new0 (EimzaPkcs11Readers, 1);

  self->readers = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                  eimza_card_worker_reader_free);
  self->modules = g_hash_table_new_full (NULL, NULL, NULL, module_state_free);
  return self;
}

void
eimza_pkcs11_readers_free (EimzaPkcs11Readers *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->readers);
  g_hash_table_unref (self->modules);
  g_free (self);
}

static const EimzaCardWorkerReader *
find_reader (EimzaPkcs11Readers *self,
             const char         *name)
{
  for (guint i = 0; i < self->readers->len; i++)
    {
      const EimzaCardWorkerReader *reader = g_ptr_array_index (self->readers, i);

      if (g_str_equal (reader->name, name))
        return reader;
    }

  return NULL;
}

/* Forgets what modules said about cards that are no longer in. */
static gboolean
look_is_stale (gpointer key,
               gpointer value,
               gpointer user_data)
{
  const EimzaCardWorkerReader *reader = find_reader (user_data, key);
  const Look *look = value;

  return reader == NULL || reader->insertion != look->insertion;
}

void
eimza_pkcs11_readers_update (EimzaPkcs11Readers *self,
                             GPtrArray          *readers)
{
  GHashTableIter iter;
  ModuleState *state;

  g_return_if_fail (self != NULL);
  g_return_if_fail (readers != NULL);

  self->known = TRUE;
  g_ptr_array_set_size (self->readers, 0);
  for (guint i = 0; i < readers->len; i++)
    {
      const EimzaCardWorkerReader *reader = g_ptr_array_index (readers, i);
      EimzaCardWorkerReader *copy = g_new0 (EimzaCardWorkerReader, 1);

      copy->name = g_strdup (reader->name);
      copy->atr = g_strdup (reader->atr);
      copy->insertion = reader->insertion;
      g_ptr_array_add (self->readers, copy);
    }

  g_hash_table_iter_init (&iter, self->modules);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &state))
    g_hash_table_foreach_remove (state->looks, look_is_stale, self);
}

static ModuleState *
module_state (EimzaPkcs11Readers *self,
              CK_FUNCTION_LIST   *funcs)
{
  ModuleState *state = g_hash_table_lookup (self->modules, funcs);

  if (state == NULL)
    {
      state = g_new0 (ModuleState, 1);
      state->binding = READERS_UNKNOWN;
      state->looks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, look_free);
      g_hash_table_insert (self->modules, funcs, state);
    }

  return state;
}

/* The module a card in @reader belongs to (its file name), when one of that
 * name is loaded; else %NULL. */
static const char *
owning_module (const EimzaCardWorkerReader *reader,
               GPtrArray                   *handles)
{
  const char *wanted = reader->insertion != 0 ? eimza_atr_lookup_module_hex (reader->atr) : NULL;

  if (wanted == NULL)
    return NULL;

  for (guint i = 0; i < handles->len; i++)
    {
      const EimzaPkcs11Handle *handle = g_ptr_array_index (handles, i);
      g_autofree char *base = g_path_get_basename (handle->path);

      if (g_str_equal (base, wanted))
        return wanted;
    }

  return NULL;
}

static gboolean
handle_is (const EimzaPkcs11Handle *handle,
           const char              *module_name)
{
  g_autofree char *base = g_path_get_basename (handle->path);

  return g_str_equal (base, module_name);
}

/* Whether the card in @reader is no business of @handle's module: it
 * belongs to another one. */
static gboolean
kept_away (const EimzaCardWorkerReader *reader,
           const EimzaPkcs11Handle     *handle,
           GPtrArray                   *handles)
{
  const char *owner = owning_module (reader, handles);

  return owner != NULL && !handle_is (handle, owner);
}

/* Whether the card in @reader needs @handle's module to be asked. */
static gboolean
card_needs_module (EimzaPkcs11Readers          *self,
                   const EimzaCardWorkerReader *reader,
                   const EimzaPkcs11Handle     *handle,
                   GPtrArray                   *handles)
{
  ModuleState *state = module_state (self, handle->funcs);
  const Look *look;

  if (reader->insertion == 0 || kept_away (reader, handle, handles))
    return FALSE;

  look = g_hash_table_lookup (state->looks, reader->name);
  return look == NULL || look->insertion != reader->insertion || look->claimed;
}

static gboolean
should_ask (EimzaPkcs11Readers      *self,
            const EimzaPkcs11Handle *handle,
            GPtrArray               *handles)
{
  ModuleState *state;

  if (!self->known)
    return TRUE;

  state = module_state (self, handle->funcs);
  if (state->binding != READERS_SOME)
    return TRUE;

  for (guint i = 0; i < self->readers->len; i++)
    if (card_needs_module (self, g_ptr_array_index (self->readers, i), handle, handles))
      return TRUE;

  return FALSE;
}

/* The reader a slot is, from its description: the reader's name, cut at
 * 64 bytes, or within a longer text. */
static const EimzaCardWorkerReader *
slot_reader (EimzaPkcs11Readers *self,
             const char         *description)
{
  if (*description == '\0')
    return NULL;

  for (guint i = 0; i < self->readers->len; i++)
    {
      const EimzaCardWorkerReader *reader = g_ptr_array_index (self->readers, i);

      if (strstr (description, reader->name) != NULL ||
          (strlen (description) >= 32 && g_str_has_prefix (reader->name, description)))
        return reader;
    }

  return NULL;
}

/* The module's slots, in one C_GetSlotList() when they fit (OpenSC probes
 * the cards in each call). The first look takes every slot, since a
 * reader without a card still shows that the module is reader-bound;
 * after that only slots with a token matter. */
static CK_SLOT_ID *
list_slots (CK_FUNCTION_LIST *funcs,
            gboolean          all,
            CK_ULONG         *n_slots)
{
  CK_SLOT_ID *slots = g_new0 (CK_SLOT_ID, 64);
  CK_RV rv;

  *n_slots = 64;
  rv = funcs->C_GetSlotList (all ? CK_FALSE : CK_TRUE, slots, n_slots);
  if (rv == CKR_BUFFER_TOO_SMALL)
    {
      slots = g_renew (CK_SLOT_ID, slots, *n_slots);
      rv = funcs->C_GetSlotList (all ? CK_FALSE : CK_TRUE, slots, n_slots);
    }
  if (rv != CKR_OK)
    *n_slots = 0;

  return slots;
}

GPtrArray *
eimza_pkcs11_readers_list_tokens (EimzaPkcs11Readers      *self,
                                  const EimzaPkcs11Handle *handle,
                                  GPtrArray               *handles,
                                  gboolean                 trust_store)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                eimza_pkcs11_token_unref);
  g_autoptr(GHashTable) claimed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree CK_SLOT_ID *slots = NULL;
  CK_FUNCTION_LIST *funcs = handle->funcs;
  gboolean bound = FALSE;
  ModuleState *state;
  CK_ULONG n_slots = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (!should_ask (self, handle, handles))
    {
      g_debug ("PKCS#11 module %s not asked: no card in a reader needs it", handle->path);
      return g_steal_pointer (&tokens);
    }

  state = module_state (self, funcs);

  slots = list_slots (funcs, state->binding == READERS_UNKNOWN, &n_slots);
  for (CK_ULONG i = 0; i < n_slots; i++)
    {
      const EimzaCardWorkerReader *reader = NULL;
      CK_SLOT_INFO slot_info;
      CK_TOKEN_INFO token_info;

      if (funcs->C_GetSlotInfo (slots[i], &slot_info) != CKR_OK)
        continue;

      if (self->known)
        {
          g_autofree char *description =
            eimza_pkcs11_string_from_field (slot_info.slotDescription,
                                            sizeof slot_info.slotDescription);

          reader = slot_reader (self, description);
          bound = bound || reader != NULL;
        }

      if (!(slot_info.flags & CKF_TOKEN_PRESENT))
        continue;
      /* Another module's card, even if this one thinks it knows it. */
      if (reader != NULL && kept_away (reader, handle, handles))
        continue;
      if (funcs->C_GetTokenInfo (slots[i], &token_info) != CKR_OK)
        continue;

      g_ptr_array_add (tokens, eimza_pkcs11_token_new_from_info (funcs, slots[i], &token_info,
                                                                 trust_store));
      if (reader != NULL)
        g_hash_table_add (claimed, reader->name);
    }

  if (!self->known)
    return g_steal_pointer (&tokens);

  /* Only a look at all slots, with readers to compare, tells a software
   * token apart. */
  if (bound)
    state->binding = READERS_SOME;
  else if (state->binding == READERS_UNKNOWN && self->readers->len > 0)
    state->binding = READERS_NONE;

  for (guint i = 0; i < self->readers->len; i++)
    {
      const EimzaCardWorkerReader *reader = g_ptr_array_index (self->readers, i);
      Look *look;

      if (reader->insertion == 0 || kept_away (reader, handle, handles))
        continue;

      look = g_new0 (Look, 1);
      look->atr = g_strdup (reader->atr);
      look->insertion = reader->insertion;
      look->claimed = g_hash_table_contains (claimed, reader->name);
      g_hash_table_replace (state->looks, g_strdup (reader->name), look);
    }

  return g_steal_pointer (&tokens);
}

GStrv
eimza_pkcs11_readers_get_kept_away (EimzaPkcs11Readers      *self,
                                    const EimzaPkcs11Handle *handle,
                                    GPtrArray               *handles)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; self->known && i < self->readers->len; i++)
    {
      const EimzaCardWorkerReader *reader = g_ptr_array_index (self->readers, i);

      if (kept_away (reader, handle, handles))
        g_strv_builder_add (names, reader->name);
    }

  return g_strv_builder_end (names);
}

GStrv
eimza_pkcs11_readers_get_declined (EimzaPkcs11Readers      *self,
                                   const EimzaPkcs11Handle *handle)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  ModuleState *state = g_hash_table_lookup (self->modules, handle->funcs);
  GHashTableIter iter;
  const char *name;
  const Look *look;

  if (state != NULL && state->binding == READERS_SOME)
    {
      g_hash_table_iter_init (&iter, state->looks);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &look))
        if (!look->claimed)
          g_strv_builder_add (names, name);
    }

  return g_strv_builder_end (names);
}
