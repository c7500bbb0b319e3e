/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A profile's selectors matched in one walk over a page, with libxml2's XPath for the rest. */
#include "config.h"

#include <string.h>
#include <libxml/xpathInternals.h>

#include "eimza-portal-html.h"
#include "eimza-portal-match.h"

/* Why: libxml2 walks the whole document once per expression, and a page's
 * two dozen selectors cost three times its parse. Each plan here mirrors
 * what libxml2 computes for its expression (XPath 1.0 as libxml2 implements
 * it: name tests without namespaces, string values from xmlNodeGetContent,
 * normalize-space over XML blanks); whatever the parser below does not
 * recognise stays with libxml2. */

/* ------------------------------------------------------------------------
 * Plans.
 * ------------------------------------------------------------------------ */

typedef enum {
  TEST_ATTRIBUTE,          /* [@a] */
  TEST_ATTRIBUTE_EQUALS,   /* [@a='v'] */
  TEST_TRANSLATE_EQUALS,   /* [translate(@a,'FROM','to')='v'] */
  TEST_CONCAT_CONTAINS,    /* [contains(concat('p',normalize-space(@a),'s'),'v')] */
  TEST_TEXT_CONTAINS,      /* [contains(.,'v')] */
  TEST_TEXT_NOT_EQUALS,    /* [normalize-space(.)!='v'] */
  TEST_SELF_NAMES,         /* [self::a or self::b …] */
} TestKind;

typedef struct {
  TestKind kind;
  char *attribute;
  char *value;
  char *from;              /* translate */
  char *to;
  char *prefix;            /* concat */
  char *suffix;
  GPtrArray *names;        /* self:: */
} Test;

typedef enum {
  TEST_FAILED,
  TEST_PASSED,
  /* A case the plan does not cover (text that is not UTF-8): libxml2 decides. */
  TEST_UNDECIDED,
} TestResult;

/* A step of a path, the `//` axis before it: an element with @name (NULL:
 * any) for which every test passes. */
typedef struct {
  char *name;
  GPtrArray *tests;        /* Test */
  int id;                  /* index in the matcher's steps */
  int previous;            /* the step before it in its path, or -1 */
  gboolean last;           /* the path's result */
  char *attribute;         /* last step only: the path's final /@attribute */
  int slot;                /* the result slot of the expression it belongs to */
} Step;

typedef enum {
  EXPR_NODES,              /* a path, or a union of paths */
  EXPR_BOOLEAN,            /* boolean(left) */
  EXPR_STRING,             /* string(left) */
  EXPR_AND,
  EXPR_OR,
} ExprKind;

typedef struct _Expr Expr;
struct _Expr {
  ExprKind kind;
  Expr *left;
  Expr *right;
  /* EXPR_NODES: absolute paths (each a GPtrArray of Step), matched in the
   * walk into @slot; or one relative step at the context node, an element
   * step (@relative_step) or an attribute (@relative_attribute). */
  GPtrArray *paths;
  int slot;
  Step *relative_step;
  char *relative_attribute;
};

struct _EimzaPortalMatcher
{
  GHashTable *plans;           /* xmlXPathCompExprPtr -> Expr */
  GPtrArray *steps;            /* Step of every absolute path */
  guint n_slots;
  GHashTable *steps_by_name;   /* element name -> GPtrArray of Step */
  GPtrArray *key_attributes;   /* names of attributes that key `*` steps */
  GHashTable *steps_by_key;    /* "attribute\nvalue" -> GPtrArray of Step */
  GPtrArray *steps_any;        /* `*` steps without a key */
};

static void
test_free (Test *test)
{
  g_free (test->attribute);
  g_free (test->value);
  g_free (test->from);
  g_free (test->to);
  g_free (test->prefix);
  g_free (test->suffix);
  g_clear_pointer (&test->names, g_ptr_array_unref);
  g_free (test);
}

static void
step_free (Step *step)
{
  g_free (step->name);
  g_ptr_array_unref (step->tests);
  g_free (step->attribute);
  g_free (step);
}

static Step *
step_new (void)
{
  Step *step = g_new0 (Step, 1);

  step->tests = g_ptr_array_new_with_free_func ((GDestroyNotify) test_free);
  step->previous = -1;
  step->slot = -1;
  return step;
}

static void
expr_free (Expr *expr)
{
  if (expr == NULL)
    return;
  expr_free (expr->left);
  expr_free (expr->right);
  g_clear_pointer (&expr->paths, g_ptr_array_unref);
  g_clear_pointer (&expr->relative_step, step_free);
  g_free (expr->relative_attribute);
  g_free (expr);
}

/* ------------------------------------------------------------------------
 * The parser of the subset. Any token it does not expect ends the plan.
 * ------------------------------------------------------------------------ */

