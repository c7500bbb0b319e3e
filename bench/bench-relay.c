/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A TCP relay on 127.0.0.1 that delays each direction, and counts connections and TLS handshakes. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bench-relay.h"

#define READ_SIZE (64 * 1024)
/* A TLS record is at most 16 KiB plus its header and padding. */
#define HELLO_MAX (16 * 1024 + 2048)
#define TLS_RECORD_HANDSHAKE 22
#define TLS_CLIENT_HELLO 1
#define TLS_SERVER_HELLO 2
#define TLS_EXT_PRE_SHARED_KEY 41
#define TLS_EXT_SUPPORTED_VERSIONS 43

enum { FROM_CLIENT, FROM_SERVER };

/* Data read from one side, to be written to the other once due; len 0 is
 * the end of the stream. */
typedef struct {
  gint64 due_us;
  gsize len;
  gsize written;
  guint8 data[];
} Chunk;

typedef struct {
  int fd[2];                /* FROM_CLIENT: the client's socket; FROM_SERVER: the server's */
  GQueue pending[2];        /* Chunk *, read from fd[d], for fd[1 - d] */
  gboolean read_done[2];
  gboolean write_done[2];   /* fd[1 - d] was shut down for writing */
  GByteArray *hello[2];     /* the first TLS record of each direction, until parsed */
  guint8 client_session_id[32];
  gsize client_session_id_len;
} Connection;

struct _BenchRelay {
  int listen_fd;
  int wake[2];
  guint16 port;
  guint16 target_port;
  gint64 delay_us;
  GThread *thread;
  GList *connections;
  GMutex lock;              /* the counts */
  BenchRelayCounts counts;
};

static void
connection_free (Connection *conn)
{
  for (int d = 0; d < 2; d++)
    {
      if (conn->fd[d] >= 0)
        close (conn->fd[d]);
      g_queue_clear_full (&conn->pending[d], g_free);
      g_clear_pointer (&conn->hello[d], g_byte_array_unref);
    }
  g_free (conn);
}

