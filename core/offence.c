/* core/offence.c: owns the kinds of offence by supervised persons (see
 * core/offence.h): the drug offences of the Criminal Law (走私、贩卖、运输、
 * 制造毒品; 非法持有毒品; 容留他人吸毒), the property and violent crimes the work
 * reports name beside them, drug driving, other. */
#include "core/offence.h"
#include <stddef.h>

const UnitTerm offence_kind_vocab[] = {
  {"drug_trafficking", "走私、贩卖、运输、制造毒品"},
  {"drug_possession", "非法持有毒品"},
  {"harbouring", "容留他人吸毒"},
  {"theft", "盗窃"},
  {"robbery", "抢劫、抢夺"},
  {"fraud", "诈骗"},
  {"assault", "故意伤害"},
  {"drug_driving", "毒驾"},
  {"other", "其他"},
  {NULL, NULL},
};