typedef enum {
  TOKEN_END,
  TOKEN_NAME,
  TOKEN_LITERAL,
  TOKEN_SLASH,
  TOKEN_DOUBLE_SLASH,
  TOKEN_OPEN_BRACKET,
  TOKEN_CLOSE_BRACKET,
  TOKEN_OPEN_PAREN,
  TOKEN_CLOSE_PAREN,
  TOKEN_AT,
  TOKEN_PIPE,
  TOKEN_EQUALS,
  TOKEN_NOT_EQUALS,
  TOKEN_COMMA,
  TOKEN_AXIS,
  TOKEN_STAR,
  TOKEN_DOT,
} TokenKind;

typedef struct {
  TokenKind kind;
  char *text;              /* names and literals */
} Token;

typedef struct {
  GArray *tokens;
  guint position;
} Parser;

static gboolean
is_name_start (guchar c)
{
  return g_ascii_isalpha (c) || c == '_' || c >= 0x80;
}

static gboolean
is_name_char (guchar c)
{
  return is_name_start (c) || g_ascii_isdigit (c) || c == '-' || c == '.';
}

static void
clear_token (Token *token)
{
  g_free (token->text);
}

/* NULL when @source has a token outside the subset (numbers, `..`, `$`…). */
static GArray *
tokenize (const char *source)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = source;

  g_array_set_clear_func (tokens, (GDestroyNotify) clear_token);
  for (;;)
    {
      Token token = { TOKEN_END, NULL };

      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
      if (*p == '\0')
        break;

      if (*p == '\'' || *p == '"')
        {
          const char *end = strchr (p + 1, *p);

          if (end == NULL)
            return NULL;
          token.kind = TOKEN_LITERAL;
          token.text = g_strndup (p + 1, end - p - 1);
          p = end + 1;
        }
      else if (is_name_start ((guchar) *p))
        {
          const char *start = p;

          while (is_name_char ((guchar) *p))
            p++;
          token.kind = TOKEN_NAME;
          token.text = g_strndup (start, p - start);
        }
      else if (p[0] == '/' && p[1] == '/')
        token.kind = TOKEN_DOUBLE_SLASH, p += 2;
      else if (p[0] == ':' && p[1] == ':')
        token.kind = TOKEN_AXIS, p += 2;
      else if (p[0] == '!' && p[1] == '=')
        token.kind = TOKEN_NOT_EQUALS, p += 2;
      else if (p[0] == '.' && p[1] == '.')
        return NULL;
      else
        {
          static const char symbols[] = "/[]()@|=,*.";
          static const TokenKind kinds[] = {
            TOKEN_SLASH, TOKEN_OPEN_BRACKET, TOKEN_CLOSE_BRACKET, TOKEN_OPEN_PAREN,
            TOKEN_CLOSE_PAREN, TOKEN_AT, TOKEN_PIPE, TOKEN_EQUALS, TOKEN_COMMA, TOKEN_STAR,
            TOKEN_DOT,
          };
          const char *symbol = strchr (symbols, *p);

          if (symbol == NULL)
            return NULL;
          token.kind = kinds[symbol - symbols];
          p++;
        }
      g_array_append_val (tokens, token);
    }

  {
    Token end = { TOKEN_END, NULL };

    g_array_append_val (tokens, end);
  }
  return g_steal_pointer (&tokens);
}

static Token *
peek (Parser *parser,
      guint   ahead)
{
  guint i = MIN (parser->position + ahead, parser->tokens->len - 1);

  return &g_array_index (parser->tokens, Token, i);
}

static gboolean
accept (Parser    *parser,
        TokenKind  kind)
{
  if (peek (parser, 0)->kind != kind)
    return FALSE;
  parser->position++;
  return TRUE;
}

static gboolean
accept_name (Parser     *parser,
             const char *name)
{
  Token *token = peek (parser, 0);

  if (token->kind != TOKEN_NAME || strcmp (token->text, name) != 0)
    return FALSE;
  parser->position++;
  return TRUE;
}

/* The text of a name or literal token, or NULL. */
static char *
take (Parser    *parser,
      TokenKind  kind)
{
  Token *token = peek (parser, 0);

  if (token->kind != kind)
    return NULL;
  parser->position++;
  return g_strdup (token->text);
}

/* `@name` */
static char *
take_attribute (Parser *parser)
{
  return accept (parser, TOKEN_AT) ? take (parser, TOKEN_NAME) : NULL;
}

