/*
 * common.h - helpers the unit and the integration tests both use: bounded
 * sleeps and a monotonic clock, scratch directories, whole files, and JSON
 * field access. A helper that cannot do its job fails the running test
 * (cmocka), so callers need no error paths.
 */
#ifndef IMPMOCK_TEST_COMMON_H
#define IMPMOCK_TEST_COMMON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- time ---- */

/* Sleeps ms milliseconds, resuming after a signal. */
void sleep_ms(int ms);
/* CLOCK_MONOTONIC in milliseconds: for deadlines and measured delays. */
double now_ms(void);

/* ---- scratch directories and files ---- */

#define SCRATCH_DIR_MAX 64

/* Creates a fresh private directory "/tmp/impmock-test-XXXXXX" into ret_dir. */
void scratch_dir_new(char ret_dir[SCRATCH_DIR_MAX]);
/* Removes dir and everything below it (no shell); true when it is gone. */
bool scratch_dir_remove(const char *dir);
/* The whole file, NUL-terminated (at most 64 MiB); owned (free()), NULL when
 * it cannot be opened. ret_len may be NULL. */
char *file_read(const char *path, size_t *ret_len);
/* Creates or replaces path with text. */
void file_write(const char *path, const char *text);
/* Fails the test unless path holds exactly the len bytes at want. */
void file_assert_bytes(const char *path, const void *want, size_t len);

/* CRC-32 (IEEE) as the state log frames its records, to forge or check them. */
uint32_t crc32_ieee(const char *s, size_t n);

/* ---- JSON fields (a NULL object passes through) ---- */

/* The string member name of o, NULL when absent or not a string. */
const char *json_str(const cJSON *o, const char *name);
/* The number member name of o, -1 when absent or not a number. */
double json_num(const cJSON *o, const char *name);
/* Whether member name of o is null / true (false when absent). */
bool json_is_null(const cJSON *o, const char *name);
bool json_is_true(const cJSON *o, const char *name);

#endif
