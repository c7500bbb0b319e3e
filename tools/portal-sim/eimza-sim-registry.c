/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fictitious people the simulator knows: its MERNİS and MEBBİS records. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eimza-sim-registry.h"
#include "eimza-validation.h"

#define FIXTURES_RESOURCE "/io/github/eimza/Asistan/portal-sim/mernis.tsv"

struct _EimzaSimRegistry
{
  GPtrArray *people;   /* EimzaSimPerson, owned */
  GHashTable *by_tckn; /* tckn -> EimzaSimPerson, borrowed */
};

G_DEFINE_QUARK (eimza-sim-registry-error-quark, eimza_sim_registry_error)

/* The fixture's columns, found by their header names so that the file can
 * be reordered or grow columns without breaking the reader. */
enum {
  COLUMN_TCKN,
  COLUMN_GIVEN_NAME,
  COLUMN_SURNAME,
  COLUMN_BIRTH_PLACE,
  COLUMN_BIRTH_DATE,
  COLUMN_MOBILE_PHONE,
  COLUMN_INSTITUTION_REGISTRY_NO,
  COLUMN_INSTITUTION_NAME,
  COLUMN_EONAY,
  COLUMN_PREVIOUS,
  COLUMN_CARD_PUK,              /* optional */
  N_COLUMNS
};

static const char * const column_names[N_COLUMNS] = {
  "tcKimlikNo", "ad", "soyad", "dogumYeri", "dogumTarihi", "cepTelefonu",
  "kurumSicilNo", "kurumAdi", "eonayAktif", "oncekiBasvuru", "kartKilitKodu",
};

static void
person_free (EimzaSimPerson *person)
{
  g_free (person->tckn);
  g_free (person->given_name);
  g_free (person->surname);
  g_free (person->birth_place);
  g_free (person->birth_date);
  g_free (person->mobile_phone);
  g_free (person->institution_registry_no);
  g_free (person->institution_name);
  g_clear_pointer (&person->previous, g_hash_table_unref);
  g_free (person->card_puk);
  g_free (person->security_word);
  g_free (person);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimPerson, person_free)

void
eimza_sim_registry_free (EimzaSimRegistry *registry)
{
  if (registry == NULL)
    return;

  g_clear_pointer (&registry->by_tckn, g_hash_table_unref);
  g_clear_pointer (&registry->people, g_ptr_array_unref);
  g_free (registry);
}

static gboolean
set_parse_error (GError    **error,
                 guint       line_no,
                 const char *what,
                 GError     *cause)
{
  g_set_error (error, EIMZA_SIM_REGISTRY_ERROR, EIMZA_SIM_REGISTRY_ERROR_PARSE,
               "Fixtures line %u: %s%s%s", line_no, what,
               cause != NULL ? ": " : "", cause != NULL ? cause->message : "");
  return FALSE;
}

/* "alan=değer|alan=değer" with the portal's form field names. */
static GHashTable *
parse_previous (const char  *text,
                guint        line_no,
                GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                        g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (text, "|", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');

      if (equals == NULL || equals == pairs[i])
        {
          set_parse_error (error, line_no, "oncekiBasvuru is not alan=değer|…", NULL);
          return NULL;
        }
      g_hash_table_replace (values, g_strndup (pairs[i], equals - pairs[i]),
                            g_strdup (equals + 1));
    }

  return g_steal_pointer (&values);
}

static gboolean
is_unblock_code (const char *text)
{
  return strlen (text) == 8 && strspn (text, "0123456789") == 8;
}

