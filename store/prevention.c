/* store/prevention.c: owns the SQL of activity, survey and awareness_target
 * (see store/prevention.h). */
#include "store/prevention.h"
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include <stdio.h>
#include "store/user.h"

#define M_NOT_FOUND "记录不存在"

/* ---- versions ------------------------------------------------------------------- */

/* The next record id of table (activity_id or survey_id column col): one
 * above the greatest (the UNIQUE (col, version) index answers it). */
static int pv_next_record(Db *db, const char *sql, int64_t *id, Err *e) {
  if (db_scalar(db_prepare(db, sql, e), id, e) != ERR_OK) return e->code;
  (*id)++;
  return ERR_OK;
}

/* Marks the current version of record id not current (sql: an UPDATE ...
 * RETURNING version); *version = that version's number; ERR_NOT_FOUND when
 * record id has none. */
static int pv_supersede(Db *db, const char *sql, int64_t id, int64_t *version, Err *e) {
  *version = 0;
  if (db_scalar(db_query(db, sql, e, DB_INT(":id", id)), version, e) != ERR_OK) return e->code;
  return *version > 0 ? ERR_OK : err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
}

/* ---- activities ----------------------------------------------------------------- */

/* Inserts version v of activity record id. */
static int act_insert(Db *db, int64_t id, int64_t v, const ActivityIn *in, int64_t user_id, const char *now, Err *e) {
  const int64_t *m = in->materials;
  return db_insert(db, "activity", NULL, e, DB_INT(":activity_id", id), DB_INT(":version", v),
                   DB_INT(":org_id", in->org_id), DB_TEXT(":date", in->date), DB_TEXT(":kind", in->kind),
                   DB_TEXT(":settings", in->settings ? in->settings : ""),
                   DB_INT(":settings_mask", prevention_settings_mask(in->settings)),
                   DB_TEXT(":campaign", in->campaign ? in->campaign : ""), DB_TEXT(":title", in->title ? in->title : ""),
                   DB_TEXT(":partners", in->partners ? in->partners : ""),
                   DB_TEXT(":audience", in->audience ? in->audience : ""), DB_INT(":participants", in->participants),
                   DB_INT(":consultations", in->consultations), DB_INT(":leaflets", m[MAT_LEAFLETS]),
                   DB_INT(":banners", m[MAT_BANNERS]), DB_INT(":slogans", m[MAT_SLOGANS]),
                   DB_INT(":boards", m[MAT_BOARDS]), DB_INT(":exhibits", m[MAT_EXHIBITS]),
                   DB_INT(":posters", m[MAT_POSTERS]), DB_INT(":notices", m[MAT_NOTICES]),
                   DB_INT(":broadcasts", m[MAT_BROADCASTS]), DB_INT(":broadcast_minutes", m[MAT_BROADCAST_MINUTES]),
                   DB_INT(":messages", m[MAT_MESSAGES]), DB_TEXT(":notes", in->notes ? in->notes : ""),
                   DB_TEXT(":reason", in->reason ? in->reason : ""), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

/* What one activity version adds to (sign 1) or takes from (-1) the kept
 * sums: its unit, month and figures. */
typedef struct ActSums {
  int64_t org_id;
  char month[8];
  int64_t participants, consultations;
  const int64_t *m;
  int sign;
} ActSums;

/* Adds a's figures to the row (unit, month, dim, code) of activity_total_by
 * keyed by kind, setting and campaign (NULL or "": not part of the key;
 * prevention_total_key). */
static int act_total_by(Db *db, const ActSums *a, const char *kind, const char *setting, const char *campaign,
                        Err *e) {
  char dim[PREVENTION_KEY_DIM], code[PREVENTION_KEY_CODE];
  int asked = prevention_total_key(kind, setting, campaign, dim, code);
  assert(asked == 1 || asked == 2);
  (void)asked;
  int64_t sign = a->sign;
  const int64_t *m = a->m;
  return db_run(db_query(db,
                         "INSERT INTO activity_total_by (org_id, month, dim, code, activities, participants, consultations,"
                         " leaflets, banners, slogans, boards, exhibits, posters, notices, broadcasts, broadcast_minutes,"
                         " messages) VALUES (:o, :mo, :dim, :code, :k, :p, :c, :m0, :m1, :m2, :m3, :m4, :m5, :m6, :m7,"
                         " :m8, :m9) ON CONFLICT (org_id, dim, code, month) DO UPDATE SET activities = activities + :k,"
                         " participants = participants + :p, consultations = consultations + :c,"
                         " leaflets = leaflets + :m0, banners = banners + :m1, slogans = slogans + :m2,"
                         " boards = boards + :m3, exhibits = exhibits + :m4, posters = posters + :m5,"
                         " notices = notices + :m6, broadcasts = broadcasts + :m7,"
                         " broadcast_minutes = broadcast_minutes + :m8, messages = messages + :m9",
                         e, DB_INT(":o", a->org_id), DB_TEXT(":mo", a->month), DB_TEXT(":dim", dim),
                         DB_TEXT(":code", code), DB_INT(":k", sign), DB_INT(":p", sign * a->participants),
                         DB_INT(":c", sign * a->consultations), DB_INT(":m0", sign * m[0]), DB_INT(":m1", sign * m[1]),
                         DB_INT(":m2", sign * m[2]), DB_INT(":m3", sign * m[3]), DB_INT(":m4", sign * m[4]),
                         DB_INT(":m5", sign * m[5]), DB_INT(":m6", sign * m[6]), DB_INT(":m7", sign * m[7]),
                         DB_INT(":m8", sign * m[8]), DB_INT(":m9", sign * m[9])),
                e);
}

/* Adds sign (1 or -1) times the figures of an activity of unit org_id and
 * date to activity_total and to activity_total_by: under its kind, its
 * campaign and each of its settings, and under each pair of them (kind and
 * campaign, kind and each setting, each setting and campaign). */
static int act_total(Db *db, int64_t org_id, const char *date, const char *kind, const char *campaign,
                     const char *settings, int64_t participants, int64_t consultations, const int64_t *m, int sign,
                     Err *e) {
  ActSums a = {org_id, "", participants, consultations, m, sign};
  snprintf(a.month, sizeof a.month, "%.7s", date);
  if (db_run(db_query(db,
                         "INSERT INTO activity_total (org_id, month, activities, participants, consultations, leaflets,"
                         " banners, slogans, boards, exhibits, posters, notices, broadcasts, broadcast_minutes, messages)"
                         " VALUES (:o, :mo, :k, :p, :c, :m0, :m1, :m2, :m3, :m4, :m5, :m6, :m7, :m8, :m9)"
                         " ON CONFLICT (org_id, month) DO UPDATE SET activities = activities + :k,"
                         " participants = participants + :p, consultations = consultations + :c,"
                         " leaflets = leaflets + :m0, banners = banners + :m1, slogans = slogans + :m2,"
                         " boards = boards + :m3, exhibits = exhibits + :m4, posters = posters + :m5,"
                         " notices = notices + :m6, broadcasts = broadcasts + :m7,"
                         " broadcast_minutes = broadcast_minutes + :m8, messages = messages + :m9",
                         e, DB_INT(":o", org_id), DB_TEXT(":mo", a.month), DB_INT(":k", sign),
                         DB_INT(":p", sign * participants), DB_INT(":c", sign * consultations),
                         DB_INT(":m0", sign * m[0]), DB_INT(":m1", sign * m[1]), DB_INT(":m2", sign * m[2]),
                         DB_INT(":m3", sign * m[3]), DB_INT(":m4", sign * m[4]), DB_INT(":m5", sign * m[5]),
                         DB_INT(":m6", sign * m[6]), DB_INT(":m7", sign * m[7]), DB_INT(":m8", sign * m[8]),
                         DB_INT(":m9", sign * m[9])),
                e) != ERR_OK)
    return e->code;
  const char *camp = campaign && *campaign ? campaign : NULL;
  if (act_total_by(db, &a, kind, NULL, NULL, e) != ERR_OK) return e->code;
  if (camp && (act_total_by(db, &a, NULL, NULL, camp, e) != ERR_OK || act_total_by(db, &a, kind, NULL, camp, e) != ERR_OK))
    return e->code;
  for (int k = 0; activity_setting_vocab[k].code; k++) {
    const char *set = activity_setting_vocab[k].code;
    if (!prevention_codes_has(settings, set)) continue;
    if (act_total_by(db, &a, NULL, set, NULL, e) != ERR_OK || act_total_by(db, &a, kind, set, NULL, e) != ERR_OK ||
        (camp && act_total_by(db, &a, NULL, set, camp, e) != ERR_OK))
      return e->code;
  }
  return ERR_OK;
}

/* act_insert and the version's figures added to activity_total, and its
 * partner places linked. */
static int act_insert_counted(Db *db, int64_t id, int64_t v, const ActivityIn *in, int64_t user_id, const char *now,
                              Err *e) {
  if (act_insert(db, id, v, in, user_id, now, e) != ERR_OK) return e->code;
  for (int i = 0; i < in->nplaces; i++)
    if (db_run(db_query(db,
                        "INSERT INTO activity_place (activity_row, place_id) SELECT id, :p FROM activity"
                        " WHERE activity_id = :a AND version = :v ON CONFLICT DO NOTHING",
                        e, DB_INT(":p", in->place_ids[i]), DB_INT(":a", id), DB_INT(":v", v)),
               e) != ERR_OK)
      return e->code;
  return act_total(db, in->org_id, in->date, in->kind, in->campaign, in->settings, in->participants,
                   in->consultations, in->materials, 1, e);
}

int store_activity_add(Db *db, const ActivityIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  if (pv_next_record(db, "SELECT max(activity_id) FROM activity", id, e) != ERR_OK) return e->code;
  return act_insert_counted(db, *id, 1, in, user_id, now, e);
}

int store_activity_insert_first(Db *db, int64_t id, const ActivityIn *in, const char *now, Err *e) {
  return act_insert_counted(db, id, 1, in, 0, now, e);
}

int store_activity_correct(Db *db, int64_t id, const ActivityIn *in, int64_t user_id, const char *now, Err *e) {
  ActivityRow old;
  if (store_activity_get(db, id, &old, e) != ERR_OK) return e->code;
  int rc = act_total(db, old.org_id, old.date, old.kind, old.campaign, old.settings, old.participants,
                     old.consultations, old.materials, -1, e);
  store_activity_row_drop(&old);
  if (rc != ERR_OK) return rc;
  int64_t v;
  if (pv_supersede(db, "UPDATE activity SET current = 0 WHERE activity_id = :id AND current = 1 RETURNING version", id,
                   &v, e) != ERR_OK)
    return e->code;
  return act_insert_counted(db, id, v + 1, in, user_id, now, e);
}

/* The materials columns, in ActivityMaterial order. */
#define ACT_MATERIAL_COLS                                                                                     \
  "a.leaflets, a.banners, a.slogans, a.boards, a.exhibits, a.posters, a.notices, a.broadcasts,"              \
  " a.broadcast_minutes, a.messages"

#define ACT_COLS                                                                                              \
  "a.activity_id, a.id, a.version, a.org_id, o.code, o.name, o.path, a.date, a.kind, a.settings, a.campaign," \
  " a.audience, a.title, a.partners, a.notes, a.reason, a.participants, a.consultations, " ACT_MATERIAL_COLS  \
  ", " STORE_USER_SHOWN ", a.created_at,"                                                                    \
  " (SELECT count(*) FROM attachment t WHERE t.entity = 'activity' AND t.entity_id = a.activity_id"          \
  "  AND t.voided_at IS NULL)"                                                                                \
  " FROM activity a JOIN org_unit o ON o.id = a.org_id LEFT JOIN app_user u ON u.id = a.created_by"

/* The columns of ACT_COLS, in order. */
#define C(m) DB_COL(ActivityRow, m)
static const DbCol act_cols[] = {
  C(id), C(version_id), C(version), C(org_id), C(org_code), C(org_name), C(org_path), C(date), C(kind), C(settings),
  C(campaign), C(audience), C(title), C(partners), C(notes), C(reason), C(participants), C(consultations),
  C(materials[0]), C(materials[1]), C(materials[2]), C(materials[3]), C(materials[4]), C(materials[5]),
  C(materials[6]), C(materials[7]), C(materials[8]), C(materials[9]), C(created_by), C(created_at), C(photos),
  DB_COL_END,
};
#undef C
_Static_assert(ACTIVITY_MATERIALS == 10, "act_cols reads ten materials");

static const DbCol act_place_cols[] = {
  DB_COL(ActivityPlaceRef, id), DB_COL(ActivityPlaceRef, name), DB_COL(ActivityPlaceRef, kind), DB_COL_END,
};

static int act_by_version(const void *x, const void *y) {
  int64_t a = (*(ActivityRow *const *)x)->version_id, b = (*(ActivityRow *const *)y)->version_id;
  return a < b ? -1 : a > b;
}

/* Fills the partner places of rows[0..n) (versions): one range read of the
 * links between their lowest and highest version row ids. */
static int act_places_fill(Db *db, ActivityRow *rows, int n, Err *e) {
  if (n <= 0) return ERR_OK;
  int64_t lo = rows[0].version_id, hi = rows[0].version_id;
  for (int i = 1; i < n; i++) {
    if (rows[i].version_id < lo) lo = rows[i].version_id;
    if (rows[i].version_id > hi) hi = rows[i].version_id;
  }
  DbStmt *st = db_query(db,
                        "SELECT ap.activity_row, p.id, p.name, p.kind FROM activity_place ap"
                        " JOIN place p ON p.id = ap.place_id WHERE ap.activity_row >= :lo AND ap.activity_row <= :hi"
                        " ORDER BY ap.activity_row, p.name, p.id",
                        e, DB_INT(":lo", lo), DB_INT(":hi", hi));
  if (!st) return e->code;
  /* the rows by version id, to find a link's row by binary search */
  ActivityRow **by = malloc(sizeof *by * (size_t)n);
  if (!by) abort();
  for (int i = 0; i < n; i++) by[i] = &rows[i];
  qsort(by, (size_t)n, sizeof *by, act_by_version);
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    int64_t row = db_col_int(st, 0);
    int lo2 = 0, hi2 = n;
    while (lo2 < hi2) {
      int mid = (lo2 + hi2) / 2;
      if (by[mid]->version_id < row) lo2 = mid + 1;
      else hi2 = mid;
    }
    if (lo2 >= n || by[lo2]->version_id != row) continue;
    ActivityRow *a = by[lo2];
    if (a->nplaces >= ACTIVITY_PLACES_MAX) continue;
    if (!a->places) {
      a->places = calloc(ACTIVITY_PLACES_MAX, sizeof *a->places);
      if (!a->places) abort();
    }
    db_cols_read(&a->places[a->nplaces++], st, 1, act_place_cols);
  }
  db_finalize(st);
  free(by);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_activity_get(Db *db, int64_t id, ActivityRow *out, Err *e) {
  if (db_get_cols(db, "SELECT " ACT_COLS " WHERE a.activity_id = :id AND a.current = 1", id, act_cols, out, sizeof *out,
                  e) != ERR_OK)
    return e->code;
  return act_places_fill(db, out, 1, e);
}

int store_activity_history(Db *db, int64_t id, ActivityRow **out, int *n, Err *e) {
  if (db_rows_cols(db_query(db, "SELECT " ACT_COLS " WHERE a.activity_id = :id ORDER BY a.version DESC", e,
                            DB_INT(":id", id)),
                   sizeof **out, act_cols, out, n, e) != ERR_OK)
    return e->code;
  return act_places_fill(db, *out, *n, e);
}

/* Frees the partner places of an activity version (void *: a DbEachMore's drop). */
static void act_places_drop(void *rec) {
  ActivityRow *row = rec;
  free(row->places);
  row->places = NULL;
  row->nplaces = 0;
}

/* The partner places of one version (a DbEachMore's more). */
static ErrCode act_places_more(Db *db, void *rec, Err *e) { return (ErrCode)act_places_fill(db, rec, 1, e); }

void store_activity_row_drop(ActivityRow *row) {
  act_places_drop(row);
  db_cols_drop(row, act_cols);
}
void store_activity_rows_free(ActivityRow *rows, int n) {
  for (int i = 0; rows && i < n; i++) free(rows[i].places);
  db_rows_free_cols(rows, n, sizeof *rows, act_cols);
}

/* The filter of an activity list (its scope bound in :end). */
#define ACT_FILTER                                                                                            \
  " AND (:kind = '' OR a.kind = :kind) AND (:campaign = '' OR a.campaign = :campaign)"                        \
  " AND (:setbit = 0 OR (a.settings_mask & :setbit) <> 0)"
#define ACT_WHERE                                                                                             \
  " WHERE a.current = 1 AND o.path >= :scope AND o.path < :end AND (:from = '' OR a.date >= :from)"           \
  " AND (:to = '' OR a.date <= :to)" ACT_FILTER
/* The same with both days given: plain bounds, so that each unit's rows of
 * the window are an index range (an OR with '' would scan them all). */
#define ACT_WHERE_DAYS                                                                                        \
  " WHERE a.current = 1 AND o.path >= :scope AND o.path < :end AND a.date >= :from AND a.date <= :to" ACT_FILTER

/* The bit of a setting filter: 0 for none; a bit no row has for a code
 * that is not one (the use case refuses those first). */
static int64_t act_setbit(const char *setting) {
  if (!setting || !*setting) return 0;
  int64_t b = prevention_setting_bit(setting);
  return b ? b : (int64_t)1 << 40;
}

/* Prepares sql (ACT_WHERE) with f's filter bound. */
static DbStmt *act_query(Db *db, const char *sql, const ActivityFilter *f, const char *end, Err *e) {
  DbStmt *st = db_query(db, sql, e, DB_TEXT(":scope", f->scope), DB_TEXT(":end", end),
                        DB_TEXT(":from", f->from ? f->from : ""), DB_TEXT(":to", f->to ? f->to : ""),
                        DB_TEXT(":kind", f->kind ? f->kind : ""), DB_TEXT(":campaign", f->campaign ? f->campaign : ""),
                        DB_INT(":setbit", act_setbit(f->setting)));
  return st;
}

/* The columns of the totals of an activity filter. */
#define C(m) DB_COL(ActivityTotals, m)
static const DbCol act_total_cols[] = {
  C(activities), C(participants), C(consultations), C(materials[0]), C(materials[1]), C(materials[2]),
  C(materials[3]), C(materials[4]), C(materials[5]), C(materials[6]), C(materials[7]), C(materials[8]),
  C(materials[9]), DB_COL_END,
};
#undef C

/* Adds the totals of f's activities dated in [from, to] ("": open) to tot,
 * from the rows. */
static int act_totals_rows(Db *db, const ActivityFilter *f, const char *end, const char *from, const char *to,
                           ActivityTotals *tot, Err *e) {
  ActivityFilter g = *f;
  g.from = from;
  g.to = to;
  ActivityTotals t;
  memset(&t, 0, sizeof t);
#define ACT_ROW_SUMS                                                                                          \
  "SELECT count(*), total(a.participants), total(a.consultations), total(a.leaflets),"                       \
  " total(a.banners), total(a.slogans), total(a.boards), total(a.exhibits), total(a.posters),"               \
  " total(a.notices), total(a.broadcasts), total(a.broadcast_minutes), total(a.messages)"                    \
  " FROM activity a JOIN org_unit o ON o.id = a.org_id"
  DbStmt *st = act_query(db, *from && *to ? ACT_ROW_SUMS ACT_WHERE_DAYS : ACT_ROW_SUMS ACT_WHERE, &g, end, e);
#undef ACT_ROW_SUMS
  if (db_row_cols(st, act_total_cols, &t, NULL, e) != ERR_OK) return e->code;
  tot->activities += t.activities;
  tot->participants += t.participants;
  tot->consultations += t.consultations;
  prevention_materials_add(tot->materials, t.materials);
  return ERR_OK;
}

/* The first day (first) or last day of the month of the ISO date d, as ISO. */
static void act_month_edge(const char *d, bool first, char out[DATE_ISO_LEN]) {
  Day day;
  if (!date_parse(d, &day)) {
    out[0] = 0;
    return;
  }
  Day a = date_from_ymd(atoi(d), atoi(d + 5), 1);
  date_format(first ? a : date_add_months(a, 1) - 1, out);
}

/* One end of the whole months inside a range: from its first day (start),
 * the first day of the first whole month on or after it; from its last
 * day, the last day of the last whole month on or before it (the day
 * itself when it is the edge of its month). */
static void act_whole_months_edge(const char *day, bool start, char out[DATE_ISO_LEN]) {
  char edge[DATE_ISO_LEN];
  act_month_edge(day, start, edge);
  if (strcmp(edge, day) == 0) {
    str_copy(out, DATE_ISO_LEN, day);
    return;
  }
  act_month_edge(day, !start, edge);
  Day d;
  date_parse(edge, &d);
  date_format(start ? d + 1 : d - 1, out);
}

/* The totals of f: whole months from activity_total (no kind, setting or
 * campaign asked) or activity_total_by (one or two of them asked), the
 * days of the months f cuts from the rows; all three asked: all from the
 * rows. */
static int act_totals(Db *db, const ActivityFilter *f, const char *end, ActivityTotals *tot, Err *e) {
  memset(tot, 0, sizeof *tot);
  const char *from = f->from ? f->from : "", *to = f->to ? f->to : "";
  /* no filter: activity_total; one or two: their rows of activity_total_by */
  char dim[PREVENTION_KEY_DIM], code[PREVENTION_KEY_CODE];
  int dims = prevention_total_key(f->kind, f->setting, f->campaign, dim, code);
  if (dims > 2) return act_totals_rows(db, f, end, from, to, tot, e);
  /* the whole months [mf, mt] inside [from, to]; "" open */
  char mf[DATE_ISO_LEN] = "", mt[DATE_ISO_LEN] = "", edge[DATE_ISO_LEN];
  if (*from) act_whole_months_edge(from, true, mf);
  if (*to) act_whole_months_edge(to, false, mt);
  if (*mf && *mt && strcmp(mf, mt) > 0) return act_totals_rows(db, f, end, from, to, tot, e);
  char mf7[8], mt7[8];
  snprintf(mf7, sizeof mf7, "%.7s", mf);
  snprintf(mt7, sizeof mt7, "%.7s", mt);
#define ACT_SUMS                                                                                              \
  "SELECT total(t.activities), total(t.participants), total(t.consultations), total(t.leaflets),"            \
  " total(t.banners), total(t.slogans), total(t.boards), total(t.exhibits), total(t.posters),"               \
  " total(t.notices), total(t.broadcasts), total(t.broadcast_minutes), total(t.messages)"
  DbStmt *st = dims == 0
                 ? db_query(db,
                            ACT_SUMS " FROM org_unit o JOIN activity_total t ON t.org_id = o.id"
                                     " WHERE o.path >= :scope AND o.path < :end AND (:mf = '' OR t.month >= :mf)"
                                     " AND (:mt = '' OR t.month <= :mt)",
                            e, DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":mf", mf7),
                            DB_TEXT(":mt", mt7))
                 : db_query(db,
                            ACT_SUMS " FROM org_unit o JOIN activity_total_by t ON t.dim = :dim AND t.code = :code"
                                     " AND t.org_id = o.id"
                                     " WHERE o.path >= :scope AND o.path < :end AND (:mf = '' OR t.month >= :mf)"
                                     " AND (:mt = '' OR t.month <= :mt)",
                            e, DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":mf", mf7),
                            DB_TEXT(":mt", mt7), DB_TEXT(":dim", dim), DB_TEXT(":code", code));
#undef ACT_SUMS
  if (db_row_cols(st, act_total_cols, tot, NULL, e) != ERR_OK) return e->code;
  /* the cut days before mf and after mt */
  if (*from && strcmp(from, mf) < 0) {
    Day d;
    date_parse(mf, &d);
    date_format(d - 1, edge);
    if (act_totals_rows(db, f, end, from, edge, tot, e) != ERR_OK) return e->code;
  }
  if (*to && strcmp(mt, to) < 0) {
    Day d;
    date_parse(mt, &d);
    date_format(d + 1, edge);
    if (act_totals_rows(db, f, end, edge, to, tot, e) != ERR_OK) return e->code;
  }
  return ERR_OK;
}

