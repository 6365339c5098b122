/* core/person_field.h: the fields of the case file (一人一档) as one table:
 * key (= SQL column = form field = JSON name, except where noted), Chinese
 * label, kind, bound and whether required. Validation, storage, JSON, forms
 * and the print view all walk this table, so a field is added in one place. */
#ifndef JINDU_PERSON_FIELD_H
#define JINDU_PERSON_FIELD_H
#include <stdbool.h>
#include <stddef.h>

typedef enum {
  PF_NAME, PF_SEX, PF_ID_NUMBER, PF_BIRTH_DATE, PF_PHONE, PF_ETHNICITY,
  PF_EDUCATION, PF_MARITAL, PF_EMPLOYMENT, PF_HOUSEHOLD_ADDRESS,
  PF_RESIDENCE_ADDRESS, PF_DRUG_TYPES, PF_FIRST_FOUND_DATE, PF_FOUND_HOW,
  PF_PREVIOUS_TREATMENTS, PF_NO_JOB, PF_NO_HOME, PF_NO_INCOME, PF_FK_BASICS,
  PF_FK_CONTACTS, PF_FK_FAMILY_ECONOMY, PF_FK_STATE_OF_MIND, PF_FK_MOVEMENTS,
  PF__COUNT
} PersonFieldId;

typedef enum {
  PFK_TEXT,   /* one line of text */
  PFK_LONG,   /* multi-line text (五知) */
  PFK_DATE,   /* YYYY-MM-DD */
  PFK_SEX,    /* M / F */
  PFK_ID,     /* 18-digit ID number */
  PFK_PHONE,  /* digits, '+', '-', spaces */
  PFK_DRUGS,  /* set of drug codes; stored comma-separated, JSON array */
  PFK_FLAG    /* boolean (三无); stored 0/1, JSON bool */
} PersonFieldKind;

typedef struct PersonField {
  PersonFieldId id;
  const char *key;       /* column and form name */
  const char *json_group;/* "five_knowns"/"three_withouts" or NULL (top level) */
  const char *json_key;  /* name inside the JSON object */
  const char *label_zh;  /* label (a msgid of the catalog) */
  PersonFieldKind kind;
  size_t max_len;        /* in bytes */
  bool required;
} PersonField;

extern const PersonField person_fields[PF__COUNT];

/* The field with key (column/form name), or NULL. */
const PersonField *person_field_by_key(const char *key);

/* The drug codes of API.md and their Chinese names. */
typedef struct DrugType { const char *code; const char *name_zh; } DrugType;
extern const DrugType drug_types[];
extern const size_t drug_types_count;
/* true when code is one of drug_types. */
bool drug_type_valid(const char *code);
/* Chinese name of a drug code, or the code itself when unknown. */
const char *drug_type_name(const char *code);

#endif
