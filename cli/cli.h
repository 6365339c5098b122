/* cli/cli.h: the command table and the option parsing shared by commands. */
#ifndef JINDU_CLI_H
#define JINDU_CLI_H
#include <stdbool.h>
#include "core/err.h"
#include "store/db.h"

#define CLI_MAX_OPTS 16

typedef struct CliArgs {
  int nopts;
  struct { const char *name; const char *value; } opts[CLI_MAX_OPTS]; /* value NULL for flags */
} CliArgs;

typedef int (*CliFn)(const CliArgs *a);

typedef struct CliCommand {
  const char *name;     /* "org add" */
  CliFn fn;
  const char *usage;    /* one line */
  const char *const *valued; /* options taking a value, NULL-terminated */
  const char *const *flags;  /* options without a value */
} CliCommand;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* The value of option name ("--db"), or NULL. */
const char *cli_opt(const CliArgs *a, const char *name);
/* true when flag name was given. */
bool cli_flag(const CliArgs *a, const char *name);
/* Prints "jindu: <msg>" for e to stderr and returns CLI_FAIL (CLI_USAGE for
 * ERR_INVALID when usage is true). */
int cli_fail(const Err *e, const char *what);
/* Opens the database of --db for use (migrated, and the indexes a killed
 * bulk load left dropped built again); prints the error and returns NULL
 * on failure. The caller closes it (db_close). */
Db *cli_open(const CliArgs *a);
/* Prints a usage error and returns CLI_USAGE. */
int cli_usage(const char *msg, const char *usage);

/* The set-up of a command that runs use cases (the caller includes
 * app/app.h): declares Db *db (opened with cli_open; returns CLI_FAIL from
 * the command when that fails: the caller closes it), the command-line
 * Actor actor, the Ctx c over both and a cleared Err e. */
#define CMD_WITH_CTX(a, c, db, actor) \
  Db *db = cli_open(a);               \
  if (!db) return CLI_FAIL;           \
  Actor actor;                        \
  actor_cli(&actor);                  \
  Ctx c;                              \
  ctx_init(&c, db, &actor);           \
  Err e;                              \
  err_clear(&e)

int cmd_init(const CliArgs *a);
int cmd_org_add(const CliArgs *a);
int cmd_org_rename(const CliArgs *a);
int cmd_org_move(const CliArgs *a);
int cmd_org_division(const CliArgs *a);
int cmd_user_add(const CliArgs *a);
int cmd_serve(const CliArgs *a);
/* `jindu routes [--json]`: the route table and the roles' permissions (cli/cmd_routes.c). */
int cmd_routes(const CliArgs *a);
int cmd_audit_verify(const CliArgs *a);
int cmd_audit_archive(const CliArgs *a);
int cmd_doctor(const CliArgs *a);
int cmd_gen(const CliArgs *a);
int cmd_backup(const CliArgs *a);
int cmd_restore(const CliArgs *a);
int cmd_keygen(const CliArgs *a);
int cmd_attachments_encrypt(const CliArgs *a);
/* Loads the key file at path into key (the caller wipes it); prints the
 * refusal (what: the command) and returns CLI_FAIL, else CLI_OK. */
int cli_key_load(const char *path, unsigned char key[32], const char *what);

#endif
