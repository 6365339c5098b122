/* app/user.h: the account use cases of administrators: add an account,
 * list and look up the accounts of the scope, enable/disable one, reset its
 * password. All need PERM_USER_ADMIN; an account whose unit lies outside the
 * actor's scope is ERR_NOT_FOUND; an office may not create or manage admin
 * accounts. Writes run in one transaction and are audited (entity "user",
 * org_path of the account's unit). Rows returned never carry the password
 * hash (password_hash is ""). Signing in and a user's own password change
 * are in app/auth.h. */
#ifndef JINDU_APP_USER_H
#define JINDU_APP_USER_H
#include <stdbool.h>
#include "app/app.h"
#include "store/user.h"

/* Adds an account. username: 3-32 of [a-z0-9_.-], unique (else
 * ERR_CONFLICT "用户名已存在"); display_name: up to 60 bytes of text (empty:
 * the username); role: a role code that fits the unit's level (admin ->
 * county, office -> street, worker/cadre/police -> community, viewer ->
 * any); org_code: a unit in scope; password: the rules of
 * auth_password_validate (field "password"). *out (may be NULL) gets the
 * new account. */
int app_user_add(Ctx *c, const char *username, const char *display_name, const char *role_code, const char *org_code,
                 const char *password, UserRow *out, Err *e);
/* Lists the accounts of the actor's scope (ordered by unit path, then
 * username). *out is malloc'd; the caller frees it with free() (NULL when
 * *n is 0). */
int app_user_list(Ctx *c, UserRow **out, int *n, Err *e);
/* Loads the account username into *out; ERR_NOT_FOUND when there is none or
 * it lies outside the scope. */
int app_user_get(Ctx *c, const char *username, UserRow *out, Err *e);
/* Enables or disables account username (not one's own). Disabling also ends
 * every session of the account. */
int app_user_set_active(Ctx *c, const char *username, bool active, Err *e);
/* Sets a new password for account username (field "password"), as an
 * administrator does when a user forgot theirs; ends every session of the
 * account. */
int app_user_reset_password(Ctx *c, const char *username, const char *password, Err *e);

/* true when actor a may create accounts of role r: any role for a
 * district/county office (admin), every role but admin for the others. The
 * account form offers these roles only; app_user_add refuses the rest. */
bool app_user_role_creatable(const Actor *a, Role r);
/* Fills *a as the actor of account u acting from address (sign-in, the
 * sessions, the demo's workers). */
void app_user_actor(const UserRow *u, const char *address, Actor *a);

/* true when username is 3-32 of [a-z0-9_.-]. */
bool app_user_name_ok(const char *username);

#endif
