/* web/i18n.h: the message catalog. Chinese text is the msgid; English comes
 * from the catalog (web/i18n.c) when the request's language is English, and a
 * msgid missing from the catalog is shown in Chinese. */
#ifndef JINDU_I18N_H
#define JINDU_I18N_H
#include "web/http.h"

/* The text of msgid in r's language. Static; never NULL (NULL in, "" out). */
const char *T(const Req *r, const char *msgid_zh);
/* The text of msgid in language lang ("zh"/"en"). */
const char *i18n_text(const char *lang, const char *msgid_zh);
/* Picks "en" or "zh" from an Accept-Language header (NULL → "zh"). */
const char *i18n_from_accept(const char *accept_language);
/* Number of catalog entries and the i-th msgid (for the catalog test). */
int i18n_count(void);
const char *i18n_msgid(int i);

#endif
