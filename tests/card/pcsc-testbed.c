/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A real pcscd with the vpcd virtual readers, and virtual cards, for tests. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <winscard.h>

#include "eimza-atr.h"
#include "pcsc-testbed.h"

#define PCSCD_PATH "/usr/sbin/pcscd"
#define PCSCD_SOCKET "/run/pcscd/pcscd.comm"
#define VPCD_DRIVER "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
#define VICC_PATH "/usr/bin/vicc"
#define SYSTEM_PYTHON "/usr/bin/python3"
#define VICC_PYTHONPATH "/usr/lib/python3/site-packages/virtualsmartcard"
#define CRYPTODOME_DIR "/usr/lib/python3/dist-packages/Cryptodome"
#define READY_TIMEOUT_USEC (10 * G_USEC_PER_SEC)

struct _PcscTestbed {
  int lock_fd;
  GSubprocess *pcscd;
  char *shim_dir;  /* PYTHONPATH shim for vicc, made on first use */
};

struct _PcscVirtualCard {
  GSocketConnection *connection;
  GThread *thread;
  guint8 atr[33];
  gsize atr_len;
  gint64 insert_time;
};

/* Children die with the test: a pcscd left behind would hold the one
 * socket and make every later run skip. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
pcscd_socket_is_live (void)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  gboolean live;
  int fd;

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;

  g_strlcpy (addr.sun_path, PCSCD_SOCKET, sizeof addr.sun_path);
  live = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);

  return live;
}

PcscTestbed *
pcsc_testbed_new (GError **error)
{
  PcscTestbed *bed;
  const char *lock_path;
  int fd;

  if (geteuid () != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "pcscd tests need root (pcscd writes /run/pcscd)");
      return NULL;
    }

  if (!g_file_test (PCSCD_PATH, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (VPCD_DRIVER, G_FILE_TEST_EXISTS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "needs the packages pcscd and vsmartcard-vpcd");
      return NULL;
    }

  lock_path = g_getenv ("EIMZA_PCSCD_LOCK");
  if (lock_path == NULL || *lock_path == '\0')
    lock_path = PCSC_TESTBED_DEFAULT_LOCK;

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot open %s: %s", lock_path, g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX) < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot lock %s: %s", lock_path, g_strerror (saved_errno));
      return NULL;
    }

  if (pcscd_socket_is_live ())
    {
      close (fd);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "a pcscd that these tests did not start is running "
                           "(see /run/pcscd/pcscd.pid); stop it to run them");
      return NULL;
    }

  bed = g_new0 (PcscTestbed, 1);
  bed->lock_fd = fd;

  return bed;
}

void
pcsc_testbed_free (PcscTestbed *bed)
{
  if (bed == NULL)
    return;

  pcsc_testbed_stop_pcscd (bed, SIGTERM);

  if (bed->shim_dir != NULL)
    {
      g_autofree char *link = g_build_filename (bed->shim_dir, "Crypto", NULL);

      g_unlink (link);
      g_rmdir (bed->shim_dir);
      g_free (bed->shim_dir);
    }

  close (bed->lock_fd);
  g_free (bed);
}

static gboolean
pcscd_has_readers (guint n_readers)
{
  SCARDCONTEXT context;
  LPSTR names = NULL;
  DWORD names_len = SCARD_AUTOALLOCATE;
  guint n = 0;
  LONG rv;

  if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
    return FALSE;

  rv = SCardListReaders (context, NULL, (LPSTR) &names, &names_len);
  if (rv == SCARD_S_SUCCESS)
    {
      for (const char *p = names; *p != '\0'; p += strlen (p) + 1)
        n++;
      SCardFreeMemory (context, names);
    }

  SCardReleaseContext (context);

  return (rv == SCARD_S_SUCCESS || rv == SCARD_E_NO_READERS_AVAILABLE) && n == n_readers;
}

gboolean
pcsc_testbed_start_pcscd (PcscTestbed  *bed,
                          const char   *config_dir,
                          guint         n_readers,
                          GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  gboolean debug = g_strcmp0 (g_getenv ("EIMZA_TEST_PCSCD_DEBUG"), "1") == 0;
  gint64 deadline;

  g_return_val_if_fail (bed != NULL, FALSE);
  g_return_val_if_fail (bed->pcscd == NULL, FALSE);

  g_ptr_array_add (argv, (gpointer) PCSCD_PATH);
  g_ptr_array_add (argv, (gpointer) "--foreground");
  if (debug)
    g_ptr_array_add (argv, (gpointer) "--debug");
  if (config_dir != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--config");
      g_ptr_array_add (argv, (gpointer) config_dir);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (debug ? G_SUBPROCESS_FLAGS_NONE
                                              : G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  bed->pcscd = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (bed->pcscd == NULL)
    return FALSE;

  deadline = g_get_monotonic_time () + READY_TIMEOUT_USEC;
  while (!pcscd_has_readers (n_readers))
    {
      if (g_get_monotonic_time () > deadline)
        {
          pcsc_testbed_stop_pcscd (bed, SIGKILL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "pcscd did not come up with %u readers", n_readers);
          return FALSE;
        }
      g_usleep (10 * 1000);
    }

  return TRUE;
}

void
pcsc_testbed_stop_pcscd (PcscTestbed *bed,
                         int          signum)
{
  g_return_if_fail (bed != NULL);

  if (bed->pcscd == NULL)
    return;

  g_subprocess_send_signal (bed->pcscd, signum);
  g_subprocess_wait (bed->pcscd, NULL, NULL);
  g_clear_object (&bed->pcscd);
}

gboolean
pcsc_testbed_is_running (PcscTestbed *bed)
{
  g_return_val_if_fail (bed != NULL, FALSE);

  return bed->pcscd != NULL;
}

/* Virtual card */

