/* core/ledger.h: the vocabularies and pure rules of three prevention
 * ledgers (issue 10 points 1, 4, 5): places and partner units (场所与单位),
 * responsibility letters (目标管理责任书) and venue inspections (场所检查).
 * Each vocabulary is an array of {code, Chinese label} ending with {NULL,
 * NULL} (core/unit_vocab.h's UnitTerm), which the field tables take as
 * their choices; one registration line each makes them part of GET
 * /api/v1/vocab. Codes are stored; labels are catalog msgids. */
#ifndef JINDU_LEDGER_H
#define JINDU_LEDGER_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/unit_vocab.h"

/* Kinds of places: school 学校, enterprise 企业, venue 娱乐场所, member unit
 * 成员单位 (police station, 司法所, 民政 ...: the service providers of the
 * casework), village group 村民小组, other. */
extern const UnitTerm place_kind_vocab[];
/* Categories of a venue (娱乐场所): KTV, bar, internet café, hotel, bath
 * house, game hall, other. Only a venue has one. */
extern const UnitTerm venue_category_vocab[];
/* Kinds of responsibility letters: drug-control goals 禁毒目标责任书,
 * eradication 禁种铲毒责任书, venue 场所禁毒责任书, other. */
extern const UnitTerm letter_kind_vocab[];
/* Results of a venue inspection: no problem 未发现问题, problem found 发现问题. */
extern const UnitTerm inspection_result_vocab[];
/* States of an inspection's follow-up (the list's filter): open 待整改,
 * overdue 整改逾期, done 已整改, none 无需整改. */
extern const UnitTerm followup_state_vocab[];

/* The first and last years a letter may be for (the last: next year, as
 * of today's year). */
#define LETTER_YEAR_MIN 2000
bool letter_year_ok(int year, Day today);
/* A letter for year is signed in that year or in the December before it
 * (letters for the coming year are signed at the year's end): true when
 * signed (a valid day) lies in [1 December of year-1, 31 December of
 * year]. */
bool letter_signed_date_ok(int year, Day signed_day);

/* ---- statistics (app/stats.c provider "letter"; DOMAIN.md §6a letters_rate) ---- */

/* The letter provider's slots, for a day D and a period [F, T] (year(T) =
 * the year of T): */
enum {
  LS_LETTERS,         /* letters for year(T) signed on or before D */
  LS_REQUIRED,        /* signers required for year(T) (den of letters_rate) */
  LS_REQUIRED_SIGNED, /* of them, those whose letter was signed on or before D (num) */
  LS__COUNT
};
/* What one letter (for year, signed on the ISO day signed) adds to v
 * (LS__COUNT slots) for year_t and the ISO day d. */
void letter_slots(int year, const char *signed_day, int year_t, const char *d, int64_t *v);
/* What one required signer (for year; signed: the ISO day its letter was
 * signed, NULL or "" when none is) adds to v for year_t and d. */
void letter_need_slots(int year, const char *signed_day, int year_t, const char *d, int64_t *v);

/* The follow-up of an inspection as of today: none when no problem was
 * found and no follow-up is due; done when done is set; overdue when
 * due < today; else open. due and done are days or DAY_NONE (below). */
#define LEDGER_NO_DAY INT32_MIN
typedef enum { FOLLOWUP_NONE, FOLLOWUP_OPEN, FOLLOWUP_OVERDUE, FOLLOWUP_DONE } FollowupState;
FollowupState inspection_followup_state(bool problem, Day due, Day done, Day today);
/* The code of a state ("none", "open", "overdue", "done"). */
const char *followup_state_code(FollowupState s);

/* A place of kind that may carry a venue category and a licence number:
 * only venues (true for "venue"). */
bool place_kind_has_category(const char *kind);

#endif
