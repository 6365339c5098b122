/* app/backup.h: encrypted backups and their restore (issue 12 point 4).
 * A backup is a consistent snapshot of the database (SQLite's online backup)
 * stream-encrypted under the at-rest key (core/crypt.h, kind backup); the
 * snapshot's plaintext exists only in a private directory beside the target
 * (mode 0700, file 0600) and is removed on every path. A restore decrypts
 * into a private directory beside the database, verifies every chunk and
 * the end, then PRAGMA integrity_check and the audit chain, and only then
 * puts the file in place: a wrong key, a changed or missing byte write
 * nothing. Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_APP_BACKUP_H
#define JINDU_APP_BACKUP_H
#include <stdbool.h>
#include <stdint.h>
#include "core/crypt.h"
#include "store/db.h"

#define BACKUP_MSG_EXISTS "目标文件已存在：请换一个文件名"
#define BACKUP_MSG_DB_EXISTS "数据库文件已存在：确要用备份覆盖请加 --force"
#define BACKUP_MSG_DB_BUSY "数据库的 -wal/-shm 文件还在：先停止 jindu serve 再恢复"
#define BACKUP_MSG_TEMP "无法在目标目录创建临时目录"
#define BACKUP_MSG_SOURCE "无法打开备份文件"
#define BACKUP_MSG_CHAIN "恢复的数据库审计链校验未通过"
#define BACKUP_MSG_PLACE "无法把恢复的数据库放到目标位置"

/* What a backup or a restore did. */
typedef struct BackupInfo {
  uint64_t plain_bytes;  /* the database file's bytes */
  uint64_t sealed_bytes; /* the encrypted file's bytes */
  int64_t audit_rows;    /* restore: online audit rows verified */
  double copy_s;         /* backup: the online backup into the snapshot; restore: decrypting */
  double crypt_s;        /* backup: encrypting the snapshot */
  double check_s;        /* restore: PRAGMA integrity_check */
  double chain_s;        /* restore: the audit chain */
} BackupInfo;

/* Writes an encrypted backup of db to the new file to (mode 0600; never an
 * existing file: ERR_CONFLICT BACKUP_MSG_EXISTS) under key. On failure to
 * is removed. out may be NULL. */
ErrCode app_backup_write(Db *db, const unsigned char key[CRYPT_KEY_BYTES], const char *to, BackupInfo *out, Err *e);
/* Restores the encrypted backup from into the database file dbpath: refused
 * (ERR_CONFLICT) when dbpath exists and not force, or when its -wal/-shm
 * exist (a server may have it open); ERR_INVALID with a core/crypt.h message
 * when it does not decrypt and verify under key; ERR_INTERNAL when the
 * database it holds fails integrity_check or its audit chain. On any
 * refusal nothing is written beside dbpath. out may be NULL. */
ErrCode app_backup_restore(const unsigned char key[CRYPT_KEY_BYTES], const char *from, const char *dbpath, bool force,
                           BackupInfo *out, Err *e);

#endif
