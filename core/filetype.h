/* core/filetype.h: what files may be attached to a record (photos and
 * scans): the types recognised from their first bytes (never from the name
 * or the type the client claims), the size limit, and the name a file keeps.
 * Pure: no I/O. */
#ifndef JINDU_FILETYPE_H
#define JINDU_FILETYPE_H
#include <stdbool.h>
#include <stddef.h>

/* The largest file that may be attached (10 MiB). */
#define FILETYPE_MAX_BYTES ((size_t)10 * 1024 * 1024)

typedef enum {
  FT_NONE = 0, /* not a type that may be attached */
  FT_JPEG,     /* FF D8 FF */
  FT_PNG,      /* 89 50 4E 47 0D 0A 1A 0A */
  FT_PDF       /* "%PDF-" */
} FileType;

/* The type of the n bytes at p, from their signature; FT_NONE for anything
 * else (an executable renamed .jpg, an empty file, HTML, ...). */
FileType filetype_sniff(const unsigned char *p, size_t n);
/* The MIME type of t ("image/jpeg", "image/png", "application/pdf"); NULL for FT_NONE. */
const char *filetype_mime(FileType t);
/* The type of a MIME type this module gives out, FT_NONE for any other. */
FileType filetype_from_mime(const char *mime);
/* The usual extension of t with its dot (".jpg", ".png", ".pdf"); "" for FT_NONE. */
const char *filetype_ext(FileType t);
/* true for the types shown as a picture (JPEG, PNG). */
bool filetype_is_image(FileType t);

/* The name to keep for an uploaded file: the last component of name (after
 * any '/' or '\\', as browsers on Windows send the whole path), with control
 * characters and invalid UTF-8 bytes replaced by '_', cut to fit out (size
 * n > 0) on a character boundary but keeping a short extension; when
 * nothing is left, "file" plus the extension of t. */
void filetype_clean_name(const char *name, FileType t, char *out, size_t n);

#endif
