/* core/status.h: the supervision status (管控状态) of a person, the allowed
 * transitions between statuses (a state machine), and the legal lengths
 * that give an episode's planned end (DOMAIN.md §3). Pure. */
#ifndef JINDU_STATUS_H
#define JINDU_STATUS_H
#include <stdbool.h>
#include "date.h"

typedef enum {
  ST_NONE = 0,              /* no episode yet (a newly registered person) */
  ST_COMMUNITY_DETOX,       /* 社区戒毒: 3 years from the day the person reports (law) */
  ST_COMPULSORY_ISOLATION,  /* 强制隔离戒毒: 2 years (law) */
  ST_COMMUNITY_REHAB,       /* 社区康复: up to 3 years (law) */
  ST_SOCIAL_SUPERVISION,    /* 社会面管控: until 3 years abstinent */
  ST_DETAINED,              /* 拘留: pauses a community order */
  ST_IMPRISONED,            /* 服刑: ends a community order */
  ST_ABSTINENT_3Y,          /* 戒断三年未复吸: out of dynamic supervision, still in view */
  ST_DEAD,                  /* 死亡: closed; nothing follows */
  ST_EMIGRATED,             /* 出境: closed until the person returns */
  ST__COUNT
} Status;

/* The API codes of every status but ST_NONE, in enum order, NULL-terminated
 * (the choices of a status field). */
extern const char *const status_codes[ST__COUNT];
/* API code ("community_detox"); "" for ST_NONE. */
const char *status_code(Status s);
/* Status from its API code; ST_NONE when unknown or NULL. */
Status status_from_code(const char *code);
/* Chinese name (社区戒毒...). */
const char *status_name_zh(Status s);
/* true when a person in status `from` may start an episode of status `to`.
 * ST_NONE as `from` means the first episode. Never true for `to` == ST_NONE
 * or from == to, nor for anything after ST_DEAD. */
bool status_transition_allowed(Status from, Status to);
/* Legal length in years (3, 2, 3, 3 for detox, isolation, rehab and social
 * supervision); 0 when the status has no fixed length. */
int status_legal_years(Status s);
/* The planned last day of an episode starting on `start`: start + legal
 * years - 1 day (an order from 2023-03-15 runs to 2026-03-14). false when the
 * status has no fixed length. */
bool status_planned_end(Status s, Day start, Day *end);
/* Dead or emigrated: the file is closed. */
bool status_is_closed(Status s);
/* In a closed facility or in custody (isolation, prison, detention): no talk
 * or test is due. */
bool status_is_custodial(Status s);
/* Under a community order (detox or rehab): the 15-day report rule applies. */
bool status_is_community_order(Status s);

#endif