static EimzaSimPerson *
parse_person (char       **fields,
              const int   *columns,
              guint        line_no,
              GError     **error)
{
  g_autoptr(EimzaSimPerson) person = g_new0 (EimzaSimPerson, 1);
  g_autoptr(GError) local_error = NULL;
  guint n_fields = g_strv_length (fields);
  const char *values[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    values[c] = (guint) columns[c] < n_fields ? fields[columns[c]] : "";

  person->tckn = g_strdup (values[COLUMN_TCKN]);
  person->given_name = g_strdup (values[COLUMN_GIVEN_NAME]);
  person->surname = g_strdup (values[COLUMN_SURNAME]);
  person->birth_place = g_strdup (values[COLUMN_BIRTH_PLACE]);
  person->birth_date = g_strdup (values[COLUMN_BIRTH_DATE]);
  person->institution_registry_no = g_strdup (values[COLUMN_INSTITUTION_REGISTRY_NO]);
  person->institution_name = g_strdup (values[COLUMN_INSTITUTION_NAME]);

  /* A fixture the app's own validators refuse could never log in, and the
   * mistake would only show as a puzzling MERNİS mismatch in a test. */
  if (!eimza_tckn_validate (person->tckn, &local_error)
      || !eimza_person_name_validate (person->given_name, &local_error)
      || !eimza_person_name_validate (person->surname, &local_error)
      || !eimza_person_name_validate (person->birth_place, &local_error)
      || !eimza_birth_date_parse (person->birth_date, NULL, NULL, &local_error)
      || !eimza_mobile_phone_parse (values[COLUMN_MOBILE_PHONE],
                                    &person->mobile_phone, &local_error))
    {
      set_parse_error (error, line_no, person->tckn, local_error);
      return NULL;
    }

  if (g_str_equal (values[COLUMN_EONAY], "evet"))
    person->eonay_active = TRUE;
  else if (!g_str_equal (values[COLUMN_EONAY], "hayır"))
    {
      set_parse_error (error, line_no, "eonayAktif is neither “evet” nor “hayır”", NULL);
      return NULL;
    }

  if (*values[COLUMN_CARD_PUK] != '\0')
    {
      const char *puk = values[COLUMN_CARD_PUK];

      /* An AKİS card's unblock code: eight digits (our model). */
      if (!is_unblock_code (puk))
        {
          set_parse_error (error, line_no, "kartKilitKodu is not eight digits", NULL);
          return NULL;
        }
      person->card_puk = g_strdup (puk);
    }

  if (*values[COLUMN_PREVIOUS] != '\0')
    {
      person->previous = parse_previous (values[COLUMN_PREVIOUS], line_no, error);
      if (person->previous == NULL)
        return NULL;
    }

  return g_steal_pointer (&person);
}

static gboolean
parse_header (char  **fields,
              int    *columns,
              GError **error)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      columns[c] = -1;
      for (guint f = 0; fields[f] != NULL; f++)
        {
          if (g_str_equal (fields[f], column_names[c]))
            columns[c] = f;
        }
      if (columns[c] < 0 && c != COLUMN_CARD_PUK)
        {
          g_set_error (error, EIMZA_SIM_REGISTRY_ERROR, EIMZA_SIM_REGISTRY_ERROR_PARSE,
                       "Fixtures header lacks the column “%s”", column_names[c]);
          return FALSE;
        }
    }

  return TRUE;
}

EimzaSimRegistry *
eimza_sim_registry_new_from_bytes (GBytes  *bytes,
                                   GError **error)
{
  g_autoptr(EimzaSimRegistry) registry = g_new0 (EimzaSimRegistry, 1);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean have_header = FALSE;
  int columns[N_COLUMNS];
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error_literal (error, EIMZA_SIM_REGISTRY_ERROR, EIMZA_SIM_REGISTRY_ERROR_PARSE,
                           "Fixtures are not UTF-8");
      return NULL;
    }

  registry->people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  registry->by_tckn = g_hash_table_new (g_str_hash, g_str_equal);

  text = g_strndup (data, size);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      EimzaSimPerson *person;
      char *line = lines[i];

      g_strchomp (line);
      if (*line == '\0' || *line == '#')
        continue;

      fields = g_strsplit (line, "\t", -1);
      if (!have_header)
        {
          if (!parse_header (fields, columns, error))
            return NULL;
          have_header = TRUE;
          continue;
        }

      person = parse_person (fields, columns, i + 1, error);
      if (person == NULL)
        return NULL;
      if (g_hash_table_contains (registry->by_tckn, person->tckn))
        {
          set_parse_error (error, i + 1, "the T.C. Kimlik No appears twice", NULL);
          person_free (person);
          return NULL;
        }

      g_ptr_array_add (registry->people, person);
      g_hash_table_insert (registry->by_tckn, person->tckn, person);
    }

  if (registry->people->len == 0)
    {
      g_set_error_literal (error, EIMZA_SIM_REGISTRY_ERROR, EIMZA_SIM_REGISTRY_ERROR_PARSE,
                           "Fixtures hold nobody");
      return NULL;
    }

  return g_steal_pointer (&registry);
}

EimzaSimRegistry *
eimza_sim_registry_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (FIXTURES_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                     error);

  return bytes != NULL ? eimza_sim_registry_new_from_bytes (bytes, error) : NULL;
}

EimzaSimRegistry *
eimza_sim_registry_new_from_file (const char  *path,
                                  GError     **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;

  if (file == NULL)
    return NULL;

  bytes = g_mapped_file_get_bytes (file);
  return eimza_sim_registry_new_from_bytes (bytes, error);
}

const EimzaSimPerson *
eimza_sim_registry_lookup (EimzaSimRegistry *registry,
                           const char       *tckn)
{
  g_autofree char *stripped = NULL;

  if (tckn == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (tckn));
  return g_hash_table_lookup (registry->by_tckn, stripped);
}

gboolean
eimza_sim_registry_set_eonay (EimzaSimRegistry *registry,
                              const char       *tckn,
                              gboolean          active)
{
  EimzaSimPerson *person = tckn != NULL ? g_hash_table_lookup (registry->by_tckn, tckn) : NULL;

  if (person == NULL)
    return FALSE;

  person->eonay_active = !!active;
  return TRUE;
}

guint
eimza_sim_registry_get_n_people (EimzaSimRegistry *registry)
{
  return registry->people->len;
}

const EimzaSimPerson *
eimza_sim_registry_get_person (EimzaSimRegistry *registry,
                               guint             index)
{
  g_return_val_if_fail (index < registry->people->len, NULL);

  return g_ptr_array_index (registry->people, index);
}

