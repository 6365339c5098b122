/* app/backup.c: encrypted backups and their restore (see app/backup.h). */
#include "app/backup.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "app/audit.h"
#include "store/crypt_file.h"

/* Seconds on the monotonic clock. */
static double backup_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A private directory beside a file: made with mode 0700, holding one
 * working file (and SQLite's -wal/-shm of it), removed whole by
 * backup_tmp_remove. */
typedef struct BackupTmp {
  char dir[4096];
  char file[4160];
} BackupTmp;

/* Makes t's directory beside path (in path's directory) with file name
 * name inside it. false when it cannot. */
static bool backup_tmp_make(BackupTmp *t, const char *path, const char *name) {
  char copy[4096];
  if (snprintf(copy, sizeof copy, "%s", path) >= (int)sizeof copy) return false;
  const char *dir = dirname(copy);
  if (snprintf(t->dir, sizeof t->dir, "%s/.jindu-tmp-XXXXXX", dir) >= (int)sizeof t->dir) return false;
  if (!mkdtemp(t->dir)) return false;
  snprintf(t->file, sizeof t->file, "%s/%s", t->dir, name);
  return true;
}

/* Removes t's working file, its -wal/-shm/-journal and the directory. */
static void backup_tmp_remove(BackupTmp *t) {
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
    char p[4200];
    snprintf(p, sizeof p, "%s%s", t->file, suffix[i]);
    unlink(p);
  }
  rmdir(t->dir);
}

/* fsyncs the directory holding path (a new name there survives a crash). */
static void backup_sync_dir(const char *path) {
  char copy[4096];
  snprintf(copy, sizeof copy, "%s", path);
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

ErrCode app_backup_write(Db *db, const unsigned char key[CRYPT_KEY_BYTES], const char *to, BackupInfo *out, Err *e) {
  BackupInfo info = {0};
  int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return err_set(e, errno == EEXIST ? ERR_CONFLICT : ERR_INTERNAL,
                             errno == EEXIST ? BACKUP_MSG_EXISTS : "无法创建备份文件");
  BackupTmp t;
  ErrCode rc = ERR_OK;
  if (!backup_tmp_make(&t, to, "snapshot.db")) {
    close(fd);
    unlink(to);
    return err_set(e, ERR_INTERNAL, BACKUP_MSG_TEMP);
  }
  double t0 = backup_now();
  if (db_backup(db, t.file, e) != ERR_OK) rc = e->code;
  double t1 = backup_now();
  info.copy_s = t1 - t0;
  if (rc == ERR_OK) {
    int in = open(t.file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) rc = err_set(e, ERR_INTERNAL, "备份失败");
    else {
      rc = crypt_file_encrypt(key, CRYPT_KIND_BACKUP, in, fd, &info.plain_bytes, &info.sealed_bytes, e);
      close(in);
    }
  }
  if (rc == ERR_OK && fsync(fd) != 0) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
  info.crypt_s = backup_now() - t1;
  if (close(fd) != 0 && rc == ERR_OK) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
  backup_tmp_remove(&t);
  if (rc != ERR_OK) unlink(to);
  else backup_sync_dir(to);
  if (out) *out = info;
  return rc;
}

/* true when path exists (whatever it is, a dangling link included). */
static bool backup_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

ErrCode app_backup_restore(const unsigned char key[CRYPT_KEY_BYTES], const char *from, const char *dbpath, bool force,
                           BackupInfo *out, Err *e) {
  BackupInfo info = {0};
  if (out) *out = info;
  if (!force && backup_exists(dbpath)) return err_set(e, ERR_CONFLICT, BACKUP_MSG_DB_EXISTS);
  char side[4200];
  static const char *const sides[] = {"-wal", "-shm"};
  for (int i = 0; i < 2; i++) {
    snprintf(side, sizeof side, "%s%s", dbpath, sides[i]);
    if (backup_exists(side)) return err_set(e, ERR_CONFLICT, BACKUP_MSG_DB_BUSY);
  }
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0) return err_set(e, ERR_NOT_FOUND, BACKUP_MSG_SOURCE);
  BackupTmp t;
  if (!backup_tmp_make(&t, dbpath, "restore.db")) {
    close(in);
    return err_set(e, ERR_INTERNAL, BACKUP_MSG_TEMP);
  }
  ErrCode rc = ERR_OK;
  int fd = open(t.file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) rc = err_set(e, ERR_INTERNAL, BACKUP_MSG_TEMP);
  else {
    double t0 = backup_now();
    rc = crypt_file_decrypt(key, CRYPT_KIND_BACKUP, in, fd, &info.plain_bytes, e);
    if (rc == ERR_OK && fsync(fd) != 0) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
    if (close(fd) != 0 && rc == ERR_OK) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
    info.copy_s = backup_now() - t0;
  }
  struct stat st;
  if (fstat(in, &st) == 0) info.sealed_bytes = (uint64_t)st.st_size;
  close(in);
  /* the database it holds: whole, and its audit chain intact */
  if (rc == ERR_OK) {
    Db *db = NULL;
    if (db_open(&db, t.file, NULL, e) != ERR_OK) rc = e->code;
    else {
      int64_t bad = 0;
      double t0 = backup_now();
      if (db_integrity_check(db, e) != ERR_OK) rc = e->code;
      double t1 = backup_now();
      info.check_s = t1 - t0;
      if (rc == ERR_OK && audit_verify(db, &info.audit_rows, &bad, e) != ERR_OK) {
        err_clear(e);
        rc = err_set(e, ERR_INTERNAL, BACKUP_MSG_CHAIN);
      }
      info.chain_s = backup_now() - t1;
      db_close(db);
    }
  }
  if (rc == ERR_OK) {
    /* into place: over the old file only when forced (rename), else only
     * where nothing is (link fails on an existing name) */
    int placed = force ? rename(t.file, dbpath) : link(t.file, dbpath);
    if (placed != 0) rc = err_set(e, errno == EEXIST ? ERR_CONFLICT : ERR_INTERNAL,
                                  errno == EEXIST ? BACKUP_MSG_DB_EXISTS : BACKUP_MSG_PLACE);
    else backup_sync_dir(dbpath);
  }
  backup_tmp_remove(&t);
  if (out) *out = info;
  return rc;
}