/* The inside of a predicate, after `[`; NULL when not in the subset. */
static Test *
parse_test (Parser *parser)
{
  g_autoptr(GPtrArray) names = NULL;
  Test *test = g_new0 (Test, 1);

  if (peek (parser, 0)->kind == TOKEN_AT)
    {
      test->attribute = take_attribute (parser);
      if (test->attribute == NULL)
        goto fail;
      if (!accept (parser, TOKEN_EQUALS))
        test->kind = TEST_ATTRIBUTE;
      else if ((test->value = take (parser, TOKEN_LITERAL)) != NULL)
        test->kind = TEST_ATTRIBUTE_EQUALS;
      else
        goto fail;
    }
  else if (accept_name (parser, "translate"))
    {
      test->kind = TEST_TRANSLATE_EQUALS;
      if (!accept (parser, TOKEN_OPEN_PAREN) ||
          (test->attribute = take_attribute (parser)) == NULL ||
          !accept (parser, TOKEN_COMMA) ||
          (test->from = take (parser, TOKEN_LITERAL)) == NULL ||
          !accept (parser, TOKEN_COMMA) ||
          (test->to = take (parser, TOKEN_LITERAL)) == NULL ||
          !accept (parser, TOKEN_CLOSE_PAREN) ||
          !accept (parser, TOKEN_EQUALS) ||
          (test->value = take (parser, TOKEN_LITERAL)) == NULL ||
          !g_utf8_validate (test->from, -1, NULL) || !g_utf8_validate (test->to, -1, NULL))
        goto fail;
    }
  else if (accept_name (parser, "contains"))
    {
      if (!accept (parser, TOKEN_OPEN_PAREN))
        goto fail;
      if (accept (parser, TOKEN_DOT))
        test->kind = TEST_TEXT_CONTAINS;
      else
        {
          test->kind = TEST_CONCAT_CONTAINS;
          if (!accept_name (parser, "concat") ||
              !accept (parser, TOKEN_OPEN_PAREN) ||
              (test->prefix = take (parser, TOKEN_LITERAL)) == NULL ||
              !accept (parser, TOKEN_COMMA) ||
              !accept_name (parser, "normalize-space") ||
              !accept (parser, TOKEN_OPEN_PAREN) ||
              (test->attribute = take_attribute (parser)) == NULL ||
              !accept (parser, TOKEN_CLOSE_PAREN) ||
              !accept (parser, TOKEN_COMMA) ||
              (test->suffix = take (parser, TOKEN_LITERAL)) == NULL ||
              !accept (parser, TOKEN_CLOSE_PAREN))
            goto fail;
        }
      if (!accept (parser, TOKEN_COMMA) ||
          (test->value = take (parser, TOKEN_LITERAL)) == NULL ||
          !accept (parser, TOKEN_CLOSE_PAREN))
        goto fail;
    }
  else if (accept_name (parser, "normalize-space"))
    {
      test->kind = TEST_TEXT_NOT_EQUALS;
      if (!accept (parser, TOKEN_OPEN_PAREN) || !accept (parser, TOKEN_DOT) ||
          !accept (parser, TOKEN_CLOSE_PAREN) || !accept (parser, TOKEN_NOT_EQUALS) ||
          (test->value = take (parser, TOKEN_LITERAL)) == NULL)
        goto fail;
    }
  else if (peek (parser, 0)->kind == TOKEN_NAME && strcmp (peek (parser, 0)->text, "self") == 0)
    {
      test->kind = TEST_SELF_NAMES;
      test->names = g_ptr_array_new_with_free_func (g_free);
      do
        {
          char *name;

          if (!accept_name (parser, "self") || !accept (parser, TOKEN_AXIS) ||
              (name = take (parser, TOKEN_NAME)) == NULL)
            goto fail;
          g_ptr_array_add (test->names, name);
          /* A name test, not a function such as self::node(). */
          if (peek (parser, 0)->kind == TOKEN_OPEN_PAREN)
            goto fail;
        }
      while (accept_name (parser, "or"));
    }
  else
    goto fail;

  if (!accept (parser, TOKEN_CLOSE_BRACKET))
    goto fail;
  return test;

fail:
  test_free (test);
  return NULL;
}

/* A name test (`name` or `*`, not a node type test nor an axis) and its
 * predicates. */
static Step *
parse_step (Parser *parser)
{
  Step *step = step_new ();

  if (peek (parser, 0)->kind == TOKEN_NAME && peek (parser, 1)->kind != TOKEN_OPEN_PAREN &&
      peek (parser, 1)->kind != TOKEN_AXIS)
    step->name = take (parser, TOKEN_NAME);
  else if (!accept (parser, TOKEN_STAR))
    goto fail;

  while (accept (parser, TOKEN_OPEN_BRACKET))
    {
      Test *test = parse_test (parser);

      if (test == NULL)
        goto fail;
      g_ptr_array_add (step->tests, test);
    }
  return step;

fail:
  step_free (step);
  return NULL;
}

/* `//step//step…` with an optional final `/@attribute`. */
static GPtrArray *
parse_absolute_path (Parser *parser)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  while (accept (parser, TOKEN_DOUBLE_SLASH))
    {
      Step *step = parse_step (parser);

      if (step == NULL)
        return NULL;
      g_ptr_array_add (steps, step);
    }
  if (steps->len == 0)
    return NULL;

  if (accept (parser, TOKEN_SLASH))
    {
      Step *last = g_ptr_array_index (steps, steps->len - 1);

      last->attribute = take_attribute (parser);
      if (last->attribute == NULL)
        return NULL;
    }
  return g_steal_pointer (&steps);
}

