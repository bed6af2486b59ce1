/*
 * harness.h - drives a real impmock over HTTP for integration tests: starts
 * the binary (IMPMOCK_BIN) on 127.0.0.1 port 0 with --port-file, sends
 * requests with libcurl and parses the JSON answers with cJSON. Each test
 * process owns its servers; every wait is bounded. The helpers that are
 * not about HTTP (scratch directories, files, JSON fields, sleeps) are in
 * tests/common/common.h, included here.
 */
#ifndef IMPMOCK_HARNESS_H
#define IMPMOCK_HARNESS_H

#include "common.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TEST_IMP_KEY "imp_apikey"
#define TEST_IMP_SECRET                                                                            \
    "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"

struct mock {
    pid_t pid;
    int port;
    char base[64];             /* "http://127.0.0.1:PORT" */
    char token[64];            /* filled by mock_login */
    char dir[SCRATCH_DIR_MAX]; /* temp dir for port file, logs and fixtures */
};

struct http_res {
    long status;
    char *body; /* NUL-terminated */
    size_t len;
    cJSON *json; /* parsed body or NULL */
    char headers[4096];
};

/* A growing NUL-terminated buffer for libcurl; http_buf_write is its
 * CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION (ud: the struct http_buf).
 * Free data when done. */
struct http_buf {
    char *data;
    size_t len;
};
size_t http_buf_write(char *ptr, size_t size, size_t nmemb, void *ud);

/* Starts impmock with extra args (NULL-terminated list, may be NULL) and
 * --quiet, its stdout and stderr in m->dir/log; aborts the test on failure. */
void mock_start(struct mock *m, const char *const *extra_args);
/* As mock_start, with --fixtures: fixtures_json written to a file in m->dir. */
void mock_start_fixtures(struct mock *m, const char *fixtures_json, const char *const *extra_args);
/* As mock_start with the access log on (no --quiet). */
void mock_start_logged(struct mock *m, const char *const *extra_args);
/* SIGTERM, wait (bounded), SIGKILL if needed. Returns the exit status (or -1). */
int mock_stop(struct mock *m);
/* getToken with the default test key pair; stores the token in m->token. */
void mock_login(struct mock *m);
/* getToken with KEY and SECRET; stores the token in ret_token. */
void mock_login_as(const struct mock *m, const char *key, const char *secret, char ret_token[64]);

/* Sends METHOD PATH with optional body and content type; token (may be NULL)
 * as Authorization; to /__mock/ paths with the header X-Impmock: 1. */
void http_do(const struct mock *m, const char *method, const char *path, const char *ctype,
             const char *body, const char *token, struct http_res *res);
/* As http_do, but a failed transfer (server gone, connection reset) gives
 * status 0 instead of ending the test. */
void http_do_soft(const struct mock *m, const char *method, const char *path, const char *ctype,
                  const char *body, const char *token, struct http_res *res);
/* Loads a scenario (POST /__mock/scenarios); fails the test unless it was taken. */
void mock_load_scenario(const struct mock *m, const char *json);
/* Shorthands using m->token and JSON bodies. */
void http_get(const struct mock *m, const char *path, struct http_res *res);
void http_post_json(const struct mock *m, const char *path, const char *json, struct http_res *res);
void http_res_free(struct http_res *res);
/* GET /__mock/export: the whole state as text (owned, free()); fails the
 * test unless it answered 200. */
char *mock_export(const struct mock *m);

/* Field access on the parsed envelope. */
int env_code(const struct http_res *res);
const char *env_message(const struct http_res *res);
cJSON *env_response(const struct http_res *res);
/* Checks of a whole envelope; each fails the test (showing the body) otherwise.
 * env_ok: HTTP 200, code 0, message null; returns the response (not NULL).
 * env_refused: HTTP http, code, message (unless NULL), response null. */
cJSON *env_ok(const struct http_res *res);
void env_refused(const struct http_res *res, long http, int code, const char *message);
/* env_is: HTTP status, exactly the three envelope fields, code; with a
 * message (a refusal), that message and response null; without, message
 * null and a response. */
void env_is(const struct http_res *res, long status, int code, const char *message);

#endif