int store_activity_list(Db *db, const ActivityFilter *f, ActivityRow **out, int *n, ActivityTotals *tot, Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  if (act_totals(db, f, end, tot, e) != ERR_OK) return e->code;
  if (tot->activities == 0) return ERR_OK;
  /* the page's rows from the covering index first, then their columns */
#define ACT_PAGE(where, order)                                                                                \
  "SELECT " ACT_COLS " WHERE a.id IN (SELECT a.id FROM activity a JOIN org_unit o ON o.id = a.org_id" where   \
  " ORDER BY " order " LIMIT :lim OFFSET :off) ORDER BY " order
  bool days = f->from && *f->from && f->to && *f->to;
  const char *sql = f->oldest_first ? (days ? ACT_PAGE(ACT_WHERE_DAYS, "a.date, a.activity_id")
                                            : ACT_PAGE(ACT_WHERE, "a.date, a.activity_id"))
                                    : (days ? ACT_PAGE(ACT_WHERE_DAYS, "a.date DESC, a.activity_id DESC")
                                            : ACT_PAGE(ACT_WHERE, "a.date DESC, a.activity_id DESC"));
#undef ACT_PAGE
  DbStmt *st = act_query(db, sql, f, end, e);
  db_bind_int(st, ":lim", f->limit);
  db_bind_int(st, ":off", f->offset);
  if (f->each) { /* each row with its places, one at a time */
    DbEachMore m;
    return db_rows_each(st, sizeof **out, act_cols, db_each_more(&m, db, act_places_more, act_places_drop, f->each), out,
                        n, e);
  }
  if (db_rows_cols(st, sizeof **out, act_cols, out, n, e) != ERR_OK) return e->code;
  return act_places_fill(db, *out, *n, e);
}