static Expr *
parse_nodes (Parser *parser)
{
  Expr *expr = g_new0 (Expr, 1);

  expr->kind = EXPR_NODES;
  expr->slot = -1;
  if (peek (parser, 0)->kind == TOKEN_DOUBLE_SLASH)
    {
      expr->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      do
        {
          GPtrArray *path = parse_absolute_path (parser);

          if (path == NULL)
            goto fail;
          g_ptr_array_add (expr->paths, path);
        }
      while (accept (parser, TOKEN_PIPE));

      /* A union of attributes would need their order across elements. */
      if (expr->paths->len > 1)
        {
          for (guint i = 0; i < expr->paths->len; i++)
            {
              GPtrArray *path = g_ptr_array_index (expr->paths, i);

              if (((Step *) g_ptr_array_index (path, path->len - 1))->attribute != NULL)
                goto fail;
            }
        }
    }
  else if (peek (parser, 0)->kind == TOKEN_AT)
    {
      expr->relative_attribute = take_attribute (parser);
      if (expr->relative_attribute == NULL)
        goto fail;
    }
  else
    {
      expr->relative_step = parse_step (parser);
      if (expr->relative_step == NULL)
        goto fail;
    }
  return expr;

fail:
  expr_free (expr);
  return NULL;
}

static Expr *
parse_unary (Parser *parser)
{
  Expr *expr;

  if (peek (parser, 1)->kind != TOKEN_OPEN_PAREN)
    return parse_nodes (parser);

  expr = g_new0 (Expr, 1);
  expr->slot = -1;
  if (accept_name (parser, "boolean"))
    expr->kind = EXPR_BOOLEAN;
  else if (accept_name (parser, "string"))
    expr->kind = EXPR_STRING;
  else
    goto fail;

  if (!accept (parser, TOKEN_OPEN_PAREN) ||
      (expr->left = parse_nodes (parser)) == NULL ||
      !accept (parser, TOKEN_CLOSE_PAREN))
    goto fail;
  return expr;

fail:
  expr_free (expr);
  return NULL;
}

static Expr *
parse_binary (Parser   *parser,
              ExprKind  kind)
{
  const char *keyword = kind == EXPR_OR ? "or" : "and";
  Expr *left = kind == EXPR_OR ? parse_binary (parser, EXPR_AND) : parse_unary (parser);

  while (left != NULL && accept_name (parser, keyword))
    {
      Expr *expr = g_new0 (Expr, 1);

      expr->kind = kind;
      expr->slot = -1;
      expr->left = left;
      expr->right = kind == EXPR_OR ? parse_binary (parser, EXPR_AND) : parse_unary (parser);
      left = expr;
      if (expr->right == NULL)
        {
          expr_free (expr);
          return NULL;
        }
    }
  return left;
}

static Expr *
parse_plan (const char *source)
{
  Parser parser = { tokenize (source), 0 };
  Expr *expr;

  if (parser.tokens == NULL)
    return NULL;
  expr = parse_binary (&parser, EXPR_OR);
  if (expr != NULL && peek (&parser, 0)->kind != TOKEN_END)
    g_clear_pointer (&expr, expr_free);
  g_array_unref (parser.tokens);
  return expr;
}

/* ------------------------------------------------------------------------
 * The matcher.
 * ------------------------------------------------------------------------ */

EimzaPortalMatcher *
eimza_portal_matcher_new (void)
{
  EimzaPortalMatcher *matcher = g_new0 (EimzaPortalMatcher, 1);

  matcher->plans = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) expr_free);
  matcher->steps = g_ptr_array_new ();
  matcher->steps_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) g_ptr_array_unref);
  matcher->key_attributes = g_ptr_array_new_with_free_func (g_free);
  matcher->steps_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
  matcher->steps_any = g_ptr_array_new ();
  return matcher;
}

void
eimza_portal_matcher_free (EimzaPortalMatcher *matcher)
{
  if (matcher == NULL)
    return;
  /* The steps belong to the plans' paths. */
  g_hash_table_unref (matcher->plans);
  g_ptr_array_unref (matcher->steps);
  g_hash_table_unref (matcher->steps_by_name);
  g_ptr_array_unref (matcher->key_attributes);
  g_hash_table_unref (matcher->steps_by_key);
  g_ptr_array_unref (matcher->steps_any);
  g_free (matcher);
}

static void
add_to_index (GHashTable *index,
              char       *key,
              Step       *step)
{
  GPtrArray *steps = g_hash_table_lookup (index, key);

  if (steps == NULL)
    {
      steps = g_ptr_array_new ();
      g_hash_table_insert (index, key, steps);
    }
  else
    g_free (key);
  g_ptr_array_add (steps, step);
}

/* Gives the step an id and files it where the walk looks for it: under its
 * element name, or under the value of an attribute it must have, or with
 * the steps tried on every element. */