static gboolean
set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);

  return flags >= 0 && fcntl (fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/* The handshake message of the first record, if it has come whole and is
 * of @type: its body and size. */
static const guint8 *
hello_body (GByteArray *record,
            guint8      type,
            gsize      *out_size)
{
  gsize record_len, message_len;

  if (record->len < 9 || record->data[0] != TLS_RECORD_HANDSHAKE)
    return NULL;
  record_len = (record->data[3] << 8) | record->data[4];
  if (record->len < 5 + record_len || record->data[5] != type)
    return NULL;
  message_len = (record->data[6] << 16) | (record->data[7] << 8) | record->data[8];
  if (message_len > record_len - 4)
    return NULL;
  *out_size = message_len;
  return record->data + 9;
}

/* Whether the extensions from @pos (their 2-byte length first) hold @type. */
static gboolean
has_extension (const guint8 *body,
               gsize         size,
               gsize         pos,
               guint         type)
{
  gsize end;

  if (pos + 2 > size)
    return FALSE;
  end = MIN (size, pos + 2 + ((body[pos] << 8) | body[pos + 1]));
  for (pos += 2; pos + 4 <= end; pos += 4 + ((body[pos + 2] << 8) | body[pos + 3]))
    {
      if ((guint) ((body[pos] << 8) | body[pos + 1]) == type)
        return TRUE;
    }
  return FALSE;
}

static void
parse_client_hello (BenchRelay *relay,
                    Connection *conn)
{
  gsize size, pos;
  const guint8 *body = hello_body (conn->hello[FROM_CLIENT], TLS_CLIENT_HELLO, &size);

  /* version (2), random (32), session id (1 + n) */
  if (body == NULL || size < 35 || body[34] > 32 || size < 35u + body[34])
    return;
  conn->client_session_id_len = body[34];
  memcpy (conn->client_session_id, body + 35, body[34]);

  /* cipher suites (2 + n), compression methods (1 + n), extensions */
  pos = 35 + body[34];
  if (pos + 2 > size)
    return;
  pos += 2 + ((body[pos] << 8) | body[pos + 1]);
  if (pos + 1 > size)
    return;
  pos += 1 + body[pos];
  if (has_extension (body, size, pos, TLS_EXT_PRE_SHARED_KEY))
    {
      g_mutex_lock (&relay->lock);
      relay->counts.resumption_offered++;
      g_mutex_unlock (&relay->lock);
    }
}

/* TLS 1.3 resumes with a pre-shared key the ServerHello accepts; TLS 1.2
 * by echoing the session id the client offered. */
static void
parse_server_hello (BenchRelay *relay,
                    Connection *conn)
{
  gsize size, pos, session_id_len;
  const guint8 *body = hello_body (conn->hello[FROM_SERVER], TLS_SERVER_HELLO, &size);
  gboolean tls13 = FALSE, psk = FALSE, resumed;

  if (body == NULL || size < 35)
    return;
  session_id_len = body[34];
  pos = 35 + session_id_len + 3; /* cipher suite (2), compression (1) */
  if (pos + 2 <= size)
    {
      gsize end = MIN (size, pos + 2 + ((body[pos] << 8) | body[pos + 1]));

      for (pos += 2; pos + 4 <= end; )
        {
          guint type = (body[pos] << 8) | body[pos + 1];
          gsize len = (body[pos + 2] << 8) | body[pos + 3];

          if (type == TLS_EXT_SUPPORTED_VERSIONS && len == 2 && pos + 6 <= end &&
              body[pos + 4] == 3 && body[pos + 5] == 4)
            tls13 = TRUE;
          else if (type == TLS_EXT_PRE_SHARED_KEY)
            psk = TRUE;
          pos += 4 + len;
        }
    }

  if (tls13)
    resumed = psk;
  else
    resumed = session_id_len > 0 && session_id_len == conn->client_session_id_len &&
              memcmp (body + 35, conn->client_session_id, session_id_len) == 0;

  g_mutex_lock (&relay->lock);
  if (resumed)
    relay->counts.handshakes_resumed++;
  else
    relay->counts.handshakes_full++;
  g_mutex_unlock (&relay->lock);
}

/* Looks at the first record of each direction: the hellos. */
static void
watch_hello (BenchRelay   *relay,
             Connection   *conn,
             int           d,
             const guint8 *data,
             gsize         len)
{
  GByteArray *record = conn->hello[d];
  gsize record_len;

  if (record == NULL)
    return;
  g_byte_array_append (record, data, MIN (len, HELLO_MAX - record->len));
  if (record->len < 5)
    return;
  record_len = (record->data[3] << 8) | record->data[4];
  if (record->len < 5 + record_len && record->len < HELLO_MAX)
    return;

  if (d == FROM_CLIENT)
    parse_client_hello (relay, conn);
  else
    parse_server_hello (relay, conn);
  g_clear_pointer (&conn->hello[d], g_byte_array_unref);
}

static void
accept_connection (BenchRelay *relay)
{
  struct sockaddr_in target = { .sin_family = AF_INET };
  Connection *conn;
  int one = 1;
  int client_fd = accept (relay->listen_fd, NULL, NULL);
  int server_fd;

  if (client_fd < 0)
    return;

  /* A blocking connect to the loopback: the simulator is listening. */
  server_fd = socket (AF_INET, SOCK_STREAM, 0);
  target.sin_port = htons (relay->target_port);
  target.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (server_fd < 0 || connect (server_fd, (struct sockaddr *) &target, sizeof target) != 0)
    {
      g_warning ("relay: cannot connect to port %u: %s", relay->target_port, g_strerror (errno));
      close (client_fd);
      if (server_fd >= 0)
        close (server_fd);
      return;
    }

  conn = g_new0 (Connection, 1);
  conn->fd[FROM_CLIENT] = client_fd;
  conn->fd[FROM_SERVER] = server_fd;
  for (int d = 0; d < 2; d++)
    {
      set_nonblocking (conn->fd[d]);
      setsockopt (conn->fd[d], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      g_queue_init (&conn->pending[d]);
      conn->hello[d] = g_byte_array_new ();
    }
  relay->connections = g_list_prepend (relay->connections, conn);

  g_mutex_lock (&relay->lock);
  relay->counts.connections++;
  g_mutex_unlock (&relay->lock);
}

/* Reads what fd[d] has; FALSE when the connection is to be dropped. */
static gboolean
read_side (BenchRelay *relay,
           Connection *conn,
           int         d)
{
  guint8 buffer[READ_SIZE];
  ssize_t n = read (conn->fd[d], buffer, sizeof buffer);
  Chunk *chunk;

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return TRUE;
  if (n < 0)
    n = 0; /* a reset is passed on as the end of the stream */

  chunk = g_malloc (sizeof (Chunk) + n);
  chunk->due_us = g_get_monotonic_time () + relay->delay_us;
  chunk->len = n;
  chunk->written = 0;
  memcpy (chunk->data, buffer, n);
  g_queue_push_tail (&conn->pending[d], chunk);

  if (n == 0)
    conn->read_done[d] = TRUE;
  else
    watch_hello (relay, conn, d, buffer, n);
  return TRUE;
}

/* Writes what is due from direction @d; FALSE when the connection is to
 * be dropped. */
static gboolean
write_due (Connection *conn,
           int         d,
           gint64      now_us)
{
  int out = conn->fd[1 - d];
  Chunk *chunk;

  while ((chunk = g_queue_peek_head (&conn->pending[d])) != NULL && chunk->due_us <= now_us)
    {
      if (chunk->len == 0)
        {
          shutdown (out, SHUT_WR);
          conn->write_done[d] = TRUE;
          g_free (g_queue_pop_head (&conn->pending[d]));
          continue;
        }

      while (chunk->written < chunk->len)
        {
          ssize_t n = send (out, chunk->data + chunk->written, chunk->len - chunk->written,
                            MSG_NOSIGNAL);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0 && errno == EAGAIN)
            return TRUE;
          if (n < 0)
            return FALSE;
          chunk->written += n;
        }
      g_free (g_queue_pop_head (&conn->pending[d]));
    }

  return TRUE;
}

static gpointer
relay_thread (gpointer user_data)
{
  BenchRelay *relay = user_data;
  GArray *fds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));

  for (;;)
    {
      gint64 now_us = g_get_monotonic_time ();
      gint64 next_due = G_MAXINT64;
      struct pollfd pfd;
      int timeout_ms;
      guint index;

      /* Write what is due; drop connections that are done or broken. */
      for (GList *l = relay->connections; l != NULL; )
        {
          Connection *conn = l->data;
          GList *next = l->next;
          gboolean ok = write_due (conn, FROM_CLIENT, now_us) && write_due (conn, FROM_SERVER, now_us);

          if (!ok || (conn->write_done[FROM_CLIENT] && conn->write_done[FROM_SERVER]))
            {
              relay->connections = g_list_delete_link (relay->connections, l);
              connection_free (conn);
            }
          l = next;
        }

      g_array_set_size (fds, 0);
      pfd = (struct pollfd) { .fd = relay->wake[0], .events = POLLIN };
      g_array_append_val (fds, pfd);
      pfd = (struct pollfd) { .fd = relay->listen_fd, .events = POLLIN };
      g_array_append_val (fds, pfd);
      for (GList *l = relay->connections; l != NULL; l = l->next)
        {
          Connection *conn = l->data;

          for (int d = 0; d < 2; d++)
            {
              Chunk *head = g_queue_peek_head (&conn->pending[d]);

              pfd = (struct pollfd) { .fd = conn->fd[d], .events = 0 };
              if (!conn->read_done[d])
                pfd.events |= POLLIN;
              /* A chunk due but not written whole waits for room. */
              if (g_queue_peek_head (&conn->pending[1 - d]) != NULL &&
                  ((Chunk *) g_queue_peek_head (&conn->pending[1 - d]))->due_us <= now_us)
                pfd.events |= POLLOUT;
              /* poll() skips it: a socket hung up would wake it at once. */
              if (pfd.events == 0)
                pfd.fd = -1;
              g_array_append_val (fds, pfd);
              if (head != NULL)
                next_due = MIN (next_due, head->due_us);
            }
        }

      if (next_due == G_MAXINT64)
        timeout_ms = -1;
      else
        timeout_ms = (int) CLAMP ((next_due - now_us + 999) / 1000, 0, 60000);

      if (poll ((struct pollfd *) fds->data, fds->len, timeout_ms) < 0 && errno != EINTR)
        g_error ("relay: poll: %s", g_strerror (errno));

      if (g_array_index (fds, struct pollfd, 0).revents != 0)
        break;

      index = 2;
      for (GList *l = relay->connections; l != NULL; l = l->next)
        {
          Connection *conn = l->data;

          for (int d = 0; d < 2; d++, index++)
            {
              if (g_array_index (fds, struct pollfd, index).revents & (POLLIN | POLLHUP | POLLERR) &&
                  !conn->read_done[d])
                read_side (relay, conn, d);
            }
        }

      if (g_array_index (fds, struct pollfd, 1).revents & POLLIN)
        accept_connection (relay);
    }

  g_array_unref (fds);
  return NULL;
}

