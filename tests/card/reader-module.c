/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test PKCS#11 module whose slots are card readers and that takes no card (OpenSC with an unknown card). */

/*
 * Debian's OpenSC module shows one slot per PC/SC reader (the slot
 * description is the reader's name) and probes the card in it with every
 * driver it has on each C_GetSlotList(); a card it does not know leaves
 * the slot without a token. This module plays that part without a card:
 *
 *   EIMZA_READER_MODULE_READERS  reader names, separated by '|': one slot
 *                                each, described by that name, never with
 *                                a token
 *   EIMZA_READER_MODULE_CALLS    a file: every C_GetSlotList (where
 *                                OpenSC probes the cards) appends a line
 *                                "C_GetSlotList", every C_GetSlotInfo a
 *                                line "C_GetSlotInfo", so a test can tell
 *                                whether the module was asked
 *
 * Every other function returns CKR_FUNCTION_NOT_SUPPORTED (no token, so
 * no session, no object). Like pin-policy-module.c it uses only libc and
 * p11-kit's pkcs11.h.
 */

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkcs11-functions.h"

#define MAX_READERS 8
#define DESCRIPTION "EIMZA reader test module"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;
static CK_FUNCTION_LIST functions;

static void
pad_copy (unsigned char *dest,
          size_t         dest_len,
          const char    *src,
          size_t         src_len)
{
  memset (dest, ' ', dest_len);
  memcpy (dest, src, src_len < dest_len ? src_len : dest_len);
}

static void
record_call (const char *name)
{
  const char *path = getenv ("EIMZA_READER_MODULE_CALLS");
  char line[64];
  int length;
  int fd;

  if (path == NULL || *path == '\0')
    return;

  length = snprintf (line, sizeof line, "%s\n", name);
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  if (length > 0 && write (fd, line, (size_t) length) < 0)
    fprintf (stderr, "reader-module: cannot write %s\n", path);
  close (fd);
}

/* The @index-th reader name (start and length in the variable), or 0. */
static int
reader_name (unsigned long  index,
             const char   **start,
             size_t        *length)
{
  const char *p = getenv ("EIMZA_READER_MODULE_READERS");

  if (p == NULL || *p == '\0')
    return 0;

  for (unsigned long i = 0; i < MAX_READERS; i++)
    {
      const char *end = strchr (p, '|');
      size_t len = end != NULL ? (size_t) (end - p) : strlen (p);

      if (i == index)
        {
          *start = p;
          *length = len;
          return 1;
        }
      if (end == NULL)
        return 0;
      p = end + 1;
    }

  return 0;
}

static unsigned long
n_readers (void)
{
  const char *start;
  size_t length;
  unsigned long n = 0;

  while (reader_name (n, &start, &length))
    n++;
  return n;
}

static CK_RV
reader_initialize (void *init_args)
{
  CK_RV rv = CKR_OK;

  pthread_mutex_lock (&lock);
  if (initialized)
    rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
  else
    initialized = 1;
  pthread_mutex_unlock (&lock);
  return rv;
}

static CK_RV
reader_finalize (void *reserved)
{
  CK_RV rv = CKR_OK;

  pthread_mutex_lock (&lock);
  if (!initialized)
    rv = CKR_CRYPTOKI_NOT_INITIALIZED;
  initialized = 0;
  pthread_mutex_unlock (&lock);
  return rv;
}

static CK_RV
reader_get_info (CK_INFO *info)
{
  if (info == NULL)
    return CKR_ARGUMENTS_BAD;

  memset (info, 0, sizeof *info);
  info->cryptokiVersion.major = 2;
  info->cryptokiVersion.minor = 40;
  pad_copy (info->manufacturerID, sizeof info->manufacturerID, "EIMZA tests", 11);
  pad_copy (info->libraryDescription, sizeof info->libraryDescription, DESCRIPTION,
            strlen (DESCRIPTION));
  info->libraryVersion.major = 1;
  return CKR_OK;
}

static CK_RV
reader_get_slot_list (unsigned char  token_present,
                      CK_SLOT_ID    *slot_list,
                      unsigned long *count)
{
  unsigned long n = token_present ? 0 : n_readers ();

  record_call ("C_GetSlotList");
  if (count == NULL)
    return CKR_ARGUMENTS_BAD;
  if (slot_list == NULL)
    {
      *count = n;
      return CKR_OK;
    }
  if (*count < n)
    {
      *count = n;
      return CKR_BUFFER_TOO_SMALL;
    }
  for (unsigned long i = 0; i < n; i++)
    slot_list[i] = i;
  *count = n;
  return CKR_OK;
}

static CK_RV
reader_get_slot_info (CK_SLOT_ID    slot_id,
                      CK_SLOT_INFO *info)
{
  const char *name;
  size_t length;

  record_call ("C_GetSlotInfo");
  if (info == NULL)
    return CKR_ARGUMENTS_BAD;
  if (!reader_name (slot_id, &name, &length))
    return CKR_SLOT_ID_INVALID;

  memset (info, 0, sizeof *info);
  pad_copy (info->slotDescription, sizeof info->slotDescription, name, length);
  pad_copy (info->manufacturerID, sizeof info->manufacturerID, "EIMZA tests", 11);
  info->flags = CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
  return CKR_OK;
}

static CK_RV
reader_get_token_info (CK_SLOT_ID     slot_id,
                       CK_TOKEN_INFO *info)
{
  const char *name;
  size_t length;

  return reader_name (slot_id, &name, &length) ? CKR_TOKEN_NOT_PRESENT : CKR_SLOT_ID_INVALID;
}

/* Everything else: a stub of the right type. */
#define STUB(name, params, args) \
  static CK_RV \
  stub_##name params \
  { \
    return CKR_FUNCTION_NOT_SUPPORTED; \
  }
PKCS11_FUNCTIONS (STUB)
#undef STUB


static CK_RV
reader_get_function_list (CK_FUNCTION_LIST **list)
{
  if (list == NULL)
    return CKR_ARGUMENTS_BAD;

  pthread_mutex_lock (&lock);
  if (functions.version.major == 0)
    {
#define STUB(name, params, args) functions.name = stub_##name;
      PKCS11_FUNCTIONS (STUB)
#undef STUB
      functions.version.major = 2;
      functions.version.minor = 40;
      functions.C_Initialize = reader_initialize;
      functions.C_Finalize = reader_finalize;
      functions.C_GetInfo = reader_get_info;
      functions.C_GetFunctionList = reader_get_function_list;
      functions.C_GetSlotList = reader_get_slot_list;
      functions.C_GetSlotInfo = reader_get_slot_info;
      functions.C_GetTokenInfo = reader_get_token_info;
    }
  *list = &functions;
  pthread_mutex_unlock (&lock);
  return CKR_OK;
}

__attribute__ ((visibility ("default"))) CK_RV
C_GetFunctionList (CK_FUNCTION_LIST **list)
{
  return reader_get_function_list (list);
}
