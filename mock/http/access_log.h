/*
 * access_log.h - one line on stdout per answered request: remote address,
 * method, path, status, body bytes and time taken, as text or as a JSON
 * object per line (--log-json).
 */
#ifndef IMPMOCK_ACCESS_LOG_H
#define IMPMOCK_ACCESS_LOG_H

#include "http/api.h"

#include <stdbool.h>

void access_log_write(const struct req *r, double ms, bool json);

#endif
