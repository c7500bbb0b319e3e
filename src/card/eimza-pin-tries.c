/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How many PIN (and unblock code) tries a card has left, as far as can be known without spending one. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-pin-tries.h"

/* What was seen of one token. */
typedef struct {
  guint n_wrong[2];              /* per EimzaPinTriesKind, since the last correct one */
  gboolean count_low_seen[2];    /* the token was seen to set its count-low flag */
} Seen;

struct _EimzaPinTries
{
  GObject parent_instance;

  GHashTable *seen;              /* token key → Seen */
};

G_DEFINE_FINAL_TYPE (EimzaPinTries, eimza_pin_tries, G_TYPE_OBJECT)

static EimzaPkcs11TokenFlags
flag_for (EimzaPinTriesKind     kind,
          EimzaPkcs11TokenFlags pin_flag,
          EimzaPkcs11TokenFlags so_flag)
{
  return kind == EIMZA_PIN_TRIES_UNBLOCK ? so_flag : pin_flag;
}

EimzaPinTriesLeft
eimza_pin_tries_compute (EimzaPkcs11TokenFlags flags,
                         EimzaPinTriesKind     kind,
                         guint                 n_seen_wrong)
{
  EimzaPinTriesLeft left = { EIMZA_PIN_TRIES_CARD_POLICY, FALSE, n_seen_wrong };

  if (flags & flag_for (kind, EIMZA_PKCS11_TOKEN_PIN_LOCKED, EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED))
    {
      left.left = 0;
      left.exact = TRUE;
      left.n_wrong = MAX (n_seen_wrong, EIMZA_PIN_TRIES_CARD_POLICY);
      return left;
    }

  if (flags & flag_for (kind, EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY,
                        EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY))
    {
      left.left = 1;
      left.exact = TRUE;
      left.n_wrong = MAX (n_seen_wrong, EIMZA_PIN_TRIES_CARD_POLICY - 1);
      return left;
    }

  /* Count-low: at least one wrong entry, whether this application saw it
   * or not. */
  if (flags & flag_for (kind, EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW,
                        EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW))
    left.n_wrong = MAX (left.n_wrong, 1);

  /* Not locked: at least one try, whatever was counted (a module that
   * never locks, like SoftHSM2, or a count that missed a correct entry). */
  left.left = left.n_wrong < EIMZA_PIN_TRIES_CARD_POLICY
              ? EIMZA_PIN_TRIES_CARD_POLICY - left.n_wrong : 1;

  return left;
}

char *
eimza_pin_tries_describe (const EimzaPinTriesLeft *left,
                          EimzaPinTriesKind        kind)
{
  g_return_val_if_fail (left != NULL, NULL);

  if (kind == EIMZA_PIN_TRIES_UNBLOCK)
    {
      if (left->left == 0)
        return g_strdup (_("No unblock code tries left: the card can no longer be unlocked."));
      if (left->exact)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unblock code try left.",
                                             "%u unblock code tries left.", left->left),
                                left->left);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At most %u unblock code try left.",
                                           "At most %u unblock code tries left.", left->left),
                              left->left);
    }

  if (left->left == 0)
    return g_strdup (_("No PIN tries left: the PIN is locked."));
  if (left->exact)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u PIN try left.",
                                         "%u PIN tries left.", left->left),
                            left->left);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At most %u PIN try left.",
                                       "At most %u PIN tries left.", left->left),
                          left->left);
}

/* A token is its card: the same serial of the same maker and model. */
static char *
token_key (EimzaPkcs11Token *token)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", eimza_pkcs11_token_get_manufacturer (token),
                          eimza_pkcs11_token_get_model (token),
                          eimza_pkcs11_token_get_serial (token));
}

static Seen *
lookup_seen (EimzaPinTries    *self,
             EimzaPkcs11Token *token,
             gboolean          create)
{
  g_autofree char *key = token_key (token);
  Seen *seen = g_hash_table_lookup (self->seen, key);

  if (seen == NULL && create)
    {
      seen = g_new0 (Seen, 1);
      g_hash_table_insert (self->seen, g_steal_pointer (&key), seen);
    }

  return seen;
}

