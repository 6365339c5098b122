/* core/person_field.h: the fields of the case file (一人一档) as one field
 * table (core/field.h): key (= SQL column = form field; JSON name unless
 * noted), Chinese label, kind, bound and whether required. Validation
 * (app/person.c), storage (the store builds the case file's SQL from the
 * keys and kinds, which is why this one table lives in core/ and not in
 * app/ with the others), JSON, forms and the print view all walk this
 * table, so a field is added in one place (and in a schema migration).
 * The case file's record is the array of its values as text, indexed by
 * PersonFieldId (const char *val[PF__COUNT]): flags "0"/"1", drug types
 * comma-separated codes. */
#ifndef JINDU_PERSON_FIELD_H
#define JINDU_PERSON_FIELD_H
#include <stdbool.h>
#include <stddef.h>
#include "core/field.h"

typedef enum {
  PF_NAME, PF_SEX, PF_ID_NUMBER, PF_BIRTH_DATE, PF_PHONE, PF_ETHNICITY,
  PF_EDUCATION, PF_MARITAL, PF_EMPLOYMENT, PF_HOUSEHOLD_ADDRESS,
  PF_RESIDENCE_ADDRESS, PF_DRUG_TYPES, PF_FIRST_FOUND_DATE, PF_FOUND_HOW,
  PF_PREVIOUS_TREATMENTS, PF_NO_JOB, PF_NO_HOME, PF_NO_INCOME, PF_FK_BASICS,
  PF_FK_CONTACTS, PF_FK_FAMILY_ECONOMY, PF_FK_STATE_OF_MIND, PF_FK_MOVEMENTS,
  PF_HOUSEHOLD_DIVISION, /* issue 9: the household's division code (core/division.h) */
  PF__COUNT
} PersonFieldId;

/* Bounds other records share with the case file (characters). */
#define PERSON_NAME_CHARS 60   /* a person's name; also a help-team member's */
#define PERSON_FK_CHARS 4000   /* each of the five knowns (五知) */

/* The table, in PersonFieldId order; offsets index the array of values. */
extern const FieldSpec person_fields[PF__COUNT];
/* The case file as a record: person_fields. */
extern const RecordSpec person_record;

/* The field with key (column/form name), or NULL. */
const FieldSpec *person_field_by_key(const char *key);
/* The PersonFieldId of a field of person_fields. */
PersonFieldId person_field_id(const FieldSpec *f);

/* The drug codes of API.md and their Chinese names. */
typedef struct DrugType { const char *code; const char *name_zh; } DrugType;
extern const DrugType drug_types[];
extern const size_t drug_types_count;
/* The codes of drug_types, NULL-terminated (the choices of a drug field). */
extern const char *const drug_type_codes[];
/* true when code is one of drug_types. */
bool drug_type_valid(const char *code);
/* Chinese name of a drug code, or the code itself when unknown. */
const char *drug_type_name(const char *code);

#endif
