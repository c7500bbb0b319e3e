/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A profile's selectors matched in one walk over a page, with libxml2's XPath for the rest. */
#include "config.h"

#include <string.h>
#include <libxml/xpathInternals.h>

#include "eimza-portal-html.h"
#include "eimza-portal-match-private.h"
#include "eimza-portal-match.h"

/* Why: libxml2 walks the whole document once per expression, and a page's
 * two dozen selectors cost three times its parse. Each plan here mirrors
 * what libxml2 computes for its expression (XPath 1.0 as libxml2 implements
 * it: name tests without namespaces, string values from xmlNodeGetContent,
 * normalize-space over XML blanks); whatever the parser
 * (eimza-portal-match-plan.c) does not recognise stays with libxml2. */

typedef enum {
  TEST_FAILED,
  TEST_PASSED,
  /* A case the plan does not cover (text that is not UTF-8): libxml2 decides. */
  TEST_UNDECIDED,
} TestResult;

struct _EimzaPortalMatcher
{
  GHashTable *plans;           /* xmlXPathCompExprPtr -> EimzaMatchExpr */
  GPtrArray *steps;            /* EimzaMatchStep of every absolute path */
  guint n_slots;
  GHashTable *steps_by_name;   /* element name -> GPtrArray of steps */
  GPtrArray *key_attributes;   /* names of attributes that key `*` steps */
  GHashTable *steps_by_key;    /* "attribute\nvalue" -> GPtrArray of steps */
  GPtrArray *steps_any;        /* `*` steps without a key */
};

/* ------------------------------------------------------------------------
 * The matcher.
 * ------------------------------------------------------------------------ */