static void
index_step (EimzaPortalMatcher *matcher,
            Step               *step)
{
  step->id = matcher->steps->len;
  g_ptr_array_add (matcher->steps, step);

  if (step->name != NULL)
    {
      add_to_index (matcher->steps_by_name, g_strdup (step->name), step);
      return;
    }

  for (guint i = 0; i < step->tests->len; i++)
    {
      Test *test = g_ptr_array_index (step->tests, i);

      if (test->kind == TEST_ATTRIBUTE_EQUALS)
        {
          guint index;

          if (!g_ptr_array_find_with_equal_func (matcher->key_attributes, test->attribute,
                                                 g_str_equal, &index))
            g_ptr_array_add (matcher->key_attributes, g_strdup (test->attribute));
          add_to_index (matcher->steps_by_key,
                        g_strconcat (test->attribute, "\n", test->value, NULL), step);
          return;
        }
    }

  g_ptr_array_add (matcher->steps_any, step);
}

static void
register_expr (EimzaPortalMatcher *matcher,
               Expr               *expr)
{
  if (expr == NULL)
    return;
  register_expr (matcher, expr->left);
  register_expr (matcher, expr->right);
  if (expr->kind != EXPR_NODES || expr->paths == NULL)
    return;

  expr->slot = matcher->n_slots++;
  for (guint i = 0; i < expr->paths->len; i++)
    {
      GPtrArray *path = g_ptr_array_index (expr->paths, i);

      for (guint j = 0; j < path->len; j++)
        {
          Step *step = g_ptr_array_index (path, j);

          index_step (matcher, step);
          step->previous = j > 0 ? ((Step *) g_ptr_array_index (path, j - 1))->id : -1;
          step->last = j == path->len - 1;
          step->slot = expr->slot;
        }
    }
}

gboolean
eimza_portal_matcher_add (EimzaPortalMatcher  *matcher,
                          xmlXPathCompExprPtr  expr,
                          const char          *source)
{
  Expr *plan;

  g_return_val_if_fail (matcher != NULL, FALSE);
  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (g_hash_table_contains (matcher->plans, expr))
    return TRUE;
  plan = parse_plan (source);
  if (plan == NULL)
    return FALSE;

  register_expr (matcher, plan);
  g_hash_table_insert (matcher->plans, expr, plan);
  return TRUE;
}

gboolean
eimza_portal_matcher_is_native (EimzaPortalMatcher  *matcher,
                                xmlXPathCompExprPtr  expr)
{
  g_return_val_if_fail (matcher != NULL, FALSE);

  return g_hash_table_contains (matcher->plans, expr);
}

/* ------------------------------------------------------------------------
 * What XPath computes, node by node.
 * ------------------------------------------------------------------------ */

/* libxml2's IS_BLANK_CH: the blanks of normalize-space(). */
static inline gboolean
is_blank (guchar c)
{
  return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;
}

static gboolean
is_attribute_named (xmlAttrPtr  attribute,
                    const char *name)
{
  return (attribute->ns == NULL || attribute->ns->prefix == NULL) &&
         strcmp ((const char *) attribute->name, name) == 0;
}

static gboolean
is_element_named (xmlNodePtr  node,
                  const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns == NULL &&
         strcmp ((const char *) node->name, name) == 0;
}

/* An attribute's string value as xmlNodeGetContent() gives it; @to_free is
 * set when it had to be put together. */
static const char *
attribute_value (xmlAttrPtr   attribute,
                 xmlChar    **to_free)
{
  xmlNodePtr child = attribute->children;

  *to_free = NULL;
  if (child == NULL)
    return "";
  if (child->next == NULL && (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE))
    return child->content != NULL ? (const char *) child->content : "";

  *to_free = xmlNodeGetContent ((xmlNodePtr) attribute);
  return *to_free != NULL ? (const char *) *to_free : "";
}

/* The string value of the first attribute @name of @node (an attribute
 * set's string value), "" when it has none. */
static const char *
first_attribute_value (xmlNodePtr   node,
                       const char  *name,
                       xmlChar    **to_free)
{
  *to_free = NULL;
  for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next)
    {
      if (is_attribute_named (attribute, name))
        return attribute_value (attribute, to_free);
    }
  return "";
}

/* normalize-space() of @text into @out. */
static void
append_normalized (GString    *out,
                   const char *text)
{
  gboolean blank = FALSE;

  while (is_blank (*text))
    text++;
  for (; *text != '\0'; text++)
    {
      if (is_blank (*text))
        blank = TRUE;
      else
        {
          if (blank)
            g_string_append_c (out, ' ');
          blank = FALSE;
          g_string_append_c (out, *text);
        }
    }
}

/* translate() of @text into @out, character by character. */
static void
append_translated (GString    *out,
                   const char *text,
                   const char *from,
                   const char *to)
{
  glong to_length = g_utf8_strlen (to, -1);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      gsize size = next - p;
      glong index = 0;
      const char *found = NULL;

      for (const char *f = from; *f != '\0'; f = g_utf8_next_char (f), index++)
        {
          if ((gsize) (g_utf8_next_char (f) - f) == size && memcmp (f, p, size) == 0)
            {
              found = f;
              break;
            }
        }

      if (found == NULL)
        g_string_append_len (out, p, size);
      else if (index < to_length)
        {
          const char *replacement = g_utf8_offset_to_pointer (to, index);

          g_string_append_len (out, replacement, g_utf8_next_char (replacement) - replacement);
        }
    }
}

