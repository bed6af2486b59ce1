/* common.c - see common.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void scratch_dir_new(char ret_dir[SCRATCH_DIR_MAX])
{
    snprintf(ret_dir, SCRATCH_DIR_MAX, "/tmp/impmock-test-XXXXXX");
    if (!mkdtemp(ret_dir))
        fail_msg("mkdtemp: %s", strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

bool scratch_dir_remove(const char *dir)
{
    /* depth first, never following links out of the directory */
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        return false;
    return access(dir, F_OK) != 0;
}

char *file_read(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    for (int i = 0; i < 4096; i++) { /* 16 KiB at a time: at most 64 MiB */
        char *nb = realloc(buf, len + 16384 + 1);
        if (!nb) {
            free(buf);
            fclose(f);
            fail_msg("%s: out of memory", path);
        }
        buf = nb;
        size_t got = fread(buf + len, 1, 16384, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    if (ret_len)
        *ret_len = len;
    return buf;
}

void file_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("%s: cannot create: %s", path, strerror(errno));
    size_t n = strlen(text);
    bool ok = fwrite(text, 1, n, f) == n;
    if (fclose(f) != 0 || !ok)
        fail_msg("%s: cannot write", path);
}

void file_assert_bytes(const char *path, const void *want, size_t len)
{
    size_t got_len = 0;
    char *got = file_read(path, &got_len);
    if (!got)
        fail_msg("%s: cannot be read", path);
    size_t at = 0; /* the first byte that differs */
    while (at < got_len && at < len && got[at] == ((const char *)want)[at])
        at++;
    free(got);
    if (got_len != len || at < len)
        fail_msg("%s: %zu bytes where %zu were expected, differing from byte %zu", path, got_len,
                 len, at);
}

uint32_t crc32_ieee(const char *s, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

const char *json_str(const cJSON *o, const char *name)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(c) ? c->valuestring : NULL;
}

double json_num(const cJSON *o, const char *name)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(c) ? c->valuedouble : -1;
}

bool json_is_null(const cJSON *o, const char *name)
{
    return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

bool json_is_true(const cJSON *o, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}