EimzaPortalMatcher *
eimza_portal_matcher_new (void)
{
  EimzaPortalMatcher *matcher = g_new0 (EimzaPortalMatcher, 1);

  matcher->plans = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) eimza_portal_match_expr_free);
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
add_to_index (GHashTable     *index,
              char           *key,
              EimzaMatchStep *step)
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
            EimzaMatchStep     *step)
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
      EimzaMatchTest *test = g_ptr_array_index (step->tests, i);

      if (test->kind == EIMZA_MATCH_TEST_ATTRIBUTE_EQUALS)
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
               EimzaMatchExpr     *expr)
{
  if (expr == NULL)
    return;
  register_expr (matcher, expr->left);
  register_expr (matcher, expr->right);
  if (expr->kind != EIMZA_MATCH_EXPR_NODES || expr->paths == NULL)
    return;

  expr->slot = matcher->n_slots++;
  for (guint i = 0; i < expr->paths->len; i++)
    {
      GPtrArray *path = g_ptr_array_index (expr->paths, i);

      for (guint j = 0; j < path->len; j++)
        {
          EimzaMatchStep *step = g_ptr_array_index (path, j);

          index_step (matcher, step);
          step->previous = j > 0 ? ((EimzaMatchStep *) g_ptr_array_index (path, j - 1))->id : -1;
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
  EimzaMatchExpr *plan;

  g_return_val_if_fail (matcher != NULL, FALSE);
  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (g_hash_table_contains (matcher->plans, expr))
    return TRUE;
  plan = eimza_portal_match_expr_parse (source);
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
run_test (const EimzaMatchTest *test,
          xmlNodePtr            node,
          GString              *scratch)
{
  xmlChar *to_free = NULL;
  const char *text;
  gboolean passed = FALSE;

  switch (test->kind)
    {
    case EIMZA_MATCH_TEST_ATTRIBUTE:
    case EIMZA_MATCH_TEST_ATTRIBUTE_EQUALS:
      for (xmlAttrPtr attribute = node->properties; attribute != NULL && !passed;
           attribute = attribute->next)
        {
          if (!is_attribute_named (attribute, test->attribute))
            continue;
          if (test->kind == EIMZA_MATCH_TEST_ATTRIBUTE)
            passed = TRUE;
          else
            {
              passed = strcmp (attribute_value (attribute, &to_free), test->value) == 0;
              g_clear_pointer (&to_free, xmlFree);
            }
        }
      return passed ? TEST_PASSED : TEST_FAILED;

    case EIMZA_MATCH_TEST_TRANSLATE_EQUALS:
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

    case EIMZA_MATCH_TEST_CONCAT_CONTAINS:
      text = first_attribute_value (node, test->attribute, &to_free);
      g_string_assign (scratch, test->prefix);
      append_normalized (scratch, text);
      g_string_append (scratch, test->suffix);
      passed = strstr (scratch->str, test->value) != NULL;
      break;

    case EIMZA_MATCH_TEST_TEXT_CONTAINS:
    case EIMZA_MATCH_TEST_TEXT_NOT_EQUALS:
      to_free = xmlNodeGetContent (node);
      text = to_free != NULL ? (const char *) to_free : "";
      if (test->kind == EIMZA_MATCH_TEST_TEXT_CONTAINS)
        passed = strstr (text, test->value) != NULL;
      else
        {
          g_string_truncate (scratch, 0);
          append_normalized (scratch, text);
          passed = strcmp (scratch->str, test->value) != 0;
        }
      break;

    case EIMZA_MATCH_TEST_SELF_NAMES:
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
run_step (const EimzaMatchStep *step,
          xmlNodePtr            node,
          GString              *scratch)
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
try_step (Walk                 *walk,
          const EimzaMatchStep *step,
          xmlNodePtr            node,
          guint                 frame)
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
is_decided (EimzaPortalReading   *reading,
            const EimzaMatchExpr *plan)
{
  if (plan == NULL)
    return TRUE;
  if (plan->slot >= 0 && reading->undecided[plan->slot])
    return FALSE;
  return is_decided (reading, plan->left) && is_decided (reading, plan->right);
}

static const EimzaMatchExpr *
lookup_plan (EimzaPortalReading  *reading,
             xmlXPathCompExprPtr  expr)
{
  const EimzaMatchExpr *plan = g_hash_table_lookup (reading->matcher->plans, expr);

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

/* The nodes of an EIMZA_MATCH_EXPR_NODES plan, or NULL when a relative step met a case
 * for libxml2. */
static GPtrArray *
plan_nodes (EimzaPortalReading   *reading,
            const EimzaMatchExpr *plan,
            xmlNodePtr            node)
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
plan_boolean (EimzaPortalReading   *reading,
              const EimzaMatchExpr *plan,
              xmlNodePtr            node,
              gboolean             *out_value);

/* The uncleaned string value (xmlXPathCastToString()), or NULL when
 * libxml2 must answer. */
static xmlChar *
plan_string (EimzaPortalReading   *reading,
             const EimzaMatchExpr *plan,
             xmlNodePtr            node)
{
  g_autoptr(GPtrArray) nodes = NULL;
  gboolean value;

  switch (plan->kind)
    {
    case EIMZA_MATCH_EXPR_NODES:
      nodes = plan_nodes (reading, plan, node);
      if (nodes == NULL)
        return NULL;
      return nodes->len > 0 ? xmlXPathCastNodeToString (g_ptr_array_index (nodes, 0))
                            : xmlStrdup ((const xmlChar *) "");
    case EIMZA_MATCH_EXPR_STRING:
      return plan_string (reading, plan->left, node);
    case EIMZA_MATCH_EXPR_BOOLEAN:
    case EIMZA_MATCH_EXPR_AND:
    case EIMZA_MATCH_EXPR_OR:
      if (!plan_boolean (reading, plan, node, &value))
        return NULL;
      return xmlStrdup ((const xmlChar *) (value ? "true" : "false"));
    default:
      g_assert_not_reached ();
    }
}

static gboolean
plan_boolean (EimzaPortalReading   *reading,
              const EimzaMatchExpr *plan,
              xmlNodePtr            node,
              gboolean             *out_value)
{
  g_autoptr(GPtrArray) nodes = NULL;
  xmlChar *text;

  switch (plan->kind)
    {
    case EIMZA_MATCH_EXPR_NODES:
      nodes = plan_nodes (reading, plan, node);
      if (nodes == NULL)
        return FALSE;
      *out_value = nodes->len > 0;
      return TRUE;
    case EIMZA_MATCH_EXPR_STRING:
      text = plan_string (reading, plan, node);
      if (text == NULL)
        return FALSE;
      *out_value = text[0] != '\0';
      xmlFree (text);
      return TRUE;
    case EIMZA_MATCH_EXPR_BOOLEAN:
      return plan_boolean (reading, plan->left, node, out_value);
    case EIMZA_MATCH_EXPR_AND:
    case EIMZA_MATCH_EXPR_OR:
      if (!plan_boolean (reading, plan->left, node, out_value))
        return FALSE;
      if (*out_value == (plan->kind == EIMZA_MATCH_EXPR_OR))
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
  const EimzaMatchExpr *plan = lookup_plan (reading, expr);
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
  const EimzaMatchExpr *plan = lookup_plan (reading, expr);
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
  const EimzaMatchExpr *plan = lookup_plan (reading, expr);
  GPtrArray *nodes = NULL;

  if (plan != NULL && plan->kind != EIMZA_MATCH_EXPR_NODES)
    return g_ptr_array_new ();
  if (plan != NULL)
    nodes = plan_nodes (reading, plan, node);
  if (nodes == NULL)
    nodes = eimza_portal_html_evaluate_nodes (get_context (reading), expr, node);
  return nodes;
}
