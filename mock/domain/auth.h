/*
 * auth.h - access tokens (reference §1.4, §2): issuing with the real
 * lifetime and reuse rules on the virtual clock, resolving a token to its
 * tenant. No HTTP here: the server finds the token in the request.
 */
#ifndef IMPMOCK_AUTH_H
#define IMPMOCK_AUTH_H

#include "base/errors.h"
#include "base/model.h"
#include "state/ids.h"
#include "state/store.h"

#include <stdint.h>

/* What a getToken grants: the token, the clock when granted, when it
 * expires, and the tenant it opens. */
struct auth_grant {
    char token[IDS_TOKEN_LEN + 1];
    int64_t now, expires_at;
    int tid;
};

/* MOCK_BAD_CREDENTIALS for an unknown key or a wrong secret; with
 * open_template (--open-tenants) an unknown key pair becomes a fresh tenant
 * with the template's channels and settings, up to max_open of them at once
 * (store_tenant_add_open: idle empty ones make room, else MOCK_TENANT_LIMIT). */
enum mock_err auth_get_token(struct store *s, const struct merchant *open_template, size_t max_open,
                             const char *imp_key, const char *imp_secret, struct auth_grant *ret);
/* MOCK_UNAUTHORIZED unless token is current. */
enum mock_err auth_resolve(struct store *s, const char *token, int *ret_tid);

#endif
