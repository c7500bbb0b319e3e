/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plans of the selector matcher: the subset of XPath it matches, parsed. */
#include "config.h"

#include <string.h>

#include "eimza-portal-match-private.h"

/* Anything the parser does not expect, however valid as XPath, gives no
 * plan: the expression then stays with libxml2. */

static void
test_free (EimzaMatchTest *test)
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
step_free (EimzaMatchStep *step)
{
  g_free (step->name);
  g_ptr_array_unref (step->tests);
  g_free (step->attribute);
  g_free (step);
}

static EimzaMatchStep *
step_new (void)
{
  EimzaMatchStep *step = g_new0 (EimzaMatchStep, 1);

  step->tests = g_ptr_array_new_with_free_func ((GDestroyNotify) test_free);
  step->previous = -1;
  step->slot = -1;
  return step;
}

void
eimza_portal_match_expr_free (EimzaMatchExpr *expr)
{
  if (expr == NULL)
    return;
  eimza_portal_match_expr_free (expr->left);
  eimza_portal_match_expr_free (expr->right);
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
static EimzaMatchTest *
parse_test (Parser *parser)
{
  g_autoptr(GPtrArray) names = NULL;
  EimzaMatchTest *test = g_new0 (EimzaMatchTest, 1);

  if (peek (parser, 0)->kind == TOKEN_AT)
    {
      test->attribute = take_attribute (parser);
      if (test->attribute == NULL)
        goto fail;
      if (!accept (parser, TOKEN_EQUALS))
        test->kind = EIMZA_MATCH_TEST_ATTRIBUTE;
      else if ((test->value = take (parser, TOKEN_LITERAL)) != NULL)
        test->kind = EIMZA_MATCH_TEST_ATTRIBUTE_EQUALS;
      else
        goto fail;
    }
  else if (accept_name (parser, "translate"))
    {
      test->kind = EIMZA_MATCH_TEST_TRANSLATE_EQUALS;
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
        test->kind = EIMZA_MATCH_TEST_TEXT_CONTAINS;
      else
        {
          test->kind = EIMZA_MATCH_TEST_CONCAT_CONTAINS;
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
      test->kind = EIMZA_MATCH_TEST_TEXT_NOT_EQUALS;
      if (!accept (parser, TOKEN_OPEN_PAREN) || !accept (parser, TOKEN_DOT) ||
          !accept (parser, TOKEN_CLOSE_PAREN) || !accept (parser, TOKEN_NOT_EQUALS) ||
          (test->value = take (parser, TOKEN_LITERAL)) == NULL)
        goto fail;
    }
  else if (peek (parser, 0)->kind == TOKEN_NAME && strcmp (peek (parser, 0)->text, "self") == 0)
    {
      test->kind = EIMZA_MATCH_TEST_SELF_NAMES;
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
static EimzaMatchStep *
parse_step (Parser *parser)
{
  EimzaMatchStep *step = step_new ();

  if (peek (parser, 0)->kind == TOKEN_NAME && peek (parser, 1)->kind != TOKEN_OPEN_PAREN &&
      peek (parser, 1)->kind != TOKEN_AXIS)
    step->name = take (parser, TOKEN_NAME);
  else if (!accept (parser, TOKEN_STAR))
    goto fail;

  while (accept (parser, TOKEN_OPEN_BRACKET))
    {
      EimzaMatchTest *test = parse_test (parser);

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
      EimzaMatchStep *step = parse_step (parser);

      if (step == NULL)
        return NULL;
      g_ptr_array_add (steps, step);
    }
  if (steps->len == 0)
    return NULL;

  if (accept (parser, TOKEN_SLASH))
    {
      EimzaMatchStep *last = g_ptr_array_index (steps, steps->len - 1);

      last->attribute = take_attribute (parser);
      if (last->attribute == NULL)
        return NULL;
    }
  return g_steal_pointer (&steps);
}

static EimzaMatchExpr *
parse_nodes (Parser *parser)
{
  EimzaMatchExpr *expr = g_new0 (EimzaMatchExpr, 1);

  expr->kind = EIMZA_MATCH_EXPR_NODES;
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

              if (((EimzaMatchStep *) g_ptr_array_index (path, path->len - 1))->attribute != NULL)
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
  eimza_portal_match_expr_free (expr);
  return NULL;
}

static EimzaMatchExpr *
parse_unary (Parser *parser)
{
  EimzaMatchExpr *expr;

  if (peek (parser, 1)->kind != TOKEN_OPEN_PAREN)
    return parse_nodes (parser);

  expr = g_new0 (EimzaMatchExpr, 1);
  expr->slot = -1;
  if (accept_name (parser, "boolean"))
    expr->kind = EIMZA_MATCH_EXPR_BOOLEAN;
  else if (accept_name (parser, "string"))
    expr->kind = EIMZA_MATCH_EXPR_STRING;
  else
    goto fail;

  if (!accept (parser, TOKEN_OPEN_PAREN) ||
      (expr->left = parse_nodes (parser)) == NULL ||
      !accept (parser, TOKEN_CLOSE_PAREN))
    goto fail;
  return expr;

fail:
  eimza_portal_match_expr_free (expr);
  return NULL;
}

static EimzaMatchExpr *parse_binary (Parser             *parser,
                                     EimzaMatchExprKind  kind);

/* An operand of `or` is an `and` expression; of `and`, a unary one. */
static EimzaMatchExpr *
parse_operand (Parser             *parser,
               EimzaMatchExprKind  kind)
{
  return kind == EIMZA_MATCH_EXPR_OR ? parse_binary (parser, EIMZA_MATCH_EXPR_AND) : parse_unary (parser);
}

static EimzaMatchExpr *
parse_binary (Parser             *parser,
              EimzaMatchExprKind  kind)
{
  const char *keyword = kind == EIMZA_MATCH_EXPR_OR ? "or" : "and";
  EimzaMatchExpr *left = parse_operand (parser, kind);

  while (left != NULL && accept_name (parser, keyword))
    {
      EimzaMatchExpr *expr = g_new0 (EimzaMatchExpr, 1);

      expr->kind = kind;
      expr->slot = -1;
      expr->left = left;
      expr->right = parse_operand (parser, kind);
      left = expr;
      if (expr->right == NULL)
        {
          eimza_portal_match_expr_free (expr);
          return NULL;
        }
    }
  return left;
}

EimzaMatchExpr *
eimza_portal_match_expr_parse (const char *source)
{
  Parser parser = { tokenize (source), 0 };
  EimzaMatchExpr *expr;

  if (parser.tokens == NULL)
    return NULL;
  expr = parse_binary (&parser, EIMZA_MATCH_EXPR_OR);
  if (expr != NULL && peek (&parser, 0)->kind != TOKEN_END)
    g_clear_pointer (&expr, eimza_portal_match_expr_free);
  g_array_unref (parser.tokens);
  return expr;
}
