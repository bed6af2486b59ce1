/*
 * auth.h - access tokens (reference §1.4, §2): issuing with the real
 * lifetime and reuse rules on the virtual clock, constant-time secret
 * comparison, resolving a token to its tenant. No HTTP here: server.c finds
 * the token in the request.
 */
#ifndef IMPMOCK_AUTH_H
#define IMPMOCK_AUTH_H

#include "app.h"
#include "errors.h"

#include <stdint.h>

/* ret_token holds 41 bytes. MOCK_BAD_CREDENTIALS for an unknown key or wrong secret
 * (with --open-tenants an unknown key creates a tenant). */
enum mock_err auth_get_token(struct app *app, const char *imp_key, const char *imp_secret,
                             char *ret_token, int64_t *ret_now, int64_t *ret_expires_at);
/* MOCK_UNAUTHORIZED unless token is current. */
enum mock_err auth_resolve(struct app *app, const char *token, int *ret_tid);
/* Constant-time equality of two NUL-terminated secrets. */
int auth_secret_equal(const char *a, const char *b);

#endif
