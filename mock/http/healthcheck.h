/*
 * healthcheck.h - `impmock --healthcheck [URL]`: one GET of a running
 * impmock's /__mock/health, for a container's HEALTHCHECK (the image has no
 * curl binary). It starts no server and touches no state.
 */
#ifndef IMPMOCK_HEALTHCHECK_H
#define IMPMOCK_HEALTHCHECK_H

/* Longest wait for the whole probe, connect included (ms). */
#define HEALTHCHECK_TIMEOUT_MS 3000

/* Probes url, or when NULL http://127.0.0.1:PORT/__mock/health with PORT
 * from the environment variable IMPMOCK_PORT (default 8080). Returns the
 * process exit status: 0 when the answer is HTTP 200 within
 * HEALTHCHECK_TIMEOUT_MS, 1 when it is not (the reason on stderr), 2 when
 * IMPMOCK_PORT or url is unusable. Calls curl_global_init itself: run it
 * before any thread starts, instead of the server. */
int healthcheck_run(const char *url);

#endif