static TestResult
run_test (const Test *test,
          xmlNodePtr  node,
          GString    *scratch)
{
  xmlChar *to_free = NULL;
  const char *text;
  gboolean passed = FALSE;

  switch (test->kind)
    {
    case TEST_ATTRIBUTE:
    case TEST_ATTRIBUTE_EQUALS:
      for (xmlAttrPtr attribute = node->properties; attribute != NULL && !passed;
           attribute = attribute->next)
        {
          if (!is_attribute_named (attribute, test->attribute))
            continue;
          if (test->kind == TEST_ATTRIBUTE)
            passed = TRUE;
          else
            {
              passed = strcmp (attribute_value (attribute, &to_free), test->value) == 0;
              g_clear_pointer (&to_free, xmlFree);
            }
        }
      return passed ? TEST_PASSED : TEST_FAILED;

    case TEST_TRANSLATE_EQUALS:
      text = first_attribute_value (node, test->attribute, &to_free);
      if (!g_utf8_validate (text, -1, NULL))
        {
          xmlFree (to_free);
          return TEST_UNDECIDED;
        }
      g_string_truncate (scratch, 0);
      append_translated (scratch, text, test->from, test->to);
      passed = strcmp (scratch->str, test->value) == 0;
      break;

    case TEST_CONCAT_CONTAINS:
      text = first_attribute_value (node, test->attribute, &to_free);
      g_string_assign (scratch, test->prefix);
      append_normalized (scratch, text);
      g_string_append (scratch, test->suffix);
      passed = strstr (scratch->str, test->value) != NULL;
      break;

    case TEST_TEXT_CONTAINS:
    case TEST_TEXT_NOT_EQUALS:
      to_free = xmlNodeGetContent (node);
      text = to_free != NULL ? (const char *) to_free : "";
      if (test->kind == TEST_TEXT_CONTAINS)
        passed = strstr (text, test->value) != NULL;
      else
        {
          g_string_truncate (scratch, 0);
          append_normalized (scratch, text);
          passed = strcmp (scratch->str, test->value) != 0;
        }
      break;

    case TEST_SELF_NAMES:
      for (guint i = 0; i < test->names->len && !passed; i++)
        passed = is_element_named (node, g_ptr_array_index (test->names, i));
      break;

    default:
      g_assert_not_reached ();
    }

  xmlFree (to_free);
  return passed ? TEST_PASSED : TEST_FAILED;
}

/* Whether @node passes the step's name test and every test. */
static TestResult
run_step (const Step *step,
          xmlNodePtr  node,
          GString    *scratch)
{
  if (step->name != NULL && !is_element_named (node, step->name))
    return TEST_FAILED;

  for (guint i = 0; i < step->tests->len; i++)
    {
      TestResult result = run_test (g_ptr_array_index (step->tests, i), node, scratch);

      if (result != TEST_PASSED)
        return result;
    }
  return TEST_PASSED;
}

/* ------------------------------------------------------------------------
 * The walk.
 * ------------------------------------------------------------------------ */

struct _EimzaPortalReading
{
  EimzaPortalMatcher *matcher;
  xmlDocPtr doc;
  GPtrArray **results;         /* per slot, in document order; NULL: none */
  gboolean *undecided;         /* per slot: libxml2 must answer */
  xmlXPathContextPtr context;  /* for libxml2, made when first needed */
  GString *scratch;
};

typedef struct {
  EimzaPortalReading *reading;
  int *open;                   /* per step: ancestors of the current node that matched it */
  GArray *matched;             /* int: steps matched by the elements on the path from the root */
  GString *key;                /* "attribute\nvalue" looked up in steps_by_key */
} Walk;

static void
add_result (EimzaPortalReading *reading,
            int                 slot,
            xmlNodePtr          node)
{
  GPtrArray *nodes = reading->results[slot];

  if (nodes == NULL)
    nodes = reading->results[slot] = g_ptr_array_new ();
  /* A union's paths may find the same element. */
  else if (nodes->len > 0 && g_ptr_array_index (nodes, nodes->len - 1) == node)
    return;
  g_ptr_array_add (nodes, node);
}

static void
try_step (Walk       *walk,
          const Step *step,
          xmlNodePtr  node,
          guint       frame)
{
  EimzaPortalReading *reading = walk->reading;
  TestResult result;

  /* `//a//b`: b must be below an element that matched a. */
  if (step->previous >= 0 && walk->open[step->previous] == 0)
    return;
  for (guint i = frame; i < walk->matched->len; i++)
    {
      if (g_array_index (walk->matched, int, i) == step->id)
        return;
    }

  result = run_step (step, node, reading->scratch);
  if (result == TEST_UNDECIDED)
    reading->undecided[step->slot] = TRUE;
  if (result != TEST_PASSED)
    return;

  g_array_append_val (walk->matched, step->id);
  if (!step->last)
    return;

  if (step->attribute == NULL)
    add_result (reading, step->slot, node);
  else
    {
      for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next)
        {
          if (is_attribute_named (attribute, step->attribute))
            add_result (reading, step->slot, (xmlNodePtr) attribute);
        }
    }
}