#define C(m) DB_COL(ActivityFact, m)
static const DbCol act_fact_cols[] = {
  C(org_id), C(date), C(kind), C(settings), C(participants), C(consultations), C(materials[0]), C(materials[1]),
  C(materials[2]), C(materials[3]), C(materials[4]), C(materials[5]), C(materials[6]), C(materials[7]),
  C(materials[8]), C(materials[9]), DB_COL_END,
};
#undef C

int store_activity_facts(Db *db, const char *scope, const char *from, const char *to, const DbEach *each, Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(scope, end, sizeof end);
  ActivityFact *none = NULL;
  int n = 0;
  DbStmt *st = db_query(db,
                        "SELECT a.org_id, a.date, a.kind, a.settings, a.participants, a.consultations, " ACT_MATERIAL_COLS
                        " FROM org_unit o JOIN activity a ON a.org_id = o.id AND a.current = 1"
                        " WHERE o.path >= :scope AND o.path < :end AND a.date >= :from AND a.date <= :to",
                        e, DB_TEXT(":scope", scope), DB_TEXT(":end", end), DB_TEXT(":from", from), DB_TEXT(":to", to));
  return db_rows_each(st, sizeof *none, act_fact_cols, each, &none, &n, e);
}

/* ---- surveys -------------------------------------------------------------------- */

