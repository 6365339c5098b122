/* cli/cmd_crypt.c: the commands of encryption at rest (issue 12 point 4):
 * keygen (a new key file), backup (encrypted under --key-file; plaintext
 * without it, with a warning), restore (decrypt, verify, then put in
 * place) and attachments encrypt (the attachments stored plaintext before
 * the key, encrypted). Messages are printed in Chinese and English. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "app/app.h"
#include "app/attachment.h"
#include "app/backup.h"
#include "cli/cli.h"
#include "store/crypt_file.h"
#include "web/i18n.h"

/* Prints "jindu: what: <中文> (<English>)" for e and returns CLI_FAIL. */
static int cli_fail_both(const Err *e, const char *what) {
  const char *zh = e->msg ? e->msg : "失败";
  const char *en = i18n_text("en", zh);
  if (en && strcmp(en, zh) != 0) fprintf(stderr, "jindu: %s: %s (%s)\n", what, zh, en);
  else fprintf(stderr, "jindu: %s: %s\n", what, zh);
  return CLI_FAIL;
}

int cli_key_load(const char *path, unsigned char key[CRYPT_KEY_BYTES], const char *what) {
  Err e;
  err_clear(&e);
  if (crypt_key_load(path, key, &e) != ERR_OK) {
    char w[160];
    snprintf(w, sizeof w, "%s: key file %s", what, path);
    return cli_fail_both(&e, w);
  }
  return CLI_OK;
}

int cmd_keygen(const CliArgs *a) {
  const char *to = cli_opt(a, "--to");
  if (!to) return cli_usage("--to FILE is required", "jindu keygen --to FILE");
  Err e;
  err_clear(&e);
  if (crypt_key_create(to, &e) != ERR_OK) return cli_fail_both(&e, "keygen");
  unsigned char key[CRYPT_KEY_BYTES], id[CRYPT_KEY_ID_BYTES];
  char hex[2 * CRYPT_KEY_ID_BYTES + 1];
  if (crypt_key_load(to, key, &e) != ERR_OK) return cli_fail_both(&e, "keygen");
  crypt_key_id(key, id);
  sodium_memzero(key, sizeof key);
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  printf("jindu: key written to %s (mode 0600, key id %s); keep a copy apart from the backups: without it they cannot"
         " be restored\n", to, hex);
  return CLI_OK;
}

int cmd_backup(const CliArgs *a) {
  const char *usage = "jindu backup --db PATH --to FILE [--key-file KEY]";
  const char *to = cli_opt(a, "--to"), *kf = cli_opt(a, "--key-file");
  if (!to) return cli_usage("--to FILE is required", usage);
  if (access(to, F_OK) == 0) {
    fprintf(stderr, "jindu: backup: %s exists already; choose a new file name\n", to);
    return CLI_FAIL;
  }
  unsigned char key[CRYPT_KEY_BYTES];
  if (kf && cli_key_load(kf, key, "backup") != CLI_OK) return CLI_FAIL;
  Db *db = cli_open(a);
  if (!db) {
    sodium_memzero(key, sizeof key);
    return CLI_FAIL;
  }
  Err e;
  err_clear(&e);
  int rc = CLI_OK;
  if (kf) {
    BackupInfo info;
    if (app_backup_write(db, key, to, &info, &e) != ERR_OK) rc = cli_fail_both(&e, "backup");
    else
      printf("jindu: encrypted backup written to %s (%llu bytes of database, %llu encrypted; online backup %.1f s,"
             " encryption %.1f s)\n", to, (unsigned long long)info.plain_bytes, (unsigned long long)info.sealed_bytes,
             info.copy_s, info.crypt_s);
  } else {
    fprintf(stderr, "jindu: backup: warning: no --key-file, the backup is NOT encrypted: it holds every case file in"
                    " the clear (警告：未加密的备份)\n");
    if (db_backup(db, to, &e) != ERR_OK) rc = cli_fail(&e, "backup");
    else printf("jindu: backup written to %s\n", to);
  }
  sodium_memzero(key, sizeof key);
  db_close(db);
  return rc;
}

int cmd_restore(const CliArgs *a) {
  const char *usage = "jindu restore --key-file KEY --from FILE --db PATH [--force]";
  const char *kf = cli_opt(a, "--key-file"), *from = cli_opt(a, "--from"), *dbpath = cli_opt(a, "--db");
  if (!kf || !from) return cli_usage("--key-file KEY and --from FILE are required", usage);
  unsigned char key[CRYPT_KEY_BYTES];
  if (cli_key_load(kf, key, "restore") != CLI_OK) return CLI_FAIL;
  Err e;
  err_clear(&e);
  BackupInfo info;
  int rc = CLI_OK;
  if (app_backup_restore(key, from, dbpath, cli_flag(a, "--force"), &info, &e) != ERR_OK) {
    rc = cli_fail_both(&e, "restore");
    fprintf(stderr, "jindu: restore: nothing was written; %s is as it was\n", dbpath);
  } else {
    printf("jindu: restored %s from %s (%llu bytes; integrity ok; audit chain intact, %lld rows verified;"
           " decryption %.1f s, integrity_check %.1f s, audit chain %.1f s)\n", dbpath, from,
           (unsigned long long)info.plain_bytes, (long long)info.audit_rows, info.copy_s, info.check_s, info.chain_s);
  }
  sodium_memzero(key, sizeof key);
  return rc;
}

int cmd_attachments_encrypt(const CliArgs *a) {
  const char *kf = cli_opt(a, "--key-file");
  if (!kf) return cli_usage("--key-file KEY is required", "jindu attachments encrypt --db PATH --key-file KEY");
  unsigned char key[CRYPT_KEY_BYTES];
  if (cli_key_load(kf, key, "attachments encrypt") != CLI_OK) return CLI_FAIL;
  app_attachment_key_set(key);
  sodium_memzero(key, sizeof key);
  CMD_WITH_CTX(a, c, db, actor);
  int64_t n = 0;
  int rc = CLI_OK;
  if (app_attachment_encrypt_all(&c, &n, &e) != ERR_OK) rc = cli_fail_both(&e, "attachments encrypt");
  else printf("jindu: %lld stored attachment files encrypted\n", (long long)n);
  db_close(db);
  return rc;
}
