/* core/derived.h: the derived fields of a person, computed from the
 * person's history as pure functions. The person row stores them so that
 * work lists stay fast at scale; the code that writes history (app/person.c)
 * and the check that recomputes everything (app/doctor.c, `jindu doctor`)
 * both call these functions, so the rule lives in one place.
 *
 * For now: the current status and its "since" date, from the status
 * episodes. Later derived fields (control, risk level, next talk and test due
 * dates) are added here as more functions over the history. */
#ifndef JINDU_DERIVED_H
#define JINDU_DERIVED_H
#include <stdint.h>
#include "date.h"

#define DERIVED_STATUS_LEN 32 /* longest status code + NUL, with room */

/* One status episode as the rules see it (borrowed strings). */
typedef struct DerivedEpisode {
  int64_t id;                /* row id: episodes are appended, so id order is entry order */
  int64_t corrects_id;       /* 0, or the id of the episode this row corrects */
  const char *status;        /* status code ("community_detox"...) */
  const char *decision_date; /* "YYYY-MM-DD", or NULL/"" when not recorded */
  const char *start_date;    /* "YYYY-MM-DD", or NULL/"" until the person reports */
  const char *created_at;    /* when the row was written ("YYYY-MM-DDTHH:MM:SS+08:00"),
                                or NULL/""; only its date part is used */
} DerivedEpisode;

/* The current episode among eps[0..n), given in id order: the index, or -1
 * when there is none (n == 0).
 * Rule: a row is voided when a later row corrects it (corrects_id). A
 * correction takes the place of the row it corrects (its place is the place
 * of that row, through chains of corrections); an uncorrected row's place is
 * its own id. The current episode is the non-voided row in the latest place;
 * when two live rows share a place (a row corrected twice), the later id
 * wins. Without corrections this is simply the last row. */
int derived_current_episode(const DerivedEpisode *eps, int n);

/* The derived status of a person from its episodes (id order): status is
 * the current episode's code ("" when there is no episode); since is the
 * date from which that status counts: its start_date, else its
 * decision_date, else the date part (first 10 characters) of its
 * created_at, else "". Both outputs are always NUL-terminated. */
void derived_status(const DerivedEpisode *eps, int n, char status[DERIVED_STATUS_LEN],
                    char since[DATE_ISO_LEN]);

#endif