static void
try_steps (Walk       *walk,
           GPtrArray  *steps,
           xmlNodePtr  node,
           guint       frame)
{
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    try_step (walk, g_ptr_array_index (steps, i), node, frame);
}

static void
match_element (Walk       *walk,
               xmlNodePtr  node,
               guint       frame)
{
  EimzaPortalMatcher *matcher = walk->reading->matcher;

  if (node->ns == NULL)
    try_steps (walk, g_hash_table_lookup (matcher->steps_by_name, node->name), node, frame);

  for (guint i = 0; i < matcher->key_attributes->len; i++)
    {
      const char *name = g_ptr_array_index (matcher->key_attributes, i);

      for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next)
        {
          xmlChar *to_free;

          if (!is_attribute_named (attribute, name))
            continue;
          g_string_assign (walk->key, name);
          g_string_append_c (walk->key, '\n');
          g_string_append (walk->key, attribute_value (attribute, &to_free));
          xmlFree (to_free);
          try_steps (walk, g_hash_table_lookup (matcher->steps_by_key, walk->key->str), node, frame);
        }
    }

  try_steps (walk, matcher->steps_any, node, frame);
}

/* Every element once, in document order, without recursion (pages may nest
 * deeply); a step matched by an element is open while its descendants are
 * walked. */
static void
walk_document (EimzaPortalReading *reading)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree int *open = g_new0 (int, MAX (reading->matcher->steps->len, 1));
  Walk walk = { reading, open, g_array_new (FALSE, FALSE, sizeof (int)), g_string_new (NULL) };
  xmlNodePtr node = reading->doc->children;

  while (node != NULL)
    {
      if (node->type == XML_ELEMENT_NODE)
        {
          guint frame = walk.matched->len;

          match_element (&walk, node, frame);
          if (node->children != NULL)
            {
              for (guint i = frame; i < walk.matched->len; i++)
                open[g_array_index (walk.matched, int, i)]++;
              g_array_append_val (frames, frame);
              node = node->children;
              continue;
            }
          g_array_set_size (walk.matched, frame);
        }

      while (node->next == NULL)
        {
          guint frame;

          node = node->parent;
          if (node == NULL || node->type != XML_ELEMENT_NODE || frames->len == 0)
            goto done;
          frame = g_array_index (frames, guint, frames->len - 1);
          g_array_set_size (frames, frames->len - 1);
          for (guint i = frame; i < walk.matched->len; i++)
            open[g_array_index (walk.matched, int, i)]--;
          g_array_set_size (walk.matched, frame);
        }
      node = node->next;
    }

done:
  g_array_unref (walk.matched);
  g_string_free (walk.key, TRUE);
}

EimzaPortalReading *
eimza_portal_reading_new (EimzaPortalMatcher *matcher,
                          xmlDocPtr           doc)
{
  EimzaPortalReading *reading;

  g_return_val_if_fail (matcher != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);

  reading = g_new0 (EimzaPortalReading, 1);
  reading->matcher = matcher;
  reading->doc = doc;
  reading->results = g_new0 (GPtrArray *, MAX (matcher->n_slots, 1));
  reading->undecided = g_new0 (gboolean, MAX (matcher->n_slots, 1));
  reading->scratch = g_string_sized_new (64);
  walk_document (reading);
  return reading;
}

void
eimza_portal_reading_free (EimzaPortalReading *reading)
{
  if (reading == NULL)
    return;
  for (guint i = 0; i < reading->matcher->n_slots; i++)
    g_clear_pointer (&reading->results[i], g_ptr_array_unref);
  g_free (reading->results);
  g_free (reading->undecided);
  g_clear_pointer (&reading->context, xmlXPathFreeContext);
  g_string_free (reading->scratch, TRUE);
  g_free (reading);
}

/* ------------------------------------------------------------------------
 * Answers.
 * ------------------------------------------------------------------------ */

/* The plan of @expr, or NULL when libxml2 must evaluate it on this page. */
static gboolean
is_decided (EimzaPortalReading *reading,
            const Expr         *plan)
{
  if (plan == NULL)
    return TRUE;
  if (plan->slot >= 0 && reading->undecided[plan->slot])
    return FALSE;
  return is_decided (reading, plan->left) && is_decided (reading, plan->right);
}

static const Expr *
lookup_plan (EimzaPortalReading  *reading,
             xmlXPathCompExprPtr  expr)
{
  const Expr *plan = g_hash_table_lookup (reading->matcher->plans, expr);

  if (plan != NULL && !is_decided (reading, plan))
    return NULL;
  return plan;
}

static xmlXPathContextPtr
get_context (EimzaPortalReading *reading)
{
  if (reading->context == NULL)
    reading->context = eimza_portal_html_new_context (reading->doc);
  return reading->context;
}

/* The nodes of an EXPR_NODES plan, or NULL when a relative step met a case
 * for libxml2. */
