/* cli/main.c: `jindu`'s entry point: the command table, option parsing,
 * --version and help. Commands live in cli/cmd_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/auth.h"
#include "app/supervision.h"
#include "cli/cli.h"
#include "app/stats_facts.h"
#include "store/gen.h"
#include "store/schema.h"

#define JINDU_VERSION "0.1.0"

static const char *const opt_db[] = {"--db", NULL};
static const char *const opt_init[] = {"--db", NULL};
static const char *const flag_demo[] = {"--demo", NULL};
static const char *const opt_org_add[] = {"--db", "--code", "--name", "--level", "--parent", NULL};
static const char *const opt_org_rename[] = {"--db", "--code", "--name", NULL};
static const char *const opt_org_division[] = {"--db", "--code", "--division", NULL};
static const char *const opt_org_move[] = {"--db", "--code", "--parent", NULL};
static const char *const opt_user_add[] = {"--db", "--username", "--role", "--org", "--name", NULL};
static const char *const flag_pw_stdin[] = {"--password-stdin", NULL};
static const char *const opt_audit_verify[] = {"--db", "--archive-dir", NULL};
static const char *const opt_audit_archive[] = {"--db", "--before", "--to", NULL};
static const char *const opt_serve[] = {"--db", "--listen", "--threads", "--trusted-proxy", "--max-per-address",
                                        "--header-timeout", "--body-timeout", "--read-limit", "--key-file", NULL};
static const char *const flag_serve[] = {"--secure-cookies", "--quiet", NULL};
static const char *const opt_gen[] = {"--db", "--persons", "--seed", "--history", "--activities", "--surveys", NULL};
static const char *const opt_backup[] = {"--db", "--to", "--key-file", NULL};
static const char *const opt_restore[] = {"--db", "--from", "--key-file", NULL};
static const char *const flag_force[] = {"--force", NULL};
static const char *const opt_keygen[] = {"--to", NULL};
static const char *const opt_att_encrypt[] = {"--db", "--key-file", NULL};
static const char *const none[] = {NULL};
static const char *const flag_json[] = {"--json", NULL};

static const CliCommand cli_commands[] = {
  {"init", cmd_init, "jindu init --db PATH [--demo]", opt_init, flag_demo},
  {"org add", cmd_org_add, "jindu org add --db PATH --code CODE --name NAME --level county|street|community [--parent CODE]",
   opt_org_add, none},
  {"org rename", cmd_org_rename, "jindu org rename --db PATH --code CODE --name NAME", opt_org_rename, none},
  {"org move", cmd_org_move, "jindu org move --db PATH --code CODE --parent CODE", opt_org_move, none},
  {"org division", cmd_org_division, "jindu org division --db PATH --code CODE --division DIGITS", opt_org_division,
   none},
  {"user add", cmd_user_add,
   "jindu user add --db PATH --username U --role admin|office|worker|cadre|police|viewer --org CODE [--name NAME] --password-stdin",
   opt_user_add, flag_pw_stdin},
  {"serve", cmd_serve, "jindu serve --db PATH --listen 127.0.0.1:PORT [--threads N] [--secure-cookies] [--trusted-proxy IP] [--quiet]"
   " [--max-per-address N] [--header-timeout S] [--body-timeout S] [--read-limit N] [--key-file KEY]", opt_serve,
   flag_serve},
  {"audit verify", cmd_audit_verify, "jindu audit verify --db PATH [--archive-dir DIR]", opt_audit_verify, none},
  {"audit archive", cmd_audit_archive, "jindu audit archive --db PATH --before YYYY-MM-DD --to FILE", opt_audit_archive,
   none},
  {"doctor", cmd_doctor, "jindu doctor --db PATH", opt_db, none},
  {"gen", cmd_gen, "jindu gen --db PATH --persons N [--seed S] [--history N]", opt_gen, none},
  {"routes", cmd_routes, "jindu routes [--json]", none, flag_json},
  {"backup", cmd_backup, "jindu backup --db PATH --to FILE [--key-file KEY]", opt_backup, none},
  {"restore", cmd_restore, "jindu restore --key-file KEY --from FILE --db PATH [--force]", opt_restore, flag_force},
  {"keygen", cmd_keygen, "jindu keygen --to FILE", opt_keygen, none},
  {"attachments encrypt", cmd_attachments_encrypt, "jindu attachments encrypt --db PATH --key-file KEY", opt_att_encrypt,
   none},
};
#define CLI_NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

const char *cli_opt(const CliArgs *a, const char *name) {
  for (int i = 0; i < a->nopts; i++)
    if (strcmp(a->opts[i].name, name) == 0) return a->opts[i].value;
  return NULL;
}

bool cli_flag(const CliArgs *a, const char *name) {
  for (int i = 0; i < a->nopts; i++)
    if (strcmp(a->opts[i].name, name) == 0) return true;
  return false;
}

int cli_fail(const Err *e, const char *what) {
  fprintf(stderr, "jindu: %s: %s", what, e->msg ? e->msg : "失败");
  for (int i = 0; i < e->nfields; i++) fprintf(stderr, "%s%s: %s", i ? "; " : " (", e->fields[i].field, e->fields[i].msg);
  fprintf(stderr, "%s\n", e->nfields ? ")" : "");
  return CLI_FAIL;
}

Db *cli_open(const CliArgs *a) {
  const char *path = cli_opt(a, "--db");
  Db *db;
  Err e;
  err_clear(&e);
  int rebuilt;
  if (db_open(&db, path, schema_migrate, &e) != ERR_OK) {
    cli_fail(&e, path);
    return NULL;
  }
  if (store_gen_indexes_repair(db, &rebuilt, &e) != ERR_OK || sup_refresh_stale(db, NULL, &e) != ERR_OK ||
      stats_facts_repair(db, NULL, &e) != ERR_OK) {
    cli_fail(&e, path);
    db_close(db);
    return NULL;
  }
  return db;
}

int cli_usage(const char *msg, const char *usage) {
  fprintf(stderr, "jindu: %s\nusage: %s\n", msg, usage);
  return CLI_USAGE;
}

static void cli_help(FILE *f) {
  fprintf(f, "jindu %s — 禁毒社区工作系统 (community drug-control work system)\n\ncommands:\n", JINDU_VERSION);
  fprintf(f, "  jindu --version\n  jindu help [COMMAND]\n");
  for (size_t i = 0; i < CLI_NCOMMANDS; i++) fprintf(f, "  %s\n", cli_commands[i].usage);
  fprintf(f, "\nexit status: 0 success, 1 the operation failed, 2 bad usage\n");
}

/* true when name is in the NULL-terminated list. */
static bool cli_in(const char *const *list, const char *name) {
  for (; *list; list++)
    if (strcmp(*list, name) == 0) return true;
  return false;
}