void
eimza_pin_tries_note_wrong (EimzaPinTries     *self,
                            EimzaPkcs11Token  *token,
                            EimzaPinTriesKind  kind)
{
  Seen *seen;

  g_return_if_fail (EIMZA_IS_PIN_TRIES (self));
  g_return_if_fail (token != NULL);

  seen = lookup_seen (self, token, TRUE);
  if (seen->n_wrong[kind] < G_MAXUINT)
    seen->n_wrong[kind]++;
}

void
eimza_pin_tries_note_correct (EimzaPinTries     *self,
                              EimzaPkcs11Token  *token,
                              EimzaPinTriesKind  kind)
{
  Seen *seen;

  g_return_if_fail (EIMZA_IS_PIN_TRIES (self));
  g_return_if_fail (token != NULL);

  seen = lookup_seen (self, token, FALSE);
  if (seen == NULL)
    return;

  seen->n_wrong[kind] = 0;
  /* A correct unblock code sets a new PIN: the PIN's tries are whole. */
  if (kind == EIMZA_PIN_TRIES_UNBLOCK)
    seen->n_wrong[EIMZA_PIN_TRIES_PIN] = 0;
}

EimzaPinTriesLeft
eimza_pin_tries_get (EimzaPinTries     *self,
                     EimzaPkcs11Token  *token,
                     EimzaPinTriesKind  kind)
{
  EimzaPkcs11TokenFlags flags;
  EimzaPinTriesLeft none = { EIMZA_PIN_TRIES_CARD_POLICY, FALSE, 0 };
  gboolean count_low;
  Seen *seen;

  g_return_val_if_fail (EIMZA_IS_PIN_TRIES (self), none);
  g_return_val_if_fail (token != NULL, none);

  flags = eimza_pkcs11_token_get_flags (token);
  count_low = (flags & flag_for (kind, EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW,
                                 EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW)) != 0;
  seen = lookup_seen (self, token, FALSE);
  if (seen != NULL)
    {
      if (count_low)
        seen->count_low_seen[kind] = TRUE;
      /* The module tells wrong entries by this flag, and it is clear now:
       * a correct entry this application did not see (another program,
       * another computer) started the count again. */
      else if (seen->count_low_seen[kind] &&
               !(flags & flag_for (kind, EIMZA_PKCS11_TOKEN_PIN_LOCKED,
                                   EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED)))
        seen->n_wrong[kind] = 0;
    }

  return eimza_pin_tries_compute (flags, kind, seen != NULL ? seen->n_wrong[kind] : 0);
}

char *
eimza_pin_tries_describe_token (EimzaPinTries     *self,
                                EimzaPkcs11Token  *token,
                                EimzaPinTriesKind  kind)
{
  EimzaPinTriesLeft left = eimza_pin_tries_get (self, token, kind);

  return eimza_pin_tries_describe (&left, kind);
}

static void
eimza_pin_tries_finalize (GObject *object)
{
  EimzaPinTries *self = EIMZA_PIN_TRIES (object);

  g_hash_table_unref (self->seen);

  G_OBJECT_CLASS (eimza_pin_tries_parent_class)->finalize (object);
}

static void
eimza_pin_tries_class_init (EimzaPinTriesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_pin_tries_finalize;
}

static void
eimza_pin_tries_init (EimzaPinTries *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

EimzaPinTries *
eimza_pin_tries_new (void)
{
  return g_object_new (EIMZA_TYPE_PIN_TRIES, NULL);
}

EimzaPinTries *
eimza_pin_tries_get_default (void)
{
  static EimzaPinTries *default_tries;

  /* Main thread only; kept for the application's life. */
  if (default_tries == NULL)
    default_tries = eimza_pin_tries_new ();

  return default_tries;
}
