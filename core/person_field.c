/* core/person_field.c: the case-file field table and the drug-type list. */
#include "core/person_field.h"
#include <string.h>

/* The member of field id in the array of values; the label and kind. */
#define PERSON_AT(id, k) .key = k, .offset = (id) * sizeof(const char *)

static const char *const person_sexes[] = {"M", "F", NULL};

const FieldSpec person_fields[PF__COUNT] = {
  {PERSON_AT(PF_NAME, "name"), .label_zh = "姓名", .kind = FK_TEXT, FIELD_CHARS(PERSON_NAME_CHARS),
   .required = true, .flags = FF_NAME},
  {PERSON_AT(PF_SEX, "sex"), .label_zh = "性别", .kind = FK_ENUM, .choices = person_sexes, .required = true,
   .msg = "性别只能是男（M）或女（F）"},
  {PERSON_AT(PF_ID_NUMBER, "id_number"), .label_zh = "身份证号", .kind = FK_ID, .max = 18, .required = true},
  {PERSON_AT(PF_BIRTH_DATE, "birth_date"), .label_zh = "出生日期", .kind = FK_DATE, .flags = FF_NOT_FUTURE,
   .required = true},
  {PERSON_AT(PF_PHONE, "phone"), .label_zh = "联系电话", .kind = FK_PHONE, FIELD_CHARS(40)},
  {PERSON_AT(PF_ETHNICITY, "ethnicity"), .label_zh = "民族", .kind = FK_TEXT, FIELD_CHARS(30)},
  {PERSON_AT(PF_EDUCATION, "education"), .label_zh = "文化程度", .kind = FK_TEXT, FIELD_CHARS(30)},
  {PERSON_AT(PF_MARITAL, "marital"), .label_zh = "婚姻状况", .kind = FK_TEXT, FIELD_CHARS(30)},
  {PERSON_AT(PF_EMPLOYMENT, "employment"), .label_zh = "就业情况", .kind = FK_TEXT, FIELD_CHARS(100)},
  {PERSON_AT(PF_HOUSEHOLD_ADDRESS, "household_address"), .label_zh = "户籍地址", .kind = FK_TEXT, FIELD_CHARS(200)},
  {PERSON_AT(PF_RESIDENCE_ADDRESS, "residence_address"), .label_zh = "居住地址", .kind = FK_TEXT, FIELD_CHARS(200)},
  {PERSON_AT(PF_DRUG_TYPES, "drug_types"), .label_zh = "滥用毒品种类", .kind = FK_ENUM_SET,
   .choices = drug_type_codes, .msg = "毒品种类无效"},
  {PERSON_AT(PF_FIRST_FOUND_DATE, "first_found_date"), .label_zh = "首次发现日期", .kind = FK_DATE,
   .flags = FF_NOT_FUTURE},
  {PERSON_AT(PF_FOUND_HOW, "found_how"), .label_zh = "发现方式", .kind = FK_TEXT, FIELD_CHARS(200)},
  {PERSON_AT(PF_PREVIOUS_TREATMENTS, "previous_treatments"), .label_zh = "既往戒治情况", .kind = FK_LONG,
   FIELD_CHARS(2000)},
  {PERSON_AT(PF_NO_JOB, "no_job"), .json = "three_withouts.no_job", .label_zh = "无业", .kind = FK_BOOL},
  {PERSON_AT(PF_NO_HOME, "no_home"), .json = "three_withouts.no_home", .label_zh = "无家", .kind = FK_BOOL},
  {PERSON_AT(PF_NO_INCOME, "no_income"), .json = "three_withouts.no_income", .label_zh = "无收入", .kind = FK_BOOL},
  {PERSON_AT(PF_FK_BASICS, "fk_basics"), .json = "five_knowns.basics", .label_zh = "基本情况", .kind = FK_LONG,
   FIELD_CHARS(PERSON_FK_CHARS)},
  {PERSON_AT(PF_FK_CONTACTS, "fk_contacts"), .json = "five_knowns.contacts", .label_zh = "主要社会关系",
   .kind = FK_LONG, FIELD_CHARS(PERSON_FK_CHARS)},
  {PERSON_AT(PF_FK_FAMILY_ECONOMY, "fk_family_economy"), .json = "five_knowns.family_economy",
   .label_zh = "家庭经济状况", .kind = FK_LONG, FIELD_CHARS(PERSON_FK_CHARS)},
  {PERSON_AT(PF_FK_STATE_OF_MIND, "fk_state_of_mind"), .json = "five_knowns.state_of_mind",
   .label_zh = "现实思想状态", .kind = FK_LONG, FIELD_CHARS(PERSON_FK_CHARS)},
  {PERSON_AT(PF_FK_MOVEMENTS, "fk_movements"), .json = "five_knowns.movements", .label_zh = "异常活动时间和去向",
   .kind = FK_LONG, FIELD_CHARS(PERSON_FK_CHARS)},
  /* 6, 9 or 12 digits (core/division.h, checked by app/person.c); prefilled
   * from the first 6 digits of the ID number when left empty */
  {PERSON_AT(PF_HOUSEHOLD_DIVISION, "household_division"), .label_zh = "户籍地行政区划代码", .kind = FK_TEXT,
   FIELD_CHARS(12)},
};

const RecordSpec person_record = RECORD_SPEC("person", person_fields);

const FieldSpec *person_field_by_key(const char *key) { return field_by_key(&person_record, key); }

PersonFieldId person_field_id(const FieldSpec *f) { return (PersonFieldId)(f - person_fields); }

const DrugType drug_types[] = {
  {"heroin", "海洛因"}, {"methamphetamine", "冰毒（甲基苯丙胺）"}, {"ketamine", "氯胺酮（K粉）"},
  {"mdma", "摇头丸（MDMA）"}, {"cannabis", "大麻"}, {"cocaine", "可卡因"}, {"opium", "鸦片"},
  {"nps", "新精神活性物质"}, {"other", "其他"},
};
const size_t drug_types_count = sizeof drug_types / sizeof drug_types[0];
const char *const drug_type_codes[] = {"heroin", "methamphetamine", "ketamine", "mdma", "cannabis",
                                       "cocaine", "opium", "nps", "other", NULL};
_Static_assert(sizeof drug_type_codes / sizeof drug_type_codes[0] == sizeof drug_types / sizeof drug_types[0] + 1,
               "drug_type_codes lists the codes of drug_types");

bool drug_type_valid(const char *code) { return field_choice_ok(drug_type_codes, code); }

const char *drug_type_name(const char *code) {
  for (size_t i = 0; i < drug_types_count; i++)
    if (strcmp(drug_types[i].code, code) == 0) return drug_types[i].name_zh;
  return code;
}
