/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plans of the selector matcher: the subset of XPath it matches, parsed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What eimza-portal-match-plan.c makes of an expression and
 * eimza-portal-match.c matches. Predicates, each for an element: */
typedef enum {
  EIMZA_MATCH_TEST_ATTRIBUTE,          /* [@a] */
  EIMZA_MATCH_TEST_ATTRIBUTE_EQUALS,   /* [@a='v'] */
  EIMZA_MATCH_TEST_TRANSLATE_EQUALS,   /* [translate(@a,'FROM','to')='v'] */
  EIMZA_MATCH_TEST_CONCAT_CONTAINS,    /* [contains(concat('p',normalize-space(@a),'s'),'v')] */
  EIMZA_MATCH_TEST_TEXT_CONTAINS,      /* [contains(.,'v')] */
  EIMZA_MATCH_TEST_TEXT_NOT_EQUALS,    /* [normalize-space(.)!='v'] */
  EIMZA_MATCH_TEST_SELF_NAMES,         /* [self::a or self::b …] */
} EimzaMatchTestKind;

typedef struct {
  EimzaMatchTestKind kind;
  char *attribute;
  char *value;
  char *from;              /* translate */
  char *to;
  char *prefix;            /* concat */
  char *suffix;
  GPtrArray *names;        /* self:: */
} EimzaMatchTest;

/* A step of a path, the `//` axis before it: an element with @name (NULL:
 * any) for which every test passes. */
typedef struct {
  char *name;
  GPtrArray *tests;        /* EimzaMatchTest */
  int id;                  /* index in the matcher's steps */
  int previous;            /* the step before it in its path, or -1 */
  gboolean last;           /* the path's result */
  char *attribute;         /* last step only: the path's final /@attribute */
  int slot;                /* the result slot of the expression it belongs to */
} EimzaMatchStep;

typedef enum {
  EIMZA_MATCH_EXPR_NODES,    /* a path, or a union of paths */
  EIMZA_MATCH_EXPR_BOOLEAN,  /* boolean(left) */
  EIMZA_MATCH_EXPR_STRING,   /* string(left) */
  EIMZA_MATCH_EXPR_AND,
  EIMZA_MATCH_EXPR_OR,
} EimzaMatchExprKind;

typedef struct _EimzaMatchExpr EimzaMatchExpr;
struct _EimzaMatchExpr {
  EimzaMatchExprKind kind;
  EimzaMatchExpr *left;
  EimzaMatchExpr *right;
  /* EIMZA_MATCH_EXPR_NODES: absolute paths (each a GPtrArray of
   * EimzaMatchStep), matched in the walk into @slot; or one relative step
   * at the context node, an element step (@relative_step) or an attribute
   * (@relative_attribute). */
  GPtrArray *paths;
  int slot;
  EimzaMatchStep *relative_step;
  char *relative_attribute;
};

/* The plan of @source, or NULL when it is not in the subset. */
EimzaMatchExpr *eimza_portal_match_expr_parse (const char     *source);
void            eimza_portal_match_expr_free  (EimzaMatchExpr *expr);

G_END_DECLS
