/* web/org_pick.c: the unit picker (see web/org_pick.h): which units a
 * picker offers, grouped by street, and the <select> that offers them. */
#include "web/org_pick.h"
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"

/* The PICK_* bit of a level code. */
static unsigned pick_level_bit(const char *level) {
  if (strcmp(level, "county") == 0) return PICK_COUNTY;
  if (strcmp(level, "street") == 0) return PICK_STREET;
  return PICK_COMMUNITY;
}

/* true when path lies in the subtree of prefix (NULL: never). */
static bool pick_under(const char *path, const char *prefix) {
  return prefix && *prefix && strncmp(path, prefix, strlen(prefix)) == 0;
}

/* The path of the street that holds path ("/1/5/23/" -> "/1/5/"), written
 * into out; "" when path is above a street. */
static void pick_street_of(const char *path, char *out, size_t outsz) {
  out[0] = 0;
  int slashes = 0;
  for (const char *p = path; *p; p++)
    if (*p == '/' && ++slashes == 3) {
      size_t n = (size_t)(p - path) + 1;
      if (n < outsz) {
        memcpy(out, path, n);
        out[n] = 0;
      }
      return;
    }
}

/* true when unit u is offered by p; focus (large mode only, else NULL) is
 * the street whose communities are listed, the other streets standing for
 * theirs. */
static bool pick_offered(const OrgPick *p, const OrgUnit *u, const char *focus) {
  if (pick_under(u->path, p->except_path)) return false;
  unsigned bit = pick_level_bit(u->level);
  if (focus && bit == PICK_STREET) return true;
  if (!(p->levels & bit)) return false;
  if (focus && bit == PICK_COMMUNITY) return strncmp(u->path, focus, strlen(focus)) == 0;
  return true;
}

void org_pick(Req *r, const OrgPick *p) {
  OrgUnit *units = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if ((p->county ? app_org_list_county(&r->ctx, &units, &n, &e) : app_org_list(&r->ctx, &units, &n, &e)) != ERR_OK)
    n = 0;
  const char *value = page_s(p->value);

  /* Large mode: the value's street (else the actor's) is the focus. */
  int offered = 0;
  for (int i = 0; i < n; i++) offered += pick_offered(p, &units[i], NULL);
  char focus[ORG_PATH_MAX] = "";
  bool large = offered > PICK_FULL_MAX;
  if (large) {
    for (int i = 0; i < n && *value; i++)
      if (strcmp(units[i].code, value) == 0) pick_street_of(units[i].path, focus, sizeof focus);
    if (!focus[0]) pick_street_of(r->actor.org_path, focus, sizeof focus);
    if (!focus[0]) strcpy(focus, "//"); /* no street: none expanded */
  }

  Buf id = BUF_INIT;
  buf_printf(&id, "f-%s%s%s", r->field_prefix ? r->field_prefix : "", r->field_prefix ? "-" : "", p->name);
  html(r, "<div class=\"field picker%s\"><label for=\"%s\">%s%s</label>", p->error_zh ? " has-error" : "", buf_str(&id),
       T(r, p->label_zh), p->required ? " *" : "");
  html(r, "<select id=\"%s\" name=\"%s\" data-pick=\"%s\"%s", buf_str(&id), p->name, T(r, "输入名称查找"),
       p->required ? " required" : "");
  if (p->error_zh) html(r, " aria-invalid=\"true\" aria-describedby=\"e%s\"", buf_str(&id) + 1);
  html_raw(r, ">");
  if (p->first_zh) html(r, "<option value=\"\">%s</option>", T(r, p->first_zh));
  bool found = !*value && p->first_zh;
  for (const char *const *x = p->extra; x && x[0]; x += 2) {
    bool sel = strcmp(value, x[0]) == 0;
    found = found || sel;
    html(r, "<option value=\"%s\"%s>%s</option>", x[0], sel ? " selected" : "", T(r, x[1]));
  }

  /* Tree order: a street opens the group of its communities (written when
   * its first option is); a county's options stand outside any group. */
  const char *street = NULL;
  bool group_open = false;
  for (int i = 0; i < n; i++) {
    const OrgUnit *u = &units[i];
    unsigned bit = pick_level_bit(u->level);
    if (bit != PICK_COMMUNITY) {
      if (group_open) html_raw(r, "</optgroup>");
      group_open = false;
      street = bit == PICK_STREET ? u->name : NULL;
    }
    if (!pick_offered(p, u, large ? focus : NULL)) continue;
    if (street && !group_open) {
      html(r, "<optgroup label=\"%s\">", street);
      group_open = true;
    }
    bool sel = strcmp(value, u->code) == 0;
    found = found || sel;
    if (bit == PICK_COMMUNITY && street)
      html(r, "<option value=\"%s\" title=\"%s › %s\"%s>%s</option>", u->code, street, u->name, sel ? " selected" : "",
           u->name);
    else
      html(r, "<option value=\"%s\" title=\"%s\"%s>%s</option>", u->code, u->name, sel ? " selected" : "", u->name);
  }
  if (group_open) html_raw(r, "</optgroup>");
  if (!found && *value) html(r, "<option value=\"%s\" selected>%s</option>", value, value);
  html_raw(r, "</select>");
  if (large) html(r, "<span class=\"muted\">%s</span>", T(r, "单位较多：选择街道后提交，即列出该街道的社区"));
  if (p->error_zh) html(r, "<span class=\"field-error\" id=\"e%s\">%s</span>", buf_str(&id) + 1, T(r, p->error_zh));
  html_raw(r, "</div>");
  buf_reset(&id);
  free(units);
}
