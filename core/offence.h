/* core/offence.h: offences by supervised persons (吸毒人员犯罪, issue 9): the
 * kinds of offence as data ({code, Chinese label}, ending {NULL, NULL}) and
 * the event field table takes them as choices. An
 * offence is a person event of kind "offence" with its date, the police case
 * number and one of these kinds; it raises the risk grade (core/risk.c) and
 * is counted by the statistics (measure "offences", core/stats.c). Codes are
 * stored; labels are catalog msgids. Pure. */
#ifndef JINDU_CORE_OFFENCE_H
#define JINDU_CORE_OFFENCE_H
#include "core/unit_vocab.h"

extern const UnitTerm offence_kind_vocab[];

#endif