/* Inserts version v of survey record id. */
static int sv_insert(Db *db, int64_t id, int64_t v, const SurveyIn *in, int64_t user_id, const char *now, Err *e) {
  return db_insert(db, "survey", NULL, e, DB_INT(":survey_id", id), DB_INT(":version", v),
                   DB_INT(":org_id", in->org_id), DB_TEXT(":date", in->date), DB_TEXT(":grp", in->group),
                   DB_TEXT(":method", in->method), DB_TEXT(":title", in->title ? in->title : ""),
                   DB_INT(":respondents", in->respondents), DB_INT(":aware", in->aware), DB_INT(":target", in->target),
                   DB_TEXT(":notes", in->notes ? in->notes : ""), DB_TEXT(":reason", in->reason ? in->reason : ""),
                   DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now));
}

int store_survey_add(Db *db, const SurveyIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  if (pv_next_record(db, "SELECT max(survey_id) FROM survey", id, e) != ERR_OK) return e->code;
  return sv_insert(db, *id, 1, in, user_id, now, e);
}

int store_survey_insert_first(Db *db, int64_t id, const SurveyIn *in, const char *now, Err *e) {
  return sv_insert(db, id, 1, in, 0, now, e);
}

int store_prevention_max_ids(Db *db, int64_t *activity, int64_t *survey, Err *e) {
  if (db_scalar(db_prepare(db, "SELECT max(activity_id) FROM activity", e), activity, e) != ERR_OK) return e->code;
  return db_scalar(db_prepare(db, "SELECT max(survey_id) FROM survey", e), survey, e);
}

