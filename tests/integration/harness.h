/*
 * harness.h - drives a real impmock over HTTP for integration tests: starts
 * the binary (IMPMOCK_BIN) on 127.0.0.1 port 0 with --port-file, sends
 * requests with libcurl and parses the JSON answers with cJSON. Each test
 * process owns its servers; every wait is bounded.
 */
#ifndef IMPMOCK_HARNESS_H
#define IMPMOCK_HARNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TEST_IMP_KEY    "imp_apikey"
#define TEST_IMP_SECRET "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"

struct mock {
    pid_t pid;
    int port;
    char base[64];   /* "http://127.0.0.1:PORT" */
    char token[64];  /* filled by mock_login */
    char dir[64];    /* temp dir for port file and logs */
};

struct http_res {
    long status;
    char *body;     /* NUL-terminated */
    size_t len;
    cJSON *json;    /* parsed body or NULL */
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

/* Starts impmock with extra args (NULL-terminated list, may be NULL); aborts the test on failure. */
void mock_start(struct mock *m, const char *const *extra_args);
/* SIGTERM, wait (bounded), SIGKILL if needed. Returns the exit status (or -1). */
int mock_stop(struct mock *m);
/* getToken with the default test key pair; stores the token in m->token. */
void mock_login(struct mock *m);

/* Sends METHOD PATH with optional body and content type; token (may be NULL)
 * as Authorization; to /__mock/ paths with the header X-Impmock: 1. */
void http_do(const struct mock *m, const char *method, const char *path, const char *ctype,
             const char *body, const char *token, struct http_res *res);
/* As http_do, but a failed transfer (server gone, connection reset) gives
 * status 0 instead of ending the test. */
void http_do_soft(const struct mock *m, const char *method, const char *path, const char *ctype,
                  const char *body, const char *token, struct http_res *res);
/* Shorthands using m->token and JSON bodies. */
void http_get(const struct mock *m, const char *path, struct http_res *res);
void http_post_json(const struct mock *m, const char *path, const char *json, struct http_res *res);
void http_res_free(struct http_res *res);

/* Field access on the parsed envelope. */
int env_code(const struct http_res *res);
const char *env_message(const struct http_res *res);
cJSON *env_response(const struct http_res *res);
const char *json_str(const cJSON *o, const char *name);
double json_num(const cJSON *o, const char *name);

#endif
