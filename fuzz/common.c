/* fuzz/common.c: the helpers of fuzz/fuzz.h, linked into every harness. */
#include "fuzz/fuzz.h"
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "app/approval.h"
#include "app/casework.h"
#include "app/dataset.h"
#include "app/eradication.h"
#include "app/inspection.h"
#include "app/letter.h"
#include "app/person.h"
#include "app/place.h"
#include "app/prevention.h"
#include "app/report.h"
#include "app/supervision.h"
#include "app/unit_task.h"
#include "core/person_field.h"

char *fuzz_cstr(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  if (size) memcpy(s, data, size);
  s[size] = 0;
  return s;
}

const RecordSpec *const fuzz_records[] = {
    &person_record, &status_record, &register_status_record, &doc_record, &help_member_record,
    &org_correction_record, &visit_record, &test_record, &event_record, &approval_record, &decision_record,
    &activity_record, &survey_record, &eradication_record, &inspection_record, &inspection_done_record,
    &place_record, &letter_record, &letter_required_record, &plan_record, &plan_measure_record,
    &service_record, &service_step_record, &unit_work_record, &unit_rhythm_record, &dataset_unlock_record,
    &report_notes_record, &report_unlock_record, NULL,
};

void fuzz_records_check(void) {
  static bool checked;
  if (checked) return;
  for (const RecordSpec *const *rs = fuzz_records; *rs; rs++)
    for (int i = 0; i < (*rs)->n; i++) assert((*rs)->fields[i].offset + 16 <= FUZZ_RECORD_BYTES);
  checked = true;
}