static gboolean
receive_all (GSocket *socket,
             guint8  *buffer,
             gsize    size)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = g_socket_receive (socket, (char *) buffer + done, size - done, NULL, NULL);

      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }

  return TRUE;
}

static gboolean
send_message (GSocket      *socket,
              const guint8 *payload,
              gsize         size)
{
  guint8 message[2 + 64];

  g_assert (size <= 64);
  message[0] = (guint8) (size >> 8);
  message[1] = (guint8) size;
  memcpy (message + 2, payload, size);

  return g_socket_send (socket, (const char *) message, size + 2, NULL, NULL) == (gssize) size + 2;
}

static gpointer
virtual_card_thread (gpointer data)
{
  PcscVirtualCard *card = data;
  GSocket *socket = g_socket_connection_get_socket (card->connection);
  g_autofree guint8 *payload = g_malloc (G_MAXUINT16 + 1);

  while (TRUE)
    {
      static const guint8 not_supported[] = { 0x6D, 0x00 };
      guint8 header[2];
      gsize size;

      if (!receive_all (socket, header, sizeof header))
        break;
      size = (gsize) header[0] << 8 | header[1];
      if (!receive_all (socket, payload, size))
        break;

      if (size == 1)
        {
          /* Power off, on and reset need no answer. */
          if (payload[0] == 4 && !send_message (socket, card->atr, card->atr_len))
            break;
        }
      else if (!send_message (socket, not_supported, sizeof not_supported))
        {
          break;
        }
    }

  return NULL;
}

PcscVirtualCard *
pcsc_virtual_card_insert (guint16      port,
                          const char  *atr_hex,
                          GError     **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree guint8 *atr = NULL;
  PcscVirtualCard *card;
  GSocketConnection *connection;
  gsize atr_len;

  atr = eimza_atr_from_hex (atr_hex, &atr_len);
  g_return_val_if_fail (atr != NULL && atr_len <= 33, NULL);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, error);
  if (connection == NULL)
    return NULL;

  card = g_new0 (PcscVirtualCard, 1);
  card->insert_time = g_get_monotonic_time ();
  card->connection = connection;
  memcpy (card->atr, atr, atr_len);
  card->atr_len = atr_len;
  card->thread = g_thread_new ("virtual-card", virtual_card_thread, card);

  return card;
}

gint64
pcsc_virtual_card_get_insert_time (PcscVirtualCard *card)
{
  return card->insert_time;
}

void
pcsc_virtual_card_remove (PcscVirtualCard *card)
{
  if (card == NULL)
    return;

  g_socket_shutdown (g_socket_connection_get_socket (card->connection), TRUE, TRUE, NULL);
  g_thread_join (card->thread);
  g_io_stream_close (G_IO_STREAM (card->connection), NULL, NULL);
  g_object_unref (card->connection);
  g_free (card);
}

/* vicc */

GSubprocess *
pcsc_testbed_start_vicc (PcscTestbed  *bed,
                         guint16       port,
                         GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *pythonpath = NULL;
  g_autofree char *port_str = g_strdup_printf ("%u", port);

  g_return_val_if_fail (bed != NULL, NULL);

  if (!g_file_test (VICC_PATH, G_FILE_TEST_EXISTS) ||
      !g_file_test (SYSTEM_PYTHON, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (CRYPTODOME_DIR, G_FILE_TEST_IS_DIR))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "needs the packages vsmartcard-vpicc and python3-pycryptodome");
      return NULL;
    }

  /* vicc imports "Crypto" (PyCrypto); Debian ships PyCryptodome as
   * "Cryptodome", so a directory with a Crypto symbolic link goes first on
   * PYTHONPATH, with vicc's own package directory that Debian does not put
   * on the path. */
  if (bed->shim_dir == NULL)
    {
      g_autofree char *shim_dir = g_dir_make_tmp ("eimza-vicc-XXXXXX", error);
      g_autofree char *link = NULL;

      if (shim_dir == NULL)
        return NULL;

      link = g_build_filename (shim_dir, "Crypto", NULL);
      if (symlink (CRYPTODOME_DIR, link) < 0)
        {
          int saved_errno = errno;

          g_rmdir (shim_dir);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "cannot make %s: %s", link, g_strerror (saved_errno));
          return NULL;
        }
      bed->shim_dir = g_steal_pointer (&shim_dir);
    }

  pythonpath = g_strconcat (VICC_PYTHONPATH, ":", bed->shim_dir, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", pythonpath, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  return g_subprocess_launcher_spawn (launcher, error, SYSTEM_PYTHON, VICC_PATH,
                                      "--type", "iso7816", "--hostname", "localhost",
                                      "--port", port_str, NULL);
}

void
pcsc_testbed_stop_vicc (GSubprocess *vicc)
{
  if (vicc == NULL)
    return;

  g_subprocess_send_signal (vicc, SIGTERM);
  g_subprocess_wait (vicc, NULL, NULL);
  g_object_unref (vicc);
}
