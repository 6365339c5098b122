/* web/i18n.c: the message catalog (Chinese msgid → English) and language
 * choice. The catalog is one table; a hash index over it is built once. */
#include "web/i18n.h"
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

typedef struct { const char *zh; const char *en; } I18nEntry;

static const I18nEntry i18n_catalog[] = {
#include "web/i18n_catalog.inc"
};
#define I18N_N ((int)(sizeof i18n_catalog / sizeof i18n_catalog[0]))
#define I18N_SLOTS 4096


static int i18n_index[I18N_SLOTS]; /* catalog index + 1; 0 = empty */
static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;

static uint32_t i18n_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Builds the open-addressing index over the catalog (once). */
static void i18n_build(void) {
  assert(I18N_N * 2 <= I18N_SLOTS); /* open addressing needs free slots */
  for (int i = 0; i < I18N_N; i++) {
    uint32_t slot = i18n_hash(i18n_catalog[i].zh) % I18N_SLOTS;
    while (i18n_index[slot]) slot = (slot + 1) % I18N_SLOTS;
    i18n_index[slot] = i + 1;
  }
}

const char *i18n_text(const char *lang, const char *msgid) {
  if (!msgid) return "";
  if (!lang || strcmp(lang, "en") != 0) return msgid;
  pthread_once(&i18n_once, i18n_build);
  uint32_t slot = i18n_hash(msgid) % I18N_SLOTS;
  while (i18n_index[slot]) {
    const I18nEntry *en = &i18n_catalog[i18n_index[slot] - 1];
    if (strcmp(en->zh, msgid) == 0) return en->en;
    slot = (slot + 1) % I18N_SLOTS;
  }
  return msgid;
}

const char *T(const Req *r, const char *msgid) { return i18n_text(r ? r->lang : "zh", msgid); }

const char *i18n_from_accept(const char *al) {
  if (!al) return "zh";
  /* The first listed language wins; zh* or anything unknown → zh. */
  while (*al == ' ') al++;
  if (strncasecmp(al, "en", 2) == 0) return "en";
  return "zh";
}

int i18n_count(void) { return I18N_N; }
const char *i18n_msgid(int i) { return (i >= 0 && i < I18N_N) ? i18n_catalog[i].zh : NULL; }
