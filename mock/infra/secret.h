/*
 * secret.h - comparing secrets (imp_secret, the admin token) in constant
 * time, so neither their content nor their length shows in how long a
 * refusal takes.
 * Thread-safety: pure functions (libsodium is initialised before threads start).
 */
#ifndef IMPMOCK_SECRET_H
#define IMPMOCK_SECRET_H

#include <stdbool.h>

/* Equality of two NUL-terminated secrets. */
bool secret_equal(const char *a, const char *b);

#endif
