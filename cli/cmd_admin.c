/* cli/cmd_admin.c: the administrator's commands: init, org add/rename/move,
 * user add, serve, audit verify and backup. Each parses its options, calls
 * app/ with the command-line actor and prints one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "app/audit.h"
#include "app/demo.h"
#include "app/org.h"
#include "app/user.h"
#include "cli/cli.h"
#include "store/db.h"
#include "web/server.h"

int cmd_init(const CliArgs *a) {
  const char *path = cli_opt(a, "--db");
  struct stat st;
  bool existed = stat(path, &st) == 0;
  Db *db = cli_open(a);
  if (!db) return CLI_FAIL;
  int rc = CLI_OK;
  if (cli_flag(a, "--demo")) {
    Err e;
    err_clear(&e);
    Actor actor;
    actor_cli(&actor);
    Ctx c;
    ctx_init(&c, db, &actor);
    if (demo_fill(&c, &e) != ERR_OK) rc = cli_fail(&e, "demo data");
    else printf("jindu: %s ready with the demo district\n", path);
  } else {
    printf("jindu: %s %s (schema version %d)\n", path, existed ? "migrated" : "created", db_schema_version(db));
  }
  db_close(db);
  return rc;
}

int cmd_org_add(const CliArgs *a) {
  const char *usage = "jindu org add --db PATH --code CODE --name NAME --level county|street|community [--parent CODE]";
  if (!cli_opt(a, "--code") || !cli_opt(a, "--name") || !cli_opt(a, "--level"))
    return cli_usage("--code, --name and --level are required", usage);
  CMD_WITH_CTX(a, c, db, actor);
  OrgUnit u;
  int rc = CLI_OK;
  if (app_org_add(&c, cli_opt(a, "--code"), cli_opt(a, "--name"), cli_opt(a, "--level"), cli_opt(a, "--parent"), &u,
                  &e) != ERR_OK)
    rc = cli_fail(&e, "org add");
  else
    printf("jindu: org %s (%s) added at %s\n", u.code, u.name, u.path);
  db_close(db);
  return rc;
}

/* A change of one unit: `jindu org VERB --code CODE OPT VALUE` runs
 * change(code, value) and prints "jindu: org CODE DONE" (followed by the
 * value when show_value). */
typedef struct CmdOrgChange {
  const char *verb, *opt, *missing, *usage, *done;
  bool show_value;
  int (*change)(Ctx *c, const char *code, const char *value, Err *e);
} CmdOrgChange;

/* Runs the org change x with the arguments a. */
static int cmd_org_change(const CliArgs *a, const CmdOrgChange *x) {
  const char *code = cli_opt(a, "--code"), *value = cli_opt(a, x->opt);
  if (!code || !value) return cli_usage(x->missing, x->usage);
  CMD_WITH_CTX(a, c, db, actor);
  char what[32];
  snprintf(what, sizeof what, "org %s", x->verb);
  int rc = CLI_OK;
  if (x->change(&c, code, value, &e) != ERR_OK) rc = cli_fail(&e, what);
  else printf("jindu: org %s %s%s\n", code, x->done, x->show_value ? value : "");
  db_close(db);
  return rc;
}

int cmd_org_rename(const CliArgs *a) {
  static const CmdOrgChange x = {"rename", "--name", "--code and --name are required",
                                 "jindu org rename --db PATH --code CODE --name NAME", "renamed", false, app_org_rename};
  return cmd_org_change(a, &x);
}

int cmd_org_division(const CliArgs *a) {
  static const CmdOrgChange x = {"division", "--division", "--code and --division are required",
                                 "jindu org division --db PATH --code CODE --division DIGITS", "division ", true,
                                 app_org_set_division};
  return cmd_org_change(a, &x);
}

int cmd_org_move(const CliArgs *a) {
  static const CmdOrgChange x = {"move", "--parent", "--code and --parent are required",
                                 "jindu org move --db PATH --code CODE --parent CODE", "moved under ", true,
                                 app_org_move};
  return cmd_org_change(a, &x);
}

