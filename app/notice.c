/* app/notice.c: owns the notice use cases of app/notice.h (list, mark
 * read) and the names of the notice kinds. */
#include "app/notice.h"
#include <stdlib.h>
#include <string.h>

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"

const char *notice_kind_name_zh(const char *kind) {
  if (!kind) return "";
  if (strcmp(kind, "approval_decided") == 0) return "您提请的审批已处理";
  if (strcmp(kind, "moved_in") == 0) return "人员已变更执行地，转入本社区";
  if (strcmp(kind, "moved_out") == 0) return "人员已变更执行地，转出本社区";
  if (strcmp(kind, "assigned") == 0) return "您被指定为责任社工";
  return "";
}

int app_notice_list(Ctx *c, bool unread_only, int limit, Notice **items, int *n, int64_t *unread, Err *e) {
  *items = NULL;
  *n = 0;
  *unread = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (c->actor->user_id <= 0) return ERR_OK;
  if (limit < 1) limit = 1;
  if (limit > 200) limit = 200;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_notice_list(c->db, c->actor->user_id, unread_only, limit, items, n, unread, e);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    free(*items);
    *items = NULL;
    *n = 0;
  }
  return rc;
}

int app_notice_read(Ctx *c, int64_t id, int64_t *changed, Err *e) {
  if (changed) *changed = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN) || c->actor->user_id <= 0) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (id < 0) return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  int64_t k = 0;
  if (store_notice_read(c->db, c->actor->user_id, id, c->now_iso, &k, e) != ERR_OK) return app_fail(c, e);
  if (id > 0 && k == 0) {
    err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
    return app_fail(c, e);
  }
  /* marking one's own notices read changes no record of the work: no audit row */
  if (app_commit(c, NULL, e) != ERR_OK) return e->code;
  if (changed) *changed = k;
  return ERR_OK;
}