int store_survey_correct(Db *db, int64_t id, const SurveyIn *in, int64_t user_id, const char *now, Err *e) {
  int64_t v;
  if (pv_supersede(db, "UPDATE survey SET current = 0 WHERE survey_id = :id AND current = 1 RETURNING version", id, &v,
                   e) != ERR_OK)
    return e->code;
  return sv_insert(db, id, v + 1, in, user_id, now, e);
}

#define SV_COLS                                                                                               \
  "s.survey_id, s.id, s.version, s.org_id, o.code, o.name, o.path, s.date, s.grp, s.method, s.title, s.notes," \
  " s.reason, s.respondents, s.aware, s.target, " STORE_USER_SHOWN ","                                        \
  " s.created_at FROM survey s JOIN org_unit o ON o.id = s.org_id LEFT JOIN app_user u ON u.id = s.created_by"

#define C(m) DB_COL(SurveyRow, m)
static const DbCol sv_cols[] = {
  C(id), C(version_id), C(version), C(org_id), C(org_code), C(org_name), C(org_path), C(date), C(group), C(method),
  C(title), C(notes), C(reason), C(respondents), C(aware), C(target), C(created_by), C(created_at), DB_COL_END,
};
#undef C

int store_survey_get(Db *db, int64_t id, SurveyRow *out, Err *e) {
  return db_get_cols(db, "SELECT " SV_COLS " WHERE s.survey_id = :id AND s.current = 1", id, sv_cols, out,
                     sizeof *out, e);
}

