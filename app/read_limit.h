/* app/read_limit.h: reads that cannot flood the log, and that catch
 * scraping (issue 12 point 3). Every audited read of a case file (the
 * file, its supervision history and schedule, an attachment) takes a token
 * from its user's bucket (core/rate.h): READ_LIMIT_DEFAULT a minute, a
 * minute's worth at once; reads of one file by one user action take one.
 * Beyond it the read is refused (ERR_THROTTLED, the API's 429 with
 * Retry-After: the seconds until a token is back) before anything is
 * read or audited, and the first refusal in ten minutes raises a read
 * alert (异常读取), in its own transaction with its audit row: the offices
 * above the user's unit see it on their workbench until one of them (never
 * the user herself) acknowledges it. The buckets live in memory (a table
 * under one mutex): the normal path costs a lookup, no write. The limiter
 * runs only where read_limit_init was called (`jindu serve`): the command
 * line and the unit tests read unbounded. */
#ifndef JINDU_APP_READ_LIMIT_H
#define JINDU_APP_READ_LIMIT_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "store/read_alert.h"

#define READ_LIMIT_DEFAULT 60 /* case-file reads a user may make a minute */
#define READ_ALERT_QUIET_MS (10 * 60 * 1000) /* at most one alert a user in this time */
#define READ_ALERT_DAYS 30 /* the workbench shows open alerts of so many days */

/* The message of a refused read (a catalog msgid; the server compares the
 * pointer to choose the Retry-After). */
extern const char READ_LIMIT_MSG[];

/* Turns the limiter on with per_minute reads a user (0: READ_LIMIT_DEFAULT). */
void read_limit_init(int per_minute);

/* Takes a token for the actor of c reading entity/entity_id (call before
 * the read). ERR_OK when the read may go on (the limiter off, the command
 * line, the read this Ctx already audited); ERR_THROTTLED READ_LIMIT_MSG
 * when the user's bucket is empty (then a read alert may be raised). */
int read_limit_take(Ctx *c, const char *entity, int64_t entity_id, Err *e);

/* The seconds until user_id may read again (>= 1): the Retry-After. */
int read_limit_retry_after(int64_t user_id);

/* The open read alerts the actor may acknowledge (admin or office; the
 * users of its scope but itself; the last READ_ALERT_DAYS days), newest
 * first, at most 100. *items malloc'd (free()); none for other roles. */
int app_read_alert_list(Ctx *c, ReadAlertRow **items, int *n, Err *e);

/* Acknowledges alert id (已知悉): ERR_NOT_FOUND when the actor may not see
 * it (another scope, or an alert about herself), ERR_FORBIDDEN for roles
 * other than admin and office, ERR_CONFLICT when acknowledged already.
 * Audited (action "ack", entity "read_alert"). */
int app_read_alert_ack(Ctx *c, int64_t id, Err *e);

#endif