BenchRelay *
bench_relay_new (guint16   target_port,
                 guint     one_way_delay_us,
                 GError  **error)
{
  g_autofree BenchRelay *relay = g_new0 (BenchRelay, 1);
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t address_len = sizeof address;

  relay->target_port = target_port;
  relay->delay_us = one_way_delay_us;
  relay->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (relay->listen_fd < 0 ||
      bind (relay->listen_fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (relay->listen_fd, 64) != 0 ||
      getsockname (relay->listen_fd, (struct sockaddr *) &address, &address_len) != 0 ||
      !set_nonblocking (relay->listen_fd) ||
      pipe (relay->wake) != 0)
    {
      int saved = errno;

      if (relay->listen_fd >= 0)
        close (relay->listen_fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "relay: %s", g_strerror (saved));
      return NULL;
    }

  relay->port = ntohs (address.sin_port);
  g_mutex_init (&relay->lock);
  relay->thread = g_thread_new ("bench-relay", relay_thread, relay);
  return g_steal_pointer (&relay);
}

guint16
bench_relay_get_port (BenchRelay *relay)
{
  return relay->port;
}

void
bench_relay_take_counts (BenchRelay       *relay,
                         BenchRelayCounts *out)
{
  g_mutex_lock (&relay->lock);
  *out = relay->counts;
  memset (&relay->counts, 0, sizeof relay->counts);
  g_mutex_unlock (&relay->lock);
}

void
bench_relay_free (BenchRelay *relay)
{
  if (relay == NULL)
    return;

  if (write (relay->wake[1], "x", 1) != 1)
    g_warning ("relay: cannot wake the thread");
  g_thread_join (relay->thread);
  g_list_free_full (relay->connections, (GDestroyNotify) connection_free);
  close (relay->listen_fd);
  close (relay->wake[0]);
  close (relay->wake[1]);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}
