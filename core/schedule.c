/* core/schedule.c: owns the contact and testing schedule (帮教/检测频次,
 * DOMAIN.md §4; contract in schedule.h): the three built-in presets, the
 * spec text of a rule (parser and canonical formatter), and the pure
 * computation of the next talk and test due dates of a person as of a day.
 * No I/O, no allocation.
 *
 * Presets (canonical spec text, exactly what schedule_rule_format writes):
 *   default        base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2
 *   monthly_visit  base=36:1:6;release=36;high=1;medium=0
 *   annual_counts  base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2;
 *                  community_detox=12:1:1,24:2:2,36:3:3;
 *                  community_rehab=12:2:2,24:3:3,36:6:6
 *                  (tests a year: detox 12/6/4, rehab 6/4/2 in years 1/2/3)
 *
 * Spec grammar (ASCII whitespace is allowed around every token; one
 * trailing ';' is tolerated):
 *   spec    = item { ";" item }
 *   item    = "base=" table | "release=" N | "high=" N | "medium=" N
 *           | "release_ahead=" N    (days a planned release is listed ahead, 1..366;
 *                                    default 30, written only when not 30)
 *           | status "=" table      (community_detox, community_rehab,
 *                                    social_supervision only)
 *   table   = tier { "," tier }     (1..SCHED_MAX_TIERS tiers)
 *   tier    = until ":" talk ":" test
 * base and release are required; high and medium default to 0 (no cap).
 * until is 1..120 and strictly ascending; talk and test are 1..24; release
 * is 1..120; high and medium are 0..24. Every key appears at most once.
 * Tables are only accepted for the statuses that have a schedule at all
 * (custodial, closed and abstinent_3y persons are never due anything), which
 * also keeps the longest canonical text well under SCHED_SPEC_MAX.
 * Canonical order: base, release, high, medium, then status tables in the
 * order of the Status enum.
 *
 * Computation (schedule_compute): nothing is due for ST_NONE, closed,
 * custodial and abstinent_3y persons and when there is no clock. Otherwise
 * the tier of a day is chosen by whole calendar months abstinent on that day
 * (schedule_months_between); the next test is due one interval after its
 * base date (the last test on or after clock_start, else clock_start), the
 * interval being that of the tier applying ON THE BASE DATE; talks likewise;
 * the second test due date is one interval (of the tier applying on the
 * next due date) after the next due date. Risk caps every interval: medium
 * by medium_max_months, high by the tighter of high_max_months and
 * medium_max_months (a high-risk person is never seen less often than a
 * medium-risk one); a cap of 0 means no cap. */
#include <stddef.h> /* size_t: schedule.h uses it without including stddef.h */
#include "schedule.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
  UNTIL_MAX = 120,   /* longest tier bound, months */
  INTERVAL_MAX = 24, /* longest talk/test interval, months */
  RELEASE_MAX = 120, /* longest release point, months */
  NUM_DIGITS_MAX = 4 /* digits of a number in spec text */
};

/* ---- presets ------------------------------------------------------------ */

/* The DOMAIN.md §4 table: <1 y every 2 months, 1-2 y quarterly, 2-3 y
 * half-yearly (talks and tests alike). */
#define DEFAULT_TABLE {3, {{12, 2, 2}, {24, 3, 3}, {36, 6, 6}}}

static const ScheduleRule PRESETS[] = {
  {
    .code = "default",
    .base = DEFAULT_TABLE,
    .release_months = 36,
    .high_max_months = 1,
    .medium_max_months = 2,
    .release_ahead_days = SCHED_RELEASE_AHEAD_DEFAULT,
  },
  {
    .code = "monthly_visit",
    .base = {1, {{36, 1, 6}}},
    .release_months = 36,
    .high_max_months = 1,
    .medium_max_months = 0,
    .release_ahead_days = SCHED_RELEASE_AHEAD_DEFAULT,
  },
  {
    .code = "annual_counts",
    .base = DEFAULT_TABLE,
    .by_status = {
      /* 12, 6 and 4 tests a year in years 1, 2 and 3 */
      [ST_COMMUNITY_DETOX] = {3, {{12, 1, 1}, {24, 2, 2}, {36, 3, 3}}},
      /* 6, 4 and 2 tests a year */
      [ST_COMMUNITY_REHAB] = {3, {{12, 2, 2}, {24, 3, 3}, {36, 6, 6}}},
    },
    .release_months = 36,
    .high_max_months = 1,
    .medium_max_months = 2,
    .release_ahead_days = SCHED_RELEASE_AHEAD_DEFAULT,
  },
};