int store_survey_history(Db *db, int64_t id, SurveyRow **out, int *n, Err *e) {
  return db_rows_cols(db_query(db, "SELECT " SV_COLS " WHERE s.survey_id = :id ORDER BY s.version DESC", e,
                               DB_INT(":id", id)),
                      sizeof **out, sv_cols, out, n, e);
}

void store_survey_row_drop(SurveyRow *row) { db_cols_drop(row, sv_cols); }
void store_survey_rows_free(SurveyRow *rows, int n) { db_rows_free_cols(rows, n, sizeof *rows, sv_cols); }

#define SV_WHERE                                                                                              \
  " WHERE s.current = 1 AND o.path >= :scope AND o.path < :end AND (:from = '' OR s.date >= :from)"           \
  " AND (:to = '' OR s.date <= :to) AND (:grp = '' OR s.grp = :grp) AND (:method = '' OR s.method = :method)"

static DbStmt *sv_query(Db *db, const char *sql, const SurveyFilter *f, const char *end, Err *e) {
  return db_query(db, sql, e, DB_TEXT(":scope", f->scope), DB_TEXT(":end", end),
                  DB_TEXT(":from", f->from ? f->from : ""), DB_TEXT(":to", f->to ? f->to : ""),
                  DB_TEXT(":grp", f->group ? f->group : ""), DB_TEXT(":method", f->method ? f->method : ""));
}

