/* store/schema.h: the numbered schema migrations, applied at start-up. */
#ifndef JINDU_SCHEMA_H
#define JINDU_SCHEMA_H
#include "db.h"

/* Applies every migration newer than the database's version
 * (db_schema_version), each in its own transaction. A DbPrepare: opening a
 * database for use is db_open(&db, path, schema_migrate, e). */
ErrCode schema_migrate(Db *db, Err *e);
/* Number of the newest migration this binary knows. */
int schema_latest(void);

#endif