/* Chinese names of the presets, in PRESETS order (catalog msgids). */
static const char *const PRESET_NAMES[] = {
  "默认（按戒断时长分档）",
  "每月走访、每半年检测",
  "按年度检测次数",
};

#define NPRESETS ((int)(sizeof PRESETS / sizeof PRESETS[0]))

/* Number of built-in presets (3). */
int schedule_preset_count(void) { return NPRESETS; }

/* Preset i (0-based, static storage), or NULL when i is out of range. */
const ScheduleRule *schedule_preset(int i) {
  return i >= 0 && i < NPRESETS ? &PRESETS[i] : NULL;
}

/* The preset whose code is exactly `code` (static), or NULL for NULL, an
 * empty or a custom code. */
const ScheduleRule *schedule_preset_by_code(const char *code) {
  if (!code) return NULL;
  for (int i = 0; i < NPRESETS; i++)
    if (strcmp(PRESETS[i].code, code) == 0) return &PRESETS[i];
  return NULL;
}

/* Chinese name (static msgid) of a preset code, or NULL for a custom code. */
const char *schedule_preset_name(const char *code) {
  if (!code) return NULL;
  for (int i = 0; i < NPRESETS; i++)
    if (strcmp(PRESETS[i].code, code) == 0) return PRESET_NAMES[i];
  return NULL;
}

/* ---- spec text: parser -------------------------------------------------- */

/* Messages of the parser (static catalog msgids). */
#define MSG_EMPTY "请填写频次规则"
#define MSG_TOO_LONG "频次规则过长"
#define MSG_SYNTAX "频次规则格式有误：应写成“项目=值”，各项之间用分号分隔"
#define MSG_UNKNOWN_KEY "频次规则中有未知的项目或管控状态名称"
#define MSG_STATUS_NO_SCHEDULE "只有社区戒毒、社区康复和社会面管控可以单独设定频次"
#define MSG_DUPLICATE "频次规则中同一项目出现了不止一次"
#define MSG_TIER_SYNTAX "每个分档应写成“月数:谈话间隔:检测间隔”，分档之间用逗号分隔"
#define MSG_TOO_MANY_TIERS "一张频次表最多6个分档"
#define MSG_NOT_ASCENDING "分档月数必须从小到大排列"
#define MSG_UNTIL_RANGE "分档月数应在1至120之间"
#define MSG_INTERVAL_RANGE "谈话和检测间隔应在1至24个月之间"
#define MSG_RELEASE_RANGE "解除管控的戒断月数应在1至120之间"
#define MSG_CAP_RANGE "风险等级的频次上限应在0至24个月之间"
#define MSG_AHEAD_RANGE "出所前提前列入待办的天数应在1至366之间"
#define MSG_NO_BASE "频次规则缺少基本频次表（base）"
#define MSG_NO_RELEASE "频次规则缺少解除管控的戒断月数（release）"

/* Parser state: a cursor over the spec text and the first error. */
typedef struct {
  const char *p;   /* next character */
  const char *msg; /* first error message, NULL while none */
} Parser;

/* Records msg as the error unless one is recorded already; returns false. */
static bool fail(Parser *ps, const char *msg) {
  if (!ps->msg) ps->msg = msg;
  return false;
}

/* true for the ASCII whitespace skipped between tokens. */
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Skips whitespace at the cursor. */
static void skip_space(Parser *ps) {
  while (is_space(*ps->p)) ps->p++;
}

/* Reads a non-negative decimal number (1..NUM_DIGITS_MAX digits, so it
 * cannot overflow) after optional whitespace. false (error msg) when there
 * is no digit or too many. */
static bool parse_num(Parser *ps, const char *msg, int *out) {
  skip_space(ps);
  int v = 0, n = 0;
  while (*ps->p >= '0' && *ps->p <= '9') {
    if (++n > NUM_DIGITS_MAX) return fail(ps, msg);
    v = v * 10 + (*ps->p - '0');
    ps->p++;
  }
  if (n == 0) return fail(ps, msg);
  *out = v;
  skip_space(ps);
  return true;
}

/* Consumes character c (after whitespace) or records msg and fails. */
static bool expect(Parser *ps, char c, const char *msg) {
  skip_space(ps);
  if (*ps->p != c) return fail(ps, msg);
  ps->p++;
  return true;
}

/* Parses a table (tiers until:talk:test separated by ',') into *t, checking
 * the count, the ranges and that until ascends strictly. Stops before ';'
 * or the end of the text. */
