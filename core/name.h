/* core/name.h: names are what they look like (issue 12 point 5). A
 * person's or a help-team member's name is stored in Unicode NFC (so that
 * two spellings that look alike and are canonically the same, e.g. 兀
 * U+F91D and U+5140, or é as one or two code points, are the same text:
 * the duplicate check and the search see one name), with the minority
 * names' separator written one way (・ ･ ‧ ∙ ⋅ → U+00B7 ·) and without
 * variation selectors (they never change which character it is); and a
 * name holding what displays as nothing or reorders the text is refused:
 * bidirectional controls (U+202A-202E, U+2066-2069, U+200E/200F, U+061C),
 * zero-width and other format characters (U+200B-200D, U+2060-2064,
 * U+FEFF BOM, U+00AD, the rest of Unicode's Cf), line and paragraph
 * separators (U+2028/2029), invisible fillers (U+034F, U+115F, U+1160,
 * U+3164, U+FFA0), private-use characters and noncharacters. Control
 * characters are refused by every text field already (core/field.h).
 * Pure: the NFC itself comes from libunistring (u8_normalize), the one
 * library core/ uses, a Debian package made for the job. */
#ifndef JINDU_NAME_H
#define JINDU_NAME_H
#include <stdbool.h>
#include <stdint.h>

/* The message of a name holding a refused character (a msgid). */
#define NAME_M_INVISIBLE "姓名不能含有不可见字符、文字方向控制符、零宽字符或私用区字符，请重新输入"

/* The code point at *p (valid UTF-8, not at its NUL), *p advanced past it. */
uint32_t name_next(const char **p);

/* true when code point c is refused in a name (see the file comment). */
bool name_char_refused(uint32_t c);

/* NULL when the valid UTF-8 name s holds no refused character, else
 * NAME_M_INVISIBLE. */
const char *name_problem(const char *s);

/* The name s (valid UTF-8) in NFC with the separators unified and the
 * variation selectors taken out, malloc'd (the caller frees); a copy of s
 * when s is not valid UTF-8 (the field check refuses it then). Aborts when
 * out of memory. */
char *name_normalize(const char *s);

#endif
