/* cli/cmd_routes.c: `jindu routes [--json]`: the route table of web/
 * routes.c as the binary holds it (method, pattern, the permissions a
 * route needs, its flags) and which permissions each role holds, so that
 * tests enumerate the routes from the table itself (tests/integration/
 * suite_rbac.py: a route added is covered the day it is added). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "cli/cli.h"
#include "web/routes.h"

static const struct { unsigned bit; const char *name; } cr_perms[] = {
  {PERM_LOGGED_IN, "logged_in"}, {PERM_PERSON_READ, "person_read"}, {PERM_PERSON_WRITE, "person_write"},
  {PERM_USER_ADMIN, "user_admin"}, {PERM_ORG_ADMIN, "org_admin"},   {PERM_AUDIT_READ, "audit_read"},
};
static const struct { unsigned bit; const char *name; } cr_flags[] = {
  {ROUTE_PUBLIC, "public"}, {ROUTE_API, "api"}, {ROUTE_UPLOAD, "upload"},
};

/* A new JSON array of the names of the permission bits in perms (the
 * caller owns it). */
static json_t *cr_perm_names(unsigned perms) {
  json_t *a = json_array();
  for (size_t i = 0; i < sizeof cr_perms / sizeof cr_perms[0]; i++)
    if (perms & cr_perms[i].bit) json_array_append_new(a, json_string(cr_perms[i].name));
  return a;
}

int cmd_routes(const CliArgs *a) {
  bool as_json = cli_flag(a, "--json");
  if (!as_json) {
    for (const Route *rt = routes; rt->method; rt++) {
      printf("%-6s %-48s", rt->method, rt->pattern);
      for (size_t i = 0; i < sizeof cr_perms / sizeof cr_perms[0]; i++)
        if (rt->perm & cr_perms[i].bit) printf(" %s", cr_perms[i].name);
      for (size_t i = 0; i < sizeof cr_flags / sizeof cr_flags[0]; i++)
        if (routes_flags(rt) & cr_flags[i].bit) printf(" [%s]", cr_flags[i].name);
      printf("\n");
    }
    return CLI_OK;
  }
  json_t *root = json_object(), *roles = json_object(), *list = json_array();
  for (int r = 0; r < ROLE__COUNT; r++) json_object_set_new(roles, role_code((Role)r), cr_perm_names(role_perms((Role)r)));
  for (const Route *rt = routes; rt->method; rt++) {
    json_t *flags = json_array();
    for (size_t i = 0; i < sizeof cr_flags / sizeof cr_flags[0]; i++)
      if (routes_flags(rt) & cr_flags[i].bit) json_array_append_new(flags, json_string(cr_flags[i].name));
    json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o}", "method", rt->method, "pattern", rt->pattern, "perm",
                                          cr_perm_names(rt->perm), "flags", flags));
  }
  json_object_set_new(root, "roles", roles);
  json_object_set_new(root, "routes", list);
  char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!text) return CLI_FAIL;
  puts(text);
  free(text);
  return CLI_OK;
}