static GPtrArray *
plan_nodes (EimzaPortalReading *reading,
            const Expr         *plan,
            xmlNodePtr          node)
{
  GPtrArray *nodes;

  if (plan->slot >= 0)
    return reading->results[plan->slot] != NULL ? g_ptr_array_ref (reading->results[plan->slot])
                                                : g_ptr_array_new ();

  /* A relative step: from the context node, as eimza_portal_html_evaluate(). */
  nodes = g_ptr_array_new ();
  if (node == NULL)
    node = xmlDocGetRootElement (reading->doc);
  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return nodes;

  if (plan->relative_attribute != NULL)
    {
      for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next)
        {
          if (is_attribute_named (attribute, plan->relative_attribute))
            g_ptr_array_add (nodes, attribute);
        }
      return nodes;
    }

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      TestResult result;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      result = run_step (plan->relative_step, child, reading->scratch);
      if (result == TEST_UNDECIDED)
        {
          g_ptr_array_unref (nodes);
          return NULL;
        }
      if (result == TEST_PASSED)
        g_ptr_array_add (nodes, child);
    }
  return nodes;
}

/* Returns FALSE when libxml2 must answer. */
static gboolean
plan_boolean (EimzaPortalReading *reading,
              const Expr         *plan,
              xmlNodePtr          node,
              gboolean           *out_value);

/* The uncleaned string value (xmlXPathCastToString()), or NULL when
 * libxml2 must answer. */
static xmlChar *
plan_string (EimzaPortalReading *reading,
             const Expr         *plan,
             xmlNodePtr          node)
{
  g_autoptr(GPtrArray) nodes = NULL;
  gboolean value;

  switch (plan->kind)
    {
    case EXPR_NODES:
      nodes = plan_nodes (reading, plan, node);
      if (nodes == NULL)
        return NULL;
      return nodes->len > 0 ? xmlXPathCastNodeToString (g_ptr_array_index (nodes, 0))
                            : xmlStrdup ((const xmlChar *) "");
    case EXPR_STRING:
      return plan_string (reading, plan->left, node);
    case EXPR_BOOLEAN:
    case EXPR_AND:
    case EXPR_OR:
      if (!plan_boolean (reading, plan, node, &value))
        return NULL;
      return xmlStrdup ((const xmlChar *) (value ? "true" : "false"));
    default:
      g_assert_not_reached ();
    }
}

static gboolean
plan_boolean (EimzaPortalReading *reading,
              const Expr         *plan,
              xmlNodePtr          node,
              gboolean           *out_value)
{
  g_autoptr(GPtrArray) nodes = NULL;
  xmlChar *text;

  switch (plan->kind)
    {
    case EXPR_NODES:
      nodes = plan_nodes (reading, plan, node);
      if (nodes == NULL)
        return FALSE;
      *out_value = nodes->len > 0;
      return TRUE;
    case EXPR_STRING:
      text = plan_string (reading, plan, node);
      if (text == NULL)
        return FALSE;
      *out_value = text[0] != '\0';
      xmlFree (text);
      return TRUE;
    case EXPR_BOOLEAN:
      return plan_boolean (reading, plan->left, node, out_value);
    case EXPR_AND:
    case EXPR_OR:
      if (!plan_boolean (reading, plan->left, node, out_value))
        return FALSE;
      if (*out_value == (plan->kind == EXPR_OR))
        return TRUE;
      return plan_boolean (reading, plan->right, node, out_value);
    default:
      g_assert_not_reached ();
    }
}

gboolean
eimza_portal_reading_boolean (EimzaPortalReading  *reading,
                              xmlXPathCompExprPtr  expr,
                              xmlNodePtr           node)
{
  const Expr *plan = lookup_plan (reading, expr);
  gboolean value;

  if (plan != NULL && plan_boolean (reading, plan, node, &value))
    return value;
  return eimza_portal_html_evaluate_boolean (get_context (reading), expr, node);
}

char *
eimza_portal_reading_string (EimzaPortalReading  *reading,
                             xmlXPathCompExprPtr  expr,
                             xmlNodePtr           node)
{
  const Expr *plan = lookup_plan (reading, expr);
  xmlChar *text = plan != NULL ? plan_string (reading, plan, node) : NULL;
  char *value;

  if (text == NULL)
    return eimza_portal_html_evaluate_string (get_context (reading), expr, node);

  value = eimza_portal_html_clean_text (text);
  xmlFree (text);
  return value;
}

GPtrArray *
eimza_portal_reading_nodes (EimzaPortalReading  *reading,
                            xmlXPathCompExprPtr  expr,
                            xmlNodePtr           node)
{
  const Expr *plan = lookup_plan (reading, expr);
  GPtrArray *nodes = NULL;

  if (plan != NULL && plan->kind != EXPR_NODES)
    return g_ptr_array_new ();
  if (plan != NULL)
    nodes = plan_nodes (reading, plan, node);
  if (nodes == NULL)
    nodes = eimza_portal_html_evaluate_nodes (get_context (reading), expr, node);
  return nodes;
}