static bool parse_table(Parser *ps, ScheduleTable *t) {
  memset(t, 0, sizeof *t);
  for (;;) {
    int until, talk, test;
    if (!parse_num(ps, MSG_TIER_SYNTAX, &until) || !expect(ps, ':', MSG_TIER_SYNTAX) ||
        !parse_num(ps, MSG_TIER_SYNTAX, &talk) || !expect(ps, ':', MSG_TIER_SYNTAX) ||
        !parse_num(ps, MSG_TIER_SYNTAX, &test))
      return false;
    if (t->ntiers == SCHED_MAX_TIERS) return fail(ps, MSG_TOO_MANY_TIERS);
    if (until < 1 || until > UNTIL_MAX) return fail(ps, MSG_UNTIL_RANGE);
    if (t->ntiers > 0 && until <= t->tiers[t->ntiers - 1].until_months)
      return fail(ps, MSG_NOT_ASCENDING);
    if (talk < 1 || talk > INTERVAL_MAX || test < 1 || test > INTERVAL_MAX)
      return fail(ps, MSG_INTERVAL_RANGE);
    t->tiers[t->ntiers++] = (ScheduleTier){until, talk, test};
    skip_space(ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == ';' || *ps->p == '\0') return true;
    return fail(ps, MSG_TIER_SYNTAX);
  }
}

/* Parses a number in lo..hi (range error msg) that must end the item. */
static bool parse_int_item(Parser *ps, int lo, int hi, const char *msg, int *out) {
  int v;
  if (!parse_num(ps, MSG_SYNTAX, &v)) return false;
  if (*ps->p != ';' && *ps->p != '\0') return fail(ps, MSG_SYNTAX);
  if (v < lo || v > hi) return fail(ps, msg);
  *out = v;
  return true;
}

/* Reads a key ([a-z0-9_]+, at most SCHED_CODE_MAX - 1 bytes) and the '='
 * after it; the key goes to key. */
static bool parse_key(Parser *ps, char key[SCHED_CODE_MAX]) {
  skip_space(ps);
  size_t n = 0;
  while ((*ps->p >= 'a' && *ps->p <= 'z') || (*ps->p >= '0' && *ps->p <= '9') || *ps->p == '_') {
    if (n + 1 >= SCHED_CODE_MAX) return fail(ps, MSG_UNKNOWN_KEY);
    key[n++] = *ps->p++;
  }
  key[n] = '\0';
  if (n == 0) return fail(ps, MSG_SYNTAX);
  return expect(ps, '=', MSG_SYNTAX);
}

/* true for the statuses that may have their own table: those that can be
 * due anything at all. */
static bool status_has_schedule(Status s) {
  return s == ST_COMMUNITY_DETOX || s == ST_COMMUNITY_REHAB || s == ST_SOCIAL_SUPERVISION;
}

/* Keys that may appear once each, as bits of the `seen` set. */
enum { SEEN_BASE = 1u << 0, SEEN_RELEASE = 1u << 1, SEEN_HIGH = 1u << 2, SEEN_MEDIUM = 1u << 3,
       SEEN_STATUS0 = 4, /* bit of status s: 1u << (SEEN_STATUS0 + s) */
       SEEN_AHEAD = 1u << 30 };

/* Marks bit in *seen; false (duplicate key) when it was set already. */
static bool mark(Parser *ps, unsigned *seen, unsigned bit) {
  if (*seen & bit) return fail(ps, MSG_DUPLICATE);
  *seen |= bit;
  return true;
}

/* The keys that take one whole number: its bit in `seen`, its bounds and
 * message, and the member of ScheduleRule it goes to. */
static const struct {
  const char *key;
  unsigned bit;
  int lo, hi;
  const char *msg;
  size_t at;
} int_items[] = {
  {"release", SEEN_RELEASE, 1, RELEASE_MAX, MSG_RELEASE_RANGE, offsetof(ScheduleRule, release_months)},
  {"release_ahead", SEEN_AHEAD, 1, SCHED_RELEASE_AHEAD_MAX, MSG_AHEAD_RANGE, offsetof(ScheduleRule, release_ahead_days)},
  {"high", SEEN_HIGH, 0, INTERVAL_MAX, MSG_CAP_RANGE, offsetof(ScheduleRule, high_max_months)},
  {"medium", SEEN_MEDIUM, 0, INTERVAL_MAX, MSG_CAP_RANGE, offsetof(ScheduleRule, medium_max_months)},
};

