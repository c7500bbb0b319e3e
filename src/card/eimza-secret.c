/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small secure buffer for PINs: locked in memory, wiped when freed. */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eimza-secret.h"

/* The header and the value share one anonymous mapping, so that nothing
 * about the secret lives in the ordinary heap and unlocking it can never
 * unlock a page that another secret still needs. */
struct _EimzaSecret
{
  gatomicrefcount ref_count;
  gsize mapping_size;
  gsize length;
  gboolean locked;
  char value[];
};

G_DEFINE_BOXED_TYPE (EimzaSecret, eimza_secret, eimza_secret_ref, eimza_secret_unref)

static gsize
page_size (void)
{
  static gsize size;

  if (g_once_init_enter (&size))
    {
      long value = sysconf (_SC_PAGESIZE);

      g_once_init_leave (&size, value > 0 ? (gsize) value : 4096);
    }

  return size;
}

/**
 * eimza_secret_new:
 * @value: (array length=length): the secret bytes, usually UTF-8 digits
 * @length: the length of @value, or -1 if it is NUL-terminated
 *
 * Copies @value into a new locked buffer. The caller should wipe its own
 * copy as soon as possible.
 *
 * Returns: (transfer full): a new #EimzaSecret
 */
EimzaSecret *
eimza_secret_new (const char *value,
                  gssize      length)
{
  EimzaSecret *secret;
  gsize needed;
  gsize mapping_size;
  gsize page = page_size ();
  void *mem;

  g_return_val_if_fail (value != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (value);

  needed = sizeof (EimzaSecret) + (gsize) length + 1;
  mapping_size = (needed + page - 1) / page * page;

  mem = mmap (NULL, mapping_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    g_error ("Could not allocate %" G_GSIZE_FORMAT " bytes for a secret", mapping_size);

  secret = mem;
  g_atomic_ref_count_init (&secret->ref_count);
  secret->mapping_size = mapping_size;
  secret->length = (gsize) length;
  /* mlock() fails for unprivileged users over RLIMIT_MEMLOCK; the secret
   * still works, it just may be swapped out. */
  secret->locked = mlock (mem, mapping_size) == 0;
#ifdef MADV_DONTDUMP
  madvise (mem, mapping_size, MADV_DONTDUMP);
#endif
#ifdef MADV_WIPEONFORK
  madvise (mem, mapping_size, MADV_WIPEONFORK);
#endif

  if (length > 0)
    memcpy (secret->value, value, (gsize) length);
  secret->value[length] = '\0';

  return secret;
}

EimzaSecret *
eimza_secret_ref (EimzaSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  g_atomic_ref_count_inc (&secret->ref_count);
  return secret;
}

void
eimza_secret_unref (EimzaSecret *secret)
{
  gsize mapping_size;
  gboolean locked;

  g_return_if_fail (secret != NULL);

  if (!g_atomic_ref_count_dec (&secret->ref_count))
    return;

  mapping_size = secret->mapping_size;
  locked = secret->locked;

  explicit_bzero (secret, mapping_size);
  if (locked)
    munlock (secret, mapping_size);
  munmap (secret, mapping_size);
}

/**
 * eimza_secret_get:
 * @secret: an #EimzaSecret
 * @length: (out) (optional): the length of the value
 *
 * Returns: the NUL-terminated value, valid while @secret is alive. Do not
 *   copy it anywhere but into the function that needs it.
 */
const char *
eimza_secret_get (const EimzaSecret *secret,
                  gsize             *length)
{
  g_return_val_if_fail (secret != NULL, NULL);

  if (length != NULL)
    *length = secret->length;
  return secret->value;
}

gsize
eimza_secret_get_length (const EimzaSecret *secret)
{
  g_return_val_if_fail (secret != NULL, 0);

  return secret->length;
}

gboolean
eimza_secret_is_empty (const EimzaSecret *secret)
{
  return secret == NULL || secret->length == 0;
}

/**
 * eimza_secret_is_locked:
 * @secret: an #EimzaSecret
 *
 * Returns: whether the memory of @secret could be locked against swapping
 */
gboolean
eimza_secret_is_locked (const EimzaSecret *secret)
{
  g_return_val_if_fail (secret != NULL, FALSE);

  return secret->locked;
}
