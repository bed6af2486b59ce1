/* fixtures_live.c - the fixtures in force and their rereading at a reset;
 * see fixtures_seed.h and fixtures.h.
 * Request handlers and the schedule runner read the set in force without a
 * lock, so a set is never changed or freed while the program runs: a reset
 * that finds the files changed loads a whole new set, checks it, and
 * swaps the pointer; the old set stays valid (a request under way may
 * still be charging with its test cards) until fixtures_live_free. A set is
 * made only when a file changed, so resets alone never grow memory. */
#include "state/fixtures.h"
#include "state/fixtures_read.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fixtures_set {
    struct fixtures fx;         /* first: a set is found from its fixtures */
    char *signature;            /* what the files looked like when it was read */
    struct fixtures_set *older; /* replaced sets, kept until fixtures_live_free */
};

struct fixtures_live {
    _Atomic(struct fixtures_set *) now;
    const char *path;   /* --fixtures FILE|DIR; NULL: the embedded ones */
    pthread_mutex_t mu; /* one change of `now` at a time */
};

/* Appends "name size mtime ctime inode\n" of one file to *sig. */
static bool sign_file(const char *path, char **sig, size_t *len)
{
    struct stat st;
    char line[4200];
    int n;
    if (stat(path, &st) != 0)
        n = snprintf(line, sizeof line, "%s missing\n", path);
    else
        n = snprintf(line, sizeof line, "%s %lld %lld.%09ld %lld.%09ld %llu\n", path,
                     (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                     (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                     (unsigned long long)st.st_ino);
    if (n < 0)
        return false;
    char *grown = realloc(*sig, *len + (size_t)n + 1);
    if (!grown)
        return false;
    memcpy(grown + *len, line, (size_t)n + 1);
    *sig = grown;
    *len += (size_t)n;
    return true;
}

/* What the fixture files look like now: each file's name, size, times and
 * inode (an editor that saves changes one of them), a directory's *.json
 * in readdir order with the directory itself. NULL when out of memory. */
static char *signature_of(const char *path)
{
    char *sig = NULL;
    size_t len = 0;
    bool ok = sign_file(path, &sig, &len);
    DIR *d = ok ? opendir(path) : NULL;
    struct dirent *e;
    while (ok && d && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        ok = sign_file(full, &sig, &len);
    }
    if (d)
        closedir(d);
    if (!ok) {
        free(sig);
        return NULL;
    }
    return sig;
}

static void set_free(struct fixtures_set *set)
{
    if (!set)
        return;
    fixtures_fini(&set->fx);
    free(set->signature);
    free(set);
}

struct fixtures_live *fixtures_live_open(const char *path, char *err, size_t errlen)
{
    struct fixtures_live *l = calloc(1, sizeof *l);
    struct fixtures_set *set = calloc(1, sizeof *set);
    /* the signature before the read: a file changed meanwhile is read again */
    if (set && path)
        set->signature = signature_of(path);
    if (!l || !set || (path && !set->signature)) {
        free(l);
        set_free(set);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!fixtures_load(&set->fx, path, err, errlen)) {
        free(set->signature);
        free(set);
        free(l);
        return NULL;
    }
    l->path = path;
    pthread_mutex_init(&l->mu, NULL);
    atomic_init(&l->now, set);
    return l;
}

void fixtures_live_free(struct fixtures_live *l)
{
    if (!l)
        return;
    struct fixtures_set *set = atomic_load(&l->now);
    while (set) {
        struct fixtures_set *older = set->older;
        set_free(set);
        set = older;
    }
    pthread_mutex_destroy(&l->mu);
    free(l);
}

struct fixtures *fixtures_live_current(struct fixtures_live *l)
{
    return &atomic_load_explicit(&l->now, memory_order_acquire)->fx;
}

const struct fixtures *fixtures_now(struct fixtures_live *l)
{
    /* a set is published whole: acquire pairs with the release in
     * fixtures_install */
    return &atomic_load_explicit(&l->now, memory_order_acquire)->fx;
}

const struct card_table *fixtures_cards(const struct fixtures *fx)
{
    return &fx->cards;
}

/* Loads path into a new set and seeds every merchant of it into a scratch
 * store, so a bad record anywhere is found before anything is reset. */
static struct fixtures_set *load_checked(const char *path, char *signature, char *err,
                                         size_t errlen)
{
    struct fixtures_set *set = calloc(1, sizeof *set);
    if (!set) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!fixtures_load(&set->fx, path, err, errlen)) {
        free(set);
        return NULL;
    }
    set->signature = signature;
    struct store *scratch = store_new();
    bool ok = scratch && fixtures_apply(&set->fx, scratch, err, errlen);
    if (!scratch)
        snprintf(err, errlen, "out of memory");
    store_free(scratch);
    if (!ok) {
        set->signature = NULL; /* the caller's still */
        set_free(set);
        return NULL;
    }
    return set;
}

struct fixtures *fixtures_reread(struct fixtures_live *l, char *err, size_t errlen)
{
    if (!l->path) {
        err[0] = '\0';
        return NULL; /* the embedded fixtures never change */
    }
    char *sig = signature_of(l->path);
    if (!sig) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_lock(&l->mu);
    bool same = strcmp(sig, atomic_load(&l->now)->signature) == 0;
    pthread_mutex_unlock(&l->mu);
    err[0] = '\0';
    struct fixtures_set *set = same ? NULL : load_checked(l->path, sig, err, errlen);
    if (!set)
        free(sig);
    return set ? &set->fx : NULL;
}

void fixtures_install(struct fixtures_live *l, struct fixtures *fx)
{
    struct fixtures_set *set = (struct fixtures_set *)fx; /* fx is its first member */
    fixtures_release_seeds(&set->fx);
    pthread_mutex_lock(&l->mu);
    set->older = atomic_load(&l->now);
    atomic_store_explicit(&l->now, set, memory_order_release);
    pthread_mutex_unlock(&l->mu);
}

void fixtures_discard(struct fixtures *fx)
{
    set_free((struct fixtures_set *)fx);
}
