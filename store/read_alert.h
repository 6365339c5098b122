/* store/read_alert.h: the SQL of read alerts (table read_alert): a user
 * read case files beyond the per-minute bound (app/read_limit.h); the
 * offices above her unit see it on their workbench until one acknowledges
 * it. No rights checks: app/read_limit.c decides. Every function returns
 * ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_READ_ALERT_H
#define JINDU_STORE_READ_ALERT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"
#include "store/org.h"

/* One alert as lists show it. */
typedef struct ReadAlertRow {
  int64_t id, user_id;
  char username[64], display_name[64], org_name[128];
  char org_path[ORG_PATH_MAX];
  char at[32];
  int per_minute;
  char acked_by[64], acked_at[32]; /* "" while open */
} ReadAlertRow;

/* Appends an alert about user_id (of unit org_path) at now. */
int store_read_alert_add(Db *db, int64_t user_id, const char *org_path, const char *now, int per_minute,
                         int64_t *id_out, Err *e);
/* The open alerts (not acknowledged) of the scope's users raised since
 * `since`, newest first, at most limit. *items malloc'd (free()). */
int store_read_alert_list(Db *db, const char *scope, const char *since, int limit, ReadAlertRow **items, int *n,
                          Err *e);
/* One alert (any scope: the caller checks). */
int store_read_alert_get(Db *db, int64_t id, ReadAlertRow *out, Err *e);
/* Acknowledges alert id by user_id at now; *done false when it was already. */
int store_read_alert_ack(Db *db, int64_t id, int64_t user_id, const char *now, bool *done, Err *e);

#endif
