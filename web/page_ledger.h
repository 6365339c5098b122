/* web/page_ledger.h: what the workbench shows of the ledgers of
 * web/page_ledger.c: the venue inspections whose follow-up (整改) is open
 * or overdue, each with the link to its page where it is recorded done. */
#ifndef JINDU_PAGE_LEDGER_H
#define JINDU_PAGE_LEDGER_H
#include "web/http.h"

/* The workbench's section of open follow-ups for the scope org (a unit
 * code; NULL, "" or "me": the actor's scope): the counts of overdue and
 * open ones and the most urgent of each; nothing when there is none. */
void page_inspection_followup_section(Req *r, const char *org);

#endif