/* Parses one item "key=value" into r. */
static bool parse_item(Parser *ps, ScheduleRule *r, unsigned *seen) {
  char key[SCHED_CODE_MAX];
  if (!parse_key(ps, key)) return false;
  if (strcmp(key, "base") == 0)
    return mark(ps, seen, SEEN_BASE) && parse_table(ps, &r->base);
  for (size_t i = 0; i < sizeof int_items / sizeof *int_items; i++)
    if (strcmp(key, int_items[i].key) == 0)
      return mark(ps, seen, int_items[i].bit) &&
             parse_int_item(ps, int_items[i].lo, int_items[i].hi, int_items[i].msg,
                            (int *)((char *)r + int_items[i].at));
  Status s = status_from_code(key);
  if (s == ST_NONE) return fail(ps, MSG_UNKNOWN_KEY);
  if (!status_has_schedule(s)) return fail(ps, MSG_STATUS_NO_SCHEDULE);
  return mark(ps, seen, 1u << (SEEN_STATUS0 + s)) && parse_table(ps, &r->by_status[s]);
}

/* Parses spec into *out (see the grammar in the first comment). On success
 * every field but out->code is replaced and ERR_OK returned; on error *out
 * is untouched and e gets ERR_INVALID, the Chinese message and the field
 * "spec" with the same message. */
ErrCode schedule_rule_parse(const char *spec, ScheduleRule *out, Err *e) {
  assert(out && e);
  Parser ps = {spec, NULL};
  ScheduleRule r;
  memset(&r, 0, sizeof r);
  if (!spec) {
    fail(&ps, MSG_EMPTY);
  } else if (strlen(spec) >= SCHED_SPEC_MAX) {
    fail(&ps, MSG_TOO_LONG);
  } else {
    skip_space(&ps);
    if (*ps.p == '\0') fail(&ps, MSG_EMPTY);
    unsigned seen = 0;
    while (!ps.msg && *ps.p != '\0') {
      if (!parse_item(&ps, &r, &seen)) break;
      skip_space(&ps);
      if (*ps.p == ';') {
        ps.p++;
        skip_space(&ps);
      } else if (*ps.p != '\0') {
        fail(&ps, MSG_SYNTAX);
      }
    }
    if (!ps.msg && !(seen & SEEN_BASE)) fail(&ps, MSG_NO_BASE);
    if (!ps.msg && !(seen & SEEN_RELEASE)) fail(&ps, MSG_NO_RELEASE);
  }
  if (ps.msg) {
    err_set(e, ERR_INVALID, ps.msg);
    err_field(e, "spec", ps.msg);
    return ERR_INVALID;
  }
  if (r.release_ahead_days == 0) r.release_ahead_days = SCHED_RELEASE_AHEAD_DEFAULT;
  memcpy(r.code, out->code, sizeof r.code);
  r.code[SCHED_CODE_MAX - 1] = '\0';
  *out = r;
  return ERR_OK;
}

/* ---- spec text: formatter ----------------------------------------------- */

/* An output buffer that truncates (always NUL-terminated). */
typedef struct {
  char *out;
  size_t size, len; /* len may exceed size - 1 after truncation */
} Out;

/* Appends printf-style text to o, truncating at o->size - 1 bytes. */
static void out_printf(Out *o, const char *fmt, ...) {
  size_t room = o->len < o->size ? o->size - o->len : 0;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(room ? o->out + o->len : NULL, room, fmt, ap);
  va_end(ap);
  if (n > 0) o->len += (size_t)n;
}

/* Appends the tiers of t as "until:talk:test,...". */
static void format_table(Out *o, const ScheduleTable *t) {
  for (int i = 0; i < t->ntiers; i++)
    out_printf(o, "%s%d:%d:%d", i ? "," : "", t->tiers[i].until_months, t->tiers[i].talk_months,
               t->tiers[i].test_months);
}

/* Writes the canonical spec text of r (base, release, high, medium, then the
 * used status tables in enum order) into out (outsz > 0 bytes, truncated if
 * too small; SCHED_SPEC_MAX always suffices for a parsed rule). */
void schedule_rule_format(const ScheduleRule *r, char *out, size_t outsz) {
  assert(r && out && outsz > 0);
  Out o = {out, outsz, 0};
  out[0] = '\0';
  out_printf(&o, "base=");
  format_table(&o, &r->base);
  out_printf(&o, ";release=%d;high=%d;medium=%d", r->release_months, r->high_max_months,
             r->medium_max_months);
  if (r->release_ahead_days > 0 && r->release_ahead_days != SCHED_RELEASE_AHEAD_DEFAULT)
    out_printf(&o, ";release_ahead=%d", r->release_ahead_days);
  for (int s = ST_NONE + 1; s < ST__COUNT; s++) {
    if (r->by_status[s].ntiers <= 0) continue;
    out_printf(&o, ";%s=", status_code((Status)s));
    format_table(&o, &r->by_status[s]);
  }
}