/* Upper-cases as Turkish does whatever the process locale: dotted i goes
 * to İ; dotless ı already goes to I everywhere. Words are re-joined with
 * single spaces, since MERNİS stores no doubled ones. */
static char *
turkish_upper (const char *text)
{
  g_autoptr(GString) dotted = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *normalized = NULL;
  g_autofree char *upper = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 'i')
        g_string_append (dotted, "İ");
      else
        g_string_append_unichar (dotted, c);
    }

  upper = g_utf8_strup (dotted->str, -1);
  words = g_strsplit_set (upper, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, words[i]);
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static gboolean
same_name (const char *recorded,
           const char *typed)
{
  g_autofree char *a = turkish_upper (recorded);
  g_autofree char *b = turkish_upper (typed);

  return *a != '\0' && g_str_equal (a, b);
}

gboolean
eimza_sim_person_matches (const EimzaSimPerson *person,
                          const char           *given_name,
                          const char           *surname,
                          const char           *birth_place,
                          const char           *birth_date)
{
  GDate recorded_date;
  GDate typed_date;

  if (!same_name (person->given_name, given_name)
      || !same_name (person->surname, surname)
      || !same_name (person->birth_place, birth_place))
    return FALSE;

  if (!eimza_birth_date_parse (person->birth_date, NULL, &recorded_date, NULL)
      || !eimza_birth_date_parse (birth_date, NULL, &typed_date, NULL))
    return FALSE;

  return g_date_compare (&recorded_date, &typed_date) == 0;
}

const char *
eimza_sim_person_security_word (const EimzaSimPerson *person)
{
  g_return_val_if_fail (person != NULL, NULL);

  if (person->security_word != NULL)
    return person->security_word;
  return person->previous != NULL
    ? g_hash_table_lookup (person->previous, "guvenlikSozcugu") : NULL;
}

/* The whole file, opened without following a link, only if it is a
 * regular file of ours that nobody else may read. Read straight into one
 * buffer, which the caller wipes: no library keeps a copy. */
static char *
read_private_file (const char  *path,
                   GError     **error)
{
  char *text;
  struct stat st;
  gsize length = 0;
  int fd;

  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != getuid ()
      || (st.st_mode & 077) != 0)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "%s: not a private file of this user (mode 0600 wanted)", path);
      return NULL;
    }
  /* A few lines; anything bigger is not such a file. */
  if (st.st_size > 64 * 1024)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: too big", path);
      return NULL;
    }

  text = g_malloc0 (st.st_size + 1);
  while (length < (gsize) st.st_size)
    {
      gssize n = read (fd, text + length, st.st_size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      length += n;
    }
  close (fd);
  text[length] = '\0';
  return text;
}

static void
wipe_free (char *text)
{
  if (text == NULL)
    return;

  explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
wipe_strv (char **lines)
{
  if (lines == NULL)
    return;

  for (guint i = 0; lines[i] != NULL; i++)
    explicit_bzero (lines[i], strlen (lines[i]));
  g_strfreev (lines);
}

static gboolean
set_unblock_line_error (GError     **error,
                        const char  *path,
                        guint        line_no,
                        const char  *what)
{
  /* Never the line itself: it holds a code. */
  g_set_error (error, EIMZA_SIM_REGISTRY_ERROR, EIMZA_SIM_REGISTRY_ERROR_PARSE,
               "%s line %u: %s", path, line_no, what);
  return FALSE;
}

gboolean
eimza_sim_registry_load_unblock_codes (EimzaSimRegistry  *registry,
                                       const char        *path,
                                       GError           **error)
{
  char *text = read_private_file (path, error);
  char **lines = NULL;
  gboolean ok = TRUE;

  if (text == NULL)
    return FALSE;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; ok && lines[i] != NULL; i++)
    {
      char **words = NULL;
      EimzaSimPerson *person;
      guint n_words;

      g_strstrip (lines[i]);
      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;

      words = g_strsplit (lines[i], " ", -1);
      n_words = g_strv_length (words);
      person = n_words >= 2 ? g_hash_table_lookup (registry->by_tckn, words[0]) : NULL;
      if (n_words < 2 || n_words > 3)
        ok = set_unblock_line_error (error, path, i + 1, "not “TCKN PUK [SECURITY-WORD]”");
      else if (person == NULL)
        ok = set_unblock_line_error (error, path, i + 1, "no such person in the fixtures");
      else if (!is_unblock_code (words[1]))
        ok = set_unblock_line_error (error, path, i + 1, "the unblock code is not eight digits");
      else if (n_words == 3 && !eimza_security_word_validate (words[2], NULL))
        ok = set_unblock_line_error (error, path, i + 1, "not a valid security word");
      else
        {
          g_clear_pointer (&person->card_puk, wipe_free);
          person->card_puk = g_strdup (words[1]);
          if (n_words == 3)
            {
              g_clear_pointer (&person->security_word, wipe_free);
              person->security_word = g_strdup (words[2]);
            }
        }
      wipe_strv (words);
    }

  wipe_strv (lines);
  wipe_free (text);
  return ok;
}
