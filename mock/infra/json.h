/*
 * json.h - parsing JSON a client or a file sent, strictly: valid UTF-8, no
 * nesting beyond JSON_MAX_DEPTH (cJSON recurses once per level and request
 * threads have small stacks), no key repeated in one object, no \u0000 in
 * strings, nothing after the value. Use it, never plain cJSON_Parse, on text
 * from outside. Also the small building helpers shared by every renderer.
 * Thread-safety: pure functions.
 */
#ifndef IMPMOCK_JSON_H
#define IMPMOCK_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 64

/* A top-level object: owned; NULL with a Korean message in err (errlen bytes). */
cJSON *json_parse_object(const char *s, size_t len, char *err, size_t errlen);
/* Any JSON value with the same checks: owned; NULL when s is not one. */
cJSON *json_parse_value(const char *s, size_t len);
/* Adds s as a string, or null when s is NULL; false on OOM (o keeps what it had). */
bool json_add_str(cJSON *o, const char *name, const char *s);

#endif