static const DbCol sv_total_cols[] = {
  DB_COL(SurveyTotals, surveys), DB_COL(SurveyTotals, respondents), DB_COL(SurveyTotals, aware),
  DB_COL(SurveyTotals, met), DB_COL_END,
};

int store_survey_list(Db *db, const SurveyFilter *f, SurveyRow **out, int *n, SurveyTotals *tot, Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  DbStmt *st = sv_query(db,
                        "SELECT count(*), total(s.respondents), total(s.aware),"
                        " total(s.aware * 100 >= s.target * s.respondents)"
                        " FROM survey s JOIN org_unit o ON o.id = s.org_id" SV_WHERE,
                        f, end, e);
  if (db_row_cols(st, sv_total_cols, tot, NULL, e) != ERR_OK) return e->code;
  if (tot->surveys == 0) return ERR_OK;
  st = sv_query(db,
                "SELECT " SV_COLS " WHERE s.id IN (SELECT s.id FROM survey s JOIN org_unit o ON o.id = s.org_id" SV_WHERE
                " ORDER BY s.date DESC, s.survey_id DESC LIMIT :lim OFFSET :off) ORDER BY s.date DESC, s.survey_id DESC",
                f, end, e);
  db_bind_int(st, ":lim", f->limit);
  db_bind_int(st, ":off", f->offset);
  return db_rows_each(st, sizeof **out, sv_cols, f->each, out, n, e);
}

