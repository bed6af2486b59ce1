/*
 * auth.h - access tokens (reference §1.4, §2): issuing with the real
 * lifetime and reuse rules on the virtual clock, resolving a token to its
 * tenant. No HTTP here: the server finds the token in the request.
 */
#ifndef IMPMOCK_AUTH_H
#define IMPMOCK_AUTH_H

#include "base/errors.h"
#include "base/model.h"
#include "state/store.h"

#include <stdint.h>

/* ret_token holds 41 bytes. MOCK_BAD_CREDENTIALS for an unknown key or a
 * wrong secret; with open_template (--open-tenants) an unknown key pair
 * becomes a fresh tenant with the template's channels and settings, up to
 * max_open of them at once (store_tenant_add_open: idle empty ones make
 * room, else MOCK_TENANT_LIMIT). */
enum mock_err auth_get_token(struct store *s, const struct merchant *open_template, size_t max_open,
                             const char *imp_key, const char *imp_secret, char *ret_token,
                             int64_t *ret_now, int64_t *ret_expires_at);
/* MOCK_UNAUTHORIZED unless token is current. */
enum mock_err auth_resolve(struct store *s, const char *token, int *ret_tid);

#endif
