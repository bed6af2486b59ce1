/*
 * fuzz_fixtures.c - a --fixtures file with arbitrary content: loaded through
 * the same fixtures_load a real start-up uses (from a memfd, so the path
 * code runs too), then applied to a fresh store, reset and seeded again,
 * as start-up and POST /__mock/reset do.
 */
#define _GNU_SOURCE
#include "state/fixtures.h"
#include "state/ids.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    ids_init(true, 1);
    fd = memfd_create("fixtures", 0);
    if (fd < 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char path[64], err[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct fixtures fx;
    err[0] = '\0';
    if (!fixtures_load(&fx, path, err, sizeof err)) {
        if (!err[0])
            abort();
        return 0;
    }
    struct store *s = store_new();
    if (!s)
        abort();
    if (fixtures_apply(&fx, s, err, sizeof err)) {
        size_t n = store_tenant_count(s);
        for (size_t i = 0; i < n; i++) {
            store_tenant_clear(s, (int)i);
            if (!fixtures_seed_tenant(&fx, s, (int)i, err, sizeof err))
                abort(); /* what seeded once must seed again */
        }
        struct merchant m;
        fixtures_template_merchant(&fx, "fuzz-key", "fuzz-secret", &m);
    }
    store_free(s);
    fixtures_fini(&fx);
    return 0;
}