static const DbCol sv_fact_cols[] = {
  DB_COL(SurveyFact, org_id), DB_COL(SurveyFact, date), DB_COL(SurveyFact, group), DB_COL(SurveyFact, respondents),
  DB_COL(SurveyFact, aware), DB_COL(SurveyFact, target), DB_COL_END,
};

int store_survey_facts(Db *db, const char *scope, const char *from, const char *to, const DbEach *each, Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(scope, end, sizeof end);
  SurveyFact *none = NULL;
  int n = 0;
  DbStmt *st = db_query(db,
                        "SELECT s.org_id, s.date, s.grp, s.respondents, s.aware, s.target"
                        " FROM org_unit o JOIN survey s ON s.org_id = o.id AND s.current = 1"
                        " WHERE o.path >= :scope AND o.path < :end AND s.date >= :from AND s.date <= :to",
                        e, DB_TEXT(":scope", scope), DB_TEXT(":end", end), DB_TEXT(":from", from), DB_TEXT(":to", to));
  return db_rows_each(st, sizeof *none, sv_fact_cols, each, &none, &n, e);
}

/* ---- awareness targets ---------------------------------------------------------- */

static const DbCol at_cols[] = {
  DB_COL(AwarenessTargetRow, org_id), DB_COL(AwarenessTargetRow, org_code), DB_COL(AwarenessTargetRow, org_name),
  DB_COL(AwarenessTargetRow, org_path), DB_COL(AwarenessTargetRow, group), DB_COL(AwarenessTargetRow, target),
  DB_COL(AwarenessTargetRow, set_by), DB_COL(AwarenessTargetRow, set_at), DB_COL_END,
};

int store_awareness_targets(Db *db, AwarenessTargetRow **out, int *n, Err *e) {
  return db_rows_cols(db_prepare(db,
                                 "SELECT t.org_id, o.code, o.name, o.path, t.grp, t.target,"
                                 " " STORE_USER_SHOWN ", t.set_at"
                                 " FROM awareness_target t JOIN org_unit o ON o.id = t.org_id"
                                 " LEFT JOIN app_user u ON u.id = t.set_by ORDER BY o.path, t.grp",
                                 e),
                      sizeof **out, at_cols, out, n, e);
}

int store_awareness_target_set(Db *db, int64_t org_id, const char *group, int target, int64_t user_id,
                               const char *now, bool *created, Err *e) {
  bool had;
  if (db_exists(db_query(db, "SELECT 1 FROM awareness_target WHERE org_id = :o AND grp = :g", e, DB_INT(":o", org_id),
                         DB_TEXT(":g", group)),
                &had, e) != ERR_OK)
    return e->code;
  *created = !had;
  return db_run(db_query(db,
                         "INSERT INTO awareness_target (org_id, grp, target, set_by, set_at) VALUES (:o, :g, :t, :u, :now)"
                         " ON CONFLICT (org_id, grp) DO UPDATE SET target = :t, set_by = :u, set_at = :now",
                         e, DB_INT(":o", org_id), DB_TEXT(":g", group), DB_INT(":t", target),
                         DB_ID_OR_NULL(":u", user_id), DB_TEXT(":now", now)),
                e);
}

int store_awareness_target_clear(Db *db, int64_t org_id, const char *group, Err *e) {
  int64_t k = 0;
  if (db_count(db_query(db, "DELETE FROM awareness_target WHERE org_id = :o AND grp = :g RETURNING org_id", e,
                        DB_INT(":o", org_id), DB_TEXT(":g", group)),
               &k, e) != ERR_OK)
    return e->code;
  return k ? ERR_OK : err_set(e, ERR_NOT_FOUND, "该单位没有单独设置目标");
}

/* ---- the overview --------------------------------------------------------------- */

static const DbCol pc_cols[] = {
  DB_COL(PreventionUnitCount, org_id), DB_COL(PreventionUnitCount, activities), DB_COL(PreventionUnitCount, surveys),
  DB_COL_END,
};

int store_prevention_counts(Db *db, const char *scope, const char *from, const char *to, PreventionUnitCount **out,
                            int *n, Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(scope, end, sizeof end);
  DbStmt *st = db_query(db,
                        "SELECT o.id,"
                        " (SELECT count(*) FROM activity a WHERE a.org_id = o.id AND a.current = 1"
                        "  AND a.date >= :from AND a.date <= :to),"
                        " (SELECT count(*) FROM survey s WHERE s.org_id = o.id AND s.current = 1"
                        "  AND s.date >= :from AND s.date <= :to)"
                        " FROM org_unit o WHERE o.path >= :scope AND o.path < :end ORDER BY o.id",
                        e, DB_TEXT(":scope", scope), DB_TEXT(":end", end), DB_TEXT(":from", from), DB_TEXT(":to", to));
  return db_rows_cols(st, sizeof **out, pc_cols, out, n, e);
}
