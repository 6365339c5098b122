/* core/person_field.c: the case-file field table and the drug-type list. */
#include "person_field.h"
#include <string.h>

const PersonField person_fields[PF__COUNT] = {
  {PF_NAME, "name", NULL, "name", "姓名", PFK_TEXT, 60, true},
  {PF_SEX, "sex", NULL, "sex", "性别", PFK_SEX, 1, true},
  {PF_ID_NUMBER, "id_number", NULL, "id_number", "身份证号", PFK_ID, 18, true},
  {PF_BIRTH_DATE, "birth_date", NULL, "birth_date", "出生日期", PFK_DATE, 10, true},
  {PF_PHONE, "phone", NULL, "phone", "联系电话", PFK_PHONE, 40, false},
  {PF_ETHNICITY, "ethnicity", NULL, "ethnicity", "民族", PFK_TEXT, 30, false},
  {PF_EDUCATION, "education", NULL, "education", "文化程度", PFK_TEXT, 30, false},
  {PF_MARITAL, "marital", NULL, "marital", "婚姻状况", PFK_TEXT, 30, false},
  {PF_EMPLOYMENT, "employment", NULL, "employment", "就业情况", PFK_TEXT, 100, false},
  {PF_HOUSEHOLD_ADDRESS, "household_address", NULL, "household_address", "户籍地址", PFK_TEXT, 200, false},
  {PF_RESIDENCE_ADDRESS, "residence_address", NULL, "residence_address", "居住地址", PFK_TEXT, 200, false},
  {PF_DRUG_TYPES, "drug_types", NULL, "drug_types", "滥用毒品种类", PFK_DRUGS, 200, false},
  {PF_FIRST_FOUND_DATE, "first_found_date", NULL, "first_found_date", "首次发现日期", PFK_DATE, 10, false},
  {PF_FOUND_HOW, "found_how", NULL, "found_how", "发现方式", PFK_TEXT, 200, false},
  {PF_PREVIOUS_TREATMENTS, "previous_treatments", NULL, "previous_treatments", "既往戒治情况", PFK_LONG, 2000, false},
  {PF_NO_JOB, "no_job", "three_withouts", "no_job", "无业", PFK_FLAG, 1, false},
  {PF_NO_HOME, "no_home", "three_withouts", "no_home", "无家", PFK_FLAG, 1, false},
  {PF_NO_INCOME, "no_income", "three_withouts", "no_income", "无收入", PFK_FLAG, 1, false},
  {PF_FK_BASICS, "fk_basics", "five_knowns", "basics", "基本情况", PFK_LONG, 4000, false},
  {PF_FK_CONTACTS, "fk_contacts", "five_knowns", "contacts", "主要社会关系", PFK_LONG, 4000, false},
  {PF_FK_FAMILY_ECONOMY, "fk_family_economy", "five_knowns", "family_economy", "家庭经济状况", PFK_LONG, 4000, false},
  {PF_FK_STATE_OF_MIND, "fk_state_of_mind", "five_knowns", "state_of_mind", "现实思想状态", PFK_LONG, 4000, false},
  {PF_FK_MOVEMENTS, "fk_movements", "five_knowns", "movements", "异常活动时间和去向", PFK_LONG, 4000, false},
};

const PersonField *person_field_by_key(const char *key) {
  for (int i = 0; i < PF__COUNT; i++)
    if (strcmp(person_fields[i].key, key) == 0) return &person_fields[i];
  return NULL;
}

const DrugType drug_types[] = {
  {"heroin", "海洛因"}, {"methamphetamine", "冰毒（甲基苯丙胺）"}, {"ketamine", "氯胺酮（K粉）"},
  {"mdma", "摇头丸（MDMA）"}, {"cannabis", "大麻"}, {"cocaine", "可卡因"}, {"opium", "鸦片"},
  {"nps", "新精神活性物质"}, {"other", "其他"},
};
const size_t drug_types_count = sizeof drug_types / sizeof drug_types[0];

bool drug_type_valid(const char *code) {
  for (size_t i = 0; i < drug_types_count; i++)
    if (strcmp(drug_types[i].code, code) == 0) return true;
  return false;
}

const char *drug_type_name(const char *code) {
  for (size_t i = 0; i < drug_types_count; i++)
    if (strcmp(drug_types[i].code, code) == 0) return drug_types[i].name_zh;
  return code;
}