int main(int argc, char **argv) {
  if (argc < 2) { cli_help(stderr); return CLI_USAGE; }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
    printf("jindu %s\n", JINDU_VERSION);
    return CLI_OK;
  }
  if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    if (argc >= 3) {
      char name[64];
      snprintf(name, sizeof name, "%s%s%s", argv[2], argc >= 4 ? " " : "", argc >= 4 ? argv[3] : "");
      for (size_t i = 0; i < CLI_NCOMMANDS; i++)
        if (strcmp(cli_commands[i].name, name) == 0 || strcmp(cli_commands[i].name, argv[2]) == 0) {
          printf("usage: %s\n", cli_commands[i].usage);
          return CLI_OK;
        }
      fprintf(stderr, "jindu: unknown command '%s'; see 'jindu help'\n", name);
      return CLI_USAGE;
    }
    cli_help(stdout);
    return CLI_OK;
  }
  /* Commands are one or two words. */
  const CliCommand *cmd = NULL;
  int first_opt = 2;
  for (size_t i = 0; i < CLI_NCOMMANDS && !cmd; i++) {
    const char *n = cli_commands[i].name;
    const char *sp = strchr(n, ' ');
    if (sp) {
      if (argc >= 3 && strncmp(n, argv[1], (size_t)(sp - n)) == 0 && strlen(argv[1]) == (size_t)(sp - n) &&
          strcmp(sp + 1, argv[2]) == 0) {
        cmd = &cli_commands[i];
        first_opt = 3;
      }
    } else if (strcmp(n, argv[1]) == 0) {
      cmd = &cli_commands[i];
    }
  }
  if (!cmd) {
    fprintf(stderr, "jindu: unknown command '%s'; see 'jindu help'\n", argv[1]);
    return CLI_USAGE;
  }
  CliArgs a = {0};
  for (int i = first_opt; i < argc; i++) {
    const char *o = argv[i];
    if (a.nopts >= CLI_MAX_OPTS) return cli_usage("too many options", cmd->usage);
    if (cli_in(cmd->valued, o)) {
      if (i + 1 >= argc) {
        char m[96];
        snprintf(m, sizeof m, "option %s needs a value", o);
        return cli_usage(m, cmd->usage);
      }
      a.opts[a.nopts].name = o;
      a.opts[a.nopts].value = argv[++i];
      a.nopts++;
    } else if (cli_in(cmd->flags, o)) {
      a.opts[a.nopts].name = o;
      a.opts[a.nopts].value = NULL;
      a.nopts++;
    } else {
      char m[128];
      snprintf(m, sizeof m, "unknown option '%.60s'", o);
      return cli_usage(m, cmd->usage);
    }
  }
  if (cli_in(cmd->valued, "--db") && !cli_opt(&a, "--db")) return cli_usage("--db PATH is required", cmd->usage);
  if (auth_init() != 0) {
    fprintf(stderr, "jindu: libsodium could not be initialised\n");
    return CLI_FAIL;
  }
  return cmd->fn(&a);
}
