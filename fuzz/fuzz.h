/* fuzz/fuzz.h: what the libFuzzer harnesses of fuzz/ share: the input as a
 * NUL-terminated string, and the table of every input record (core/field.h
 * RecordSpec) that a form or a JSON body is bound to, so that the binders
 * and the checker are driven over every record the server takes. */
#ifndef JINDU_FUZZ_H
#define JINDU_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "core/field.h"

/* A malloc'd NUL-terminated copy of data (the caller frees); a NUL inside
 * data ends the string there, as it would in a C string from the server. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Every RecordSpec the web layer binds input to, NULL-terminated. */
extern const RecordSpec *const fuzz_records[];
/* The size of a zeroed input struct large enough for any record of
 * fuzz_records (every field's offset plus its member). */
#define FUZZ_RECORD_BYTES 8192

/* Asserts (once) that every field of fuzz_records lies in FUZZ_RECORD_BYTES. */
void fuzz_records_check(void);

/* The day the harnesses take as today (2026-06-15): fixed, so that a crash
 * reproduces whatever the clock says. */
#define FUZZ_TODAY_Y 2026
#define FUZZ_TODAY_M 6
#define FUZZ_TODAY_D 15

#endif
