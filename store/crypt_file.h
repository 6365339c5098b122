/* store/crypt_file.h: files under the at-rest key (issue 12 point 4): the
 * key file (32 random bytes, mode 0600, refused when the group or others may
 * read it or it is not 32 bytes) and a file stream-encrypted into another,
 * or decrypted back, in core/crypt.h's container. Every function returns
 * ERR_OK or an ErrCode with e filled (a catalog msgid). */
#ifndef JINDU_CRYPT_FILE_H
#define JINDU_CRYPT_FILE_H
#include <stdint.h>
#include "core/crypt.h"
#include "core/err.h"

#define CRYPT_KEY_MSG_EXISTS "密钥文件已存在：不会覆盖（覆盖旧密钥会使用它加密的备份无法恢复）"
#define CRYPT_KEY_MSG_CREATE "无法创建密钥文件"
#define CRYPT_KEY_MSG_OPEN "无法读取密钥文件"
#define CRYPT_KEY_MSG_MODE "密钥文件权限过宽：同组和其他用户不能读写（chmod 600）"
#define CRYPT_KEY_MSG_SIZE "密钥文件应为 32 字节（用 jindu keygen 生成）"
#define CRYPT_FILE_MSG_READ "读取文件失败"
#define CRYPT_FILE_MSG_WRITE "写入文件失败（磁盘已满？）"

/* Creates a new key file at path (never an existing file nor through a
 * symbolic link): 32 bytes from the CSPRNG, mode 0600, flushed to disk. */
ErrCode crypt_key_create(const char *path, Err *e);
/* Reads the key of the key file at path into key (the caller wipes it with
 * sodium_memzero when done). Refused: not a regular file, readable or
 * writable by group or others (CRYPT_KEY_MSG_MODE), not 32 bytes. */
ErrCode crypt_key_load(const char *path, unsigned char key[CRYPT_KEY_BYTES], Err *e);
/* Encrypts everything read from in_fd to its end into out_fd as one
 * container of kind (chunks of CRYPT_CHUNK_DEFAULT); *plain (may be NULL)
 * the bytes read, *sealed (may be NULL) the bytes written. Neither fd is
 * closed. */
ErrCode crypt_file_encrypt(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, int in_fd, int out_fd,
                           uint64_t *plain, uint64_t *sealed, Err *e);
/* Decrypts the container read from in_fd into out_fd, verifying every chunk,
 * the FINAL tag and that nothing follows it; *plain (may be NULL) the bytes
 * written. On a refusal (ERR_INVALID, core/crypt.h's CRYPT_MSG_ messages)
 * out_fd may hold a verified prefix: the caller discards it. */
ErrCode crypt_file_decrypt(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, int in_fd, int out_fd,
                           uint64_t *plain, Err *e);

#endif