/* Reads one line (the password) from stdin without its newline into out. */
static bool cmd_read_password(char *out, size_t outsz) {
  if (!fgets(out, (int)outsz, stdin)) return false;
  size_t n = strlen(out);
  if (n && out[n - 1] != '\n' && !feof(stdin)) return false; /* longer than the buffer */
  while (n && (out[n - 1] == '\n' || out[n - 1] == '\r')) out[--n] = 0;
  return true;
}

int cmd_user_add(const CliArgs *a) {
  const char *usage = "jindu user add --db PATH --username U --role ROLE --org CODE [--name NAME] --password-stdin";
  if (!cli_opt(a, "--username") || !cli_opt(a, "--role") || !cli_opt(a, "--org"))
    return cli_usage("--username, --role and --org are required", usage);
  if (!cli_flag(a, "--password-stdin")) return cli_usage("--password-stdin is required (the password is read from standard input)", usage);
  char pw[512];
  if (!cmd_read_password(pw, sizeof pw)) {
    fprintf(stderr, "jindu: user add: no password on standard input (or longer than 128 bytes)\n");
    return CLI_FAIL;
  }
  CMD_WITH_CTX(a, c, db, actor);
  UserRow u;
  int rc = CLI_OK;
  const char *name = cli_opt(a, "--name");
  if (app_user_add(&c, cli_opt(a, "--username"), name ? name : "", cli_opt(a, "--role"), cli_opt(a, "--org"), pw, &u,
                   &e) != ERR_OK)
    rc = cli_fail(&e, "user add");
  else
    printf("jindu: user %s (%s) added in %s\n", u.username, u.role, u.org_code);
  explicit_bzero(pw, sizeof pw); /* unlike memset, never optimised away */
  db_close(db);
  return rc;
}

int cmd_serve(const CliArgs *a) {
  const char *listen = cli_opt(a, "--listen");
  if (!listen) listen = "127.0.0.1:8080";
  const char *th = cli_opt(a, "--threads");
  int threads = th ? atoi(th) : 0;
  if (th && (threads < 1 || threads > 256)) return cli_usage("--threads must be 1..256", "jindu serve --db PATH --listen IP:PORT [--threads N]");
  Err e;
  err_clear(&e);
  if (server_run(cli_opt(a, "--db"), listen, threads, cli_flag(a, "--secure-cookies"), cli_opt(a, "--trusted-proxy"),
                 cli_flag(a, "--quiet"), &e) != ERR_OK)
    return e.code == ERR_INVALID ? (cli_fail(&e, "serve"), CLI_USAGE) : cli_fail(&e, "serve");
  return CLI_OK;
}

int cmd_audit_verify(const CliArgs *a) {
  Db *db = cli_open(a);
  if (!db) return CLI_FAIL;
  Err e;
  err_clear(&e);
  int64_t rows = 0, bad = 0;
  int rc = CLI_OK;
  if (audit_verify(db, &rows, &bad, &e) != ERR_OK) {
    fprintf(stderr, "jindu: audit verify: the audit chain is broken at row %lld (%s); %lld rows checked\n",
            (long long)bad, e.msg ? e.msg : "", (long long)rows);
    rc = CLI_FAIL;
  } else {
    printf("jindu: audit chain intact, %lld rows verified\n", (long long)rows);
  }
  db_close(db);
  return rc;
}

int cmd_backup(const CliArgs *a) {
  const char *to = cli_opt(a, "--to");
  if (!to) return cli_usage("--to FILE is required", "jindu backup --db PATH --to FILE");
  if (access(to, F_OK) == 0) {
    fprintf(stderr, "jindu: backup: %s exists already; choose a new file name\n", to);
    return CLI_FAIL;
  }
  Db *db = cli_open(a);
  if (!db) return CLI_FAIL;
  Err e;
  err_clear(&e);
  int rc = CLI_OK;
  if (db_backup(db, to, &e) != ERR_OK) rc = cli_fail(&e, "backup");
  else printf("jindu: backup written to %s\n", to);
  db_close(db);
  return rc;
}