/* ---- computation -------------------------------------------------------- */

/* The status's own table under r when it has one, else the base table. */
const ScheduleTable *schedule_table(const ScheduleRule *r, Status s) {
  assert(r);
  if ((unsigned)s < (unsigned)ST__COUNT && r->by_status[s].ntiers > 0) return &r->by_status[s];
  return &r->base;
}

/* Whole calendar months from a to b: the largest k >= 0 with
 * date_add_months(a, k) <= b; 0 when b < a. Month-end clamping counts:
 * 2024-01-31 to 2024-02-29 is 1, 2024-02-29 to 2025-02-28 is 12. */
int schedule_months_between(Day a, Day b) {
  if (b <= a) return 0;
  int ay, am, by, bm;
  date_to_ymd(a, &ay, &am, NULL);
  date_to_ymd(b, &by, &bm, NULL);
  int k = (by - ay) * 12 + (bm - am); /* >= 0 since b > a */
  /* a + k months lies in b's month, so it is either <= b or one month too many. */
  if (date_add_months(a, k) > b) k--;
  return k;
}

/* Tier index applying on day d for a clock started at start: the first tier
 * whose until_months exceeds the whole months abstinent on d, else the last
 * tier. The table must have at least one tier (assert). */
int schedule_tier_at(const ScheduleTable *t, Day start, Day d) {
  assert(t && t->ntiers > 0 && t->ntiers <= SCHED_MAX_TIERS);
  int months = schedule_months_between(start, d);
  for (int i = 0; i < t->ntiers; i++)
    if (months < t->tiers[i].until_months) return i;
  return t->ntiers - 1;
}

/* The cap on intervals for a risk level under r (0 = no cap): medium gets
 * medium_max_months, high the tighter non-zero one of high and medium. */
static int risk_cap(const ScheduleRule *r, RiskLevel risk) {
  int cap = 0;
  if (risk == RISK_HIGH || risk == RISK_MEDIUM) cap = r->medium_max_months;
  if (risk == RISK_HIGH && r->high_max_months > 0 && (cap == 0 || r->high_max_months < cap))
    cap = r->high_max_months;
  return cap;
}

/* interval limited by cap (0 = no cap). */
static int capped(int interval, int cap) { return cap > 0 && cap < interval ? cap : interval; }

/* Test interval (after the cap) of the tier applying on day d. */
static int test_interval_on(const ScheduleTable *t, Day start, Day d, int cap) {
  return capped(t->tiers[schedule_tier_at(t, start, d)].test_months, cap);
}

/* Talk interval (after the cap) of the tier applying on day d. */
static int talk_interval_on(const ScheduleTable *t, Day start, Day d, int cap) {
  return capped(t->tiers[schedule_tier_at(t, start, d)].talk_months, cap);
}

/* Fills *out with the schedule of the person described by *in as of asof
 * (see the first comment for the rules). *out is zeroed first, so a person
 * with nothing due has only nothing_due set. */
void schedule_compute(const ScheduleRule *r, const ScheduleInput *in, Day asof, ScheduleResult *out) {
  assert(r && in && out);
  memset(out, 0, sizeof *out);
  Status s = in->status;
  if (s == ST_NONE || (unsigned)s >= (unsigned)ST__COUNT || status_is_closed(s) ||
      status_is_custodial(s) || s == ST_ABSTINENT_3Y || !in->has_clock) {
    out->nothing_due = true;
    return;
  }
  const ScheduleTable *t = schedule_table(r, s);
  int cap = risk_cap(r, in->risk);
  Day start = in->clock_start;

  out->months_abstinent = schedule_months_between(start, asof);
  out->tier = schedule_tier_at(t, start, asof);
  out->talk_months = capped(t->tiers[out->tier].talk_months, cap);
  out->test_months = capped(t->tiers[out->tier].test_months, cap);

  Day test_base = in->has_last_test && in->last_test >= start ? in->last_test : start;
  out->next_test_due = date_add_months(test_base, test_interval_on(t, start, test_base, cap));
  out->second_test_due =
      date_add_months(out->next_test_due, test_interval_on(t, start, out->next_test_due, cap));

  Day talk_base = in->has_last_talk && in->last_talk >= start ? in->last_talk : start;
  out->next_talk_due = date_add_months(talk_base, talk_interval_on(t, start, talk_base, cap));

  out->release_eligible = date_add_months(start, r->release_months);
  out->eligible_for_release = asof >= out->release_eligible;
}
