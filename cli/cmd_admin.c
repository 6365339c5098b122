/* cli/cmd_admin.c: the administrator's commands: init, org add/rename/move,
 * user add, serve and audit verify (backup: cli/cmd_crypt.c). Each parses its options, calls
 * app/ with the command-line actor and prints one line. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "app/attachment.h"
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
  ServeOpts o = {.db_path = cli_opt(a, "--db"), .listen = listen, .threads = threads,
                 .secure_cookies = cli_flag(a, "--secure-cookies"), .trusted_proxy = cli_opt(a, "--trusted-proxy"),
                 .quiet = cli_flag(a, "--quiet")};
  /* the limits: each a whole number within its bounds, or the default */
  static const struct { const char *opt; int lo, hi; size_t off; } lim[] = {
    {"--max-per-address", 1, 1000, offsetof(ServeOpts, per_address)},
    {"--header-timeout", 1, 3600, offsetof(ServeOpts, header_timeout)},
    {"--body-timeout", 1, 3600, offsetof(ServeOpts, body_timeout)},
    {"--read-limit", 1, 100000, offsetof(ServeOpts, read_limit)},
  };
  for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
    const char *v = cli_opt(a, lim[i].opt);
    if (!v) continue;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || end == v || n < lim[i].lo || n > lim[i].hi) {
      fprintf(stderr, "jindu: serve: %s must be a whole number from %d to %d\n", lim[i].opt, lim[i].lo, lim[i].hi);
      return CLI_USAGE;
    }
    *(int *)(void *)((char *)&o + lim[i].off) = (int)n;
  }
  /* the at-rest key: attachments are stored encrypted under it */
  const char *kf = cli_opt(a, "--key-file");
  if (kf) {
    unsigned char key[32];
    if (cli_key_load(kf, key, "serve") != CLI_OK) return CLI_FAIL;
    app_attachment_key_set(key);
    sodium_memzero(key, sizeof key);
  } else {
    fprintf(stderr, "jindu: serve: no --key-file: attachments are stored unencrypted (a production server must have one;"
                    " docs/SECURITY.md)\n");
  }
  Err e;
  err_clear(&e);
  if (server_run(&o, &e) != ERR_OK)
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
  /* the archives: each file checked where it was written, or in --archive-dir */
  AuditArchive *arch = NULL;
  int narch = 0;
  err_clear(&e);
  if (rc == CLI_OK && audit_archives(db, &arch, &narch, &e) != ERR_OK) rc = cli_fail(&e, "audit verify");
  const char *dir = cli_opt(a, "--archive-dir");
  for (int i = 0; rc == CLI_OK && i < narch; i++) {
    char path[2048];
    const char *base = strrchr(arch[i].file, '/');
    if (dir) snprintf(path, sizeof path, "%s/%s", dir, base ? base + 1 : arch[i].file);
    else snprintf(path, sizeof path, "%s", arch[i].file);
    int64_t abad = 0;
    err_clear(&e);
    int arc = audit_verify_archive(&arch[i], path, &abad, &e);
    if (arc == ERR_OK) {
      printf("jindu: archive %s intact, rows %lld-%lld\n", path, (long long)arch[i].first_id, (long long)arch[i].last_id);
    } else if (arc == ERR_NOT_FOUND) {
      printf("jindu: archive %s not found (rows %lld-%lld: their chain is checked by its recorded ends only;"
             " give --archive-dir DIR where the archives are kept)\n",
             path, (long long)arch[i].first_id, (long long)arch[i].last_id);
    } else {
      fprintf(stderr, "jindu: audit verify: archive %s is broken at row %lld (%s)\n", path, (long long)abad,
              e.msg ? e.msg : "");
      rc = CLI_FAIL;
    }
  }
  free(arch);
  db_close(db);
  return rc;
}

int cmd_audit_archive(const CliArgs *a) {
  const char *before = cli_opt(a, "--before"), *to = cli_opt(a, "--to");
  if (!before || !to)
    return cli_usage("--before DATE and --to FILE are required", "jindu audit archive --db PATH --before YYYY-MM-DD --to FILE");
  Db *db = cli_open(a);
  if (!db) return CLI_FAIL;
  Actor actor;
  actor_cli(&actor);
  Ctx c;
  ctx_init(&c, db, &actor);
  Err e;
  err_clear(&e);
  AuditArchive out;
  int rc = CLI_OK;
  if (audit_archive(&c, before, to, &out, &e) != ERR_OK) {
    char latest[DATE_ISO_LEN];
    date_format(date_add_months(c.today, -AUDIT_ONLINE_MONTHS), latest);
    if (err_field_msg(&e, "before"))
      fprintf(stderr, "jindu: audit archive: --before must be a date (YYYY-MM-DD) no later than %s: the log stays online"
                      " at least %d months\n", latest, AUDIT_ONLINE_MONTHS);
    else
      fprintf(stderr, "jindu: audit archive: %s\n", e.code == ERR_NOT_FOUND ? "no online audit row is older than --before"
                                                   : e.code == ERR_CONFLICT && !err_field_msg(&e, "to") && e.msg &&
                                                         strstr(e.msg, "已存在") ? "the file exists already; choose a new name"
                                                   : e.msg ? e.msg : "failed");
    rc = e.code == ERR_INVALID ? CLI_USAGE : CLI_FAIL;
  } else {
    printf("jindu: archived audit rows %lld-%lld (%lld rows) to %s, file hash %s\n", (long long)out.first_id,
           (long long)out.last_id, (long long)out.row_count, out.file, out.file_hash);
  }
  db_close(db);
  return rc;
}
