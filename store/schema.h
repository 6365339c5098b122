/* store/schema.h: the numbered schema migrations, applied at start-up. */
#ifndef JINDU_SCHEMA_H
#define JINDU_SCHEMA_H
#include "db.h"

/* Applies every migration newer than the database's version, each in its
 * own transaction, then builds the indexes a killed bulk load left dropped
 * (store_gen_indexes_repair). */
int schema_migrate(Db *db, Err *e);
/* Number of the newest migration this binary knows. */
int schema_latest(void);
/* Driver hook: records the applied version (PRAGMA user_version on SQLite). */
int db_set_schema_version(Db *db, int v, Err *e);

#endif
