/* tlscert.c - see tlscert.h. */
#include "infra/tlscert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct tlscert_ca {
    X509 *cert;
    EVP_PKEY *key;
    char *pem; /* cert as PEM text */
};

struct tlscert {
    X509 *cert;
    STACK_OF(X509) * chain; /* certificates after the first; may be empty */
    EVP_PKEY *key;
};

/* err := what + OpenSSL's first queued reason (if any); clears the queue. */
static void ssl_fail(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_get_error();
    char reason[256] = "";
    if (e)
        ERR_error_string_n(e, reason, sizeof reason);
    ERR_clear_error();
    snprintf(err, errlen, "%s%s%s", what, *reason ? ": " : "", reason);
}

bool tlscert_name_ok(const char *s)
{
    unsigned char addr[16];
    if (inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1)
        return true;
    size_t len = strlen(s);
    if (len == 0 || len > TLSCERT_NAME_MAX)
        return false;
    if (strncmp(s, "*.", 2) == 0)
        s += 2;
    size_t label = 0;
    for (const char *p = s;; p++) {
        char ch = *p;
        if (ch == '.' || ch == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return false;
            if (ch == '\0')
                return true;
            label = 0;
            continue;
        }
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (ch != '-' || label == 0))
            return false;
        label++;
    }
}

bool tlscert_ca_dir(const char *ca_dir, const char *state_dir, char *ret_path, size_t len,
                    char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (ca_dir)
        n = snprintf(ret_path, len, "%s", ca_dir);
    else if (state_dir)
        n = snprintf(ret_path, len, "%s/tls", state_dir);
    else if (xdg && xdg[0] == '/') /* the XDG spec ignores a relative path */
        n = snprintf(ret_path, len, "%s/impmock", xdg);
    else if (home && *home)
        n = snprintf(ret_path, len, "%s/.local/share/impmock", home);
    else {
        snprintf(err, errlen,
                 "no place for the local CA: give --tls-ca-dir or --state-dir "
                 "(HOME is not set)");
        return false;
    }
    if (n < 0 || (size_t)n >= len) {
        snprintf(err, errlen, "the CA directory's name is too long");
        return false;
    }
    return true;
}

/* mkdir -p, as the umask allows. */
static bool make_dirs(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "%s: name too long", dir);
        return false;
    }
    for (char *p = path + 1;; p++) {
        bool last = *p == '\0';
        if (*p != '/' && !last)
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
            return false;
        }
        if (last)
            return true;
        *p = '/';
    }
}

/* Writes data to path through a temporary file, so a reader never sees half
 * of it; the file is created with `mode` (0600 for a key) from the start. */
static bool write_file(const char *path, const char *data, size_t len, mode_t mode, char *err,
                       size_t errlen)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    bool ok = fd >= 0 && fchmod(fd, mode) == 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        ok = w > 0 || (w < 0 && errno == EINTR);
        off += w > 0 ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    return ok;
}

static EVP_PKEY *new_key(void)
{
    return EVP_EC_gen("P-256");
}

/* A random positive 127-bit serial number, as RFC 5280 asks for. */
static bool set_serial(X509 *x)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] = (unsigned char)((bytes[0] & 0x7f) | 0x40);
    BIGNUM *bn = BN_bin2bn(bytes, sizeof bytes, NULL);
    bool ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok;
}

/* Adds extension nid = value (OpenSSL's configuration syntax) to x. */
static bool add_ext(X509 *x, const X509 *issuer, int nid, const char *value)
{
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, (X509 *)issuer, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, &v3, nid, value);
    bool ok = ext && X509_add_ext(x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static bool set_subject(X509 *x, const char *common_name)
{
    X509_NAME *name = X509_get_subject_name(x);
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"impmock",
                                      -1, -1, 0) == 1 &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name,
                                      -1, -1, 0) == 1;
}

/* The CA certificate: self-signed, may sign server certificates only. */
static X509 *make_ca_cert(EVP_PKEY *key)
{
    char host[64] = "", day[16] = "", cn[128];
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    struct tm tm;
    strftime(day, sizeof day, "%Y-%m-%d", gmtime_r(&now, &tm));
    snprintf(cn, sizeof cn, "impmock local CA (%s%s%s)", host, *host ? ", " : "", day);
    X509 *x = X509_new();
    bool ok = x && X509_set_version(x, 2) == 1 && set_serial(x) &&
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
              X509_gmtime_adj(X509_getm_notAfter(x), (long)TLSCERT_CA_DAYS * 86400) &&
              X509_set_pubkey(x, key) == 1 && set_subject(x, cn) &&
              X509_set_issuer_name(x, X509_get_subject_name(x)) == 1 &&
              add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
              add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") &&
              add_ext(x, x, NID_subject_key_identifier, "hash") &&
              X509_sign(x, key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/* The PEM text of a key (pkcs8) or a certificate; malloc'd, NUL-terminated. */
static char *to_pem(EVP_PKEY *key, X509 *cert, size_t *ret_len)
{
    BIO *b = BIO_new(BIO_s_mem());
    bool ok = b && (key ? PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL)
                        : PEM_write_bio_X509(b, cert)) == 1;
    char *data = NULL;
    long len = ok ? BIO_get_mem_data(b, &data) : 0;
    char *copy = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (copy) {
        memcpy(copy, data, (size_t)len);
        copy[len] = '\0';
        if (ret_len)
            *ret_len = (size_t)len;
    }
    BIO_free(b);
    return copy;
}

/* Makes a CA and writes it to dir: the key first, so a ca.pem always has
 * its key beside it. */
static bool create_ca(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    EVP_PKEY *key = new_key();
    X509 *cert = key ? make_ca_cert(key) : NULL;
    size_t key_len = 0, cert_len = 0;
    char *key_pem = cert ? to_pem(key, NULL, &key_len) : NULL;
    char *cert_pem = key_pem ? to_pem(NULL, cert, &cert_len) : NULL;
    bool ok = cert_pem != NULL;
    if (!ok)
        ssl_fail(err, errlen, "cannot make the local CA");
    snprintf(path, sizeof path, "%s/ca-key.pem", dir);
    ok = ok && write_file(path, key_pem, key_len, 0600, err, errlen);
    snprintf(path, sizeof path, "%s/ca.pem", dir);
    ok = ok && write_file(path, cert_pem, cert_len, 0644, err, errlen);
    if (key_pem)
        OPENSSL_cleanse(key_pem, key_len);
    free(key_pem);
    free(cert_pem);
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

/* Reads the CA in dir into ca; false with err. */
static bool read_ca(const char *dir, struct tlscert_ca *ca, char *err, size_t errlen)
{
    char cert_path[PATH_MAX], key_path[PATH_MAX];
    snprintf(cert_path, sizeof cert_path, "%s/ca.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/ca-key.pem", dir);
    BIO *b = BIO_new_file(cert_path, "r");
    ca->cert = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    b = ca->cert ? BIO_new_file(key_path, "r") : NULL;
    ca->key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (!ca->cert || !ca->key) {
        ssl_fail(err, errlen, ca->cert ? key_path : cert_path);
        return false;
    }
    if (X509_check_private_key(ca->cert, ca->key) != 1 || X509_check_ca(ca->cert) < 1) {
        ERR_clear_error();
        snprintf(err, errlen, "%s is not a CA certificate with the key in %s", cert_path, key_path);
        return false;
    }
    if (X509_cmp_current_time(X509_get0_notAfter(ca->cert)) <= 0) {
        snprintf(err, errlen,
                 "the local CA in %s has expired: remove ca.pem and ca-key.pem there "
                 "for a new one (and trust that instead)",
                 dir);
        return false;
    }
    ca->pem = to_pem(NULL, ca->cert, NULL);
    if (!ca->pem) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return true;
}

/* Holds ca.lock, waiting up to 5 s for another impmock making a CA. */
static int lock_dir(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/ca.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    for (int i = 0; i < 100; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    snprintf(err, errlen, "%s: still locked by another impmock after 5 s", path);
    close(fd);
    return -1;
}

struct tlscert_ca *tlscert_ca_open(const char *dir, bool *ret_created, char *err, size_t errlen)
{
    if (!make_dirs(dir, err, errlen))
        return NULL;
    int lock = lock_dir(dir, err, errlen);
    if (lock < 0)
        return NULL;
    char cert_path[PATH_MAX], key_path[PATH_MAX];
    snprintf(cert_path, sizeof cert_path, "%s/ca.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/ca-key.pem", dir);
    bool have_cert = access(cert_path, F_OK) == 0, have_key = access(key_path, F_OK) == 0;
    bool created = false, ok = true;
    if (!have_cert && !have_key) {
        ok = create_ca(dir, err, errlen);
        created = ok;
    } else if (!have_cert || !have_key) {
        snprintf(err, errlen, "%s holds %s without %s: restore it, or remove it for a new CA", dir,
                 have_cert ? "ca.pem" : "ca-key.pem", have_cert ? "ca-key.pem" : "ca.pem");
        ok = false;
    }
    close(lock); /* releases the flock */
    struct tlscert_ca *ca = ok ? calloc(1, sizeof *ca) : NULL;
    if (ok && !ca)
        snprintf(err, errlen, "out of memory");
    if (ca && !read_ca(dir, ca, err, errlen)) {
        tlscert_ca_free(ca);
        return NULL;
    }
    if (ca)
        *ret_created = created;
    return ca;
}

const char *tlscert_ca_pem(const struct tlscert_ca *ca)
{
    return ca->pem;
}

void tlscert_ca_free(struct tlscert_ca *ca)
{
    if (!ca)
        return;
    X509_free(ca->cert);
    EVP_PKEY_free(ca->key);
    free(ca->pem);
    free(ca);
}

/* The subjectAltName extension for names[0..n), duplicates dropped. */
static bool add_alt_names(X509 *x, const char *const *names, size_t n)
{
    GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
    bool ok = gens != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcasecmp(names[i], names[j]) == 0;
        if (seen)
            continue;
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(names[i]);
        ERR_clear_error(); /* not an address: a DNS name */
        if (g && ip) {
            GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
            ip = NULL;
        } else if (g) {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            ok = dns && ASN1_STRING_set(dns, names[i], -1) == 1;
            if (ok)
                GENERAL_NAME_set0_value(g, GEN_DNS, dns);
            else
                ASN1_IA5STRING_free(dns);
        }
        ASN1_OCTET_STRING_free(ip);
        ok = ok && g && sk_GENERAL_NAME_push(gens, g) > 0;
        if (!ok)
            GENERAL_NAME_free(g);
    }
    ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
    GENERAL_NAMES_free(gens);
    return ok;
}

/* notAfter: TLSCERT_LEAF_DAYS from now, or the CA's end if sooner. */
static bool set_leaf_validity(X509 *x, const X509 *ca)
{
    if (!X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(x), (long)TLSCERT_LEAF_DAYS * 86400))
        return false;
    if (ASN1_TIME_compare(X509_get0_notAfter(x), X509_get0_notAfter(ca)) > 0)
        return X509_set1_notAfter(x, X509_get0_notAfter(ca)) == 1;
    return true;
}

struct tlscert *tlscert_issue(const struct tlscert_ca *ca, const char *const *names, size_t n,
                              char *err, size_t errlen)
{
    struct tlscert *c = calloc(1, sizeof *c);
    if (!c || n == 0) {
        snprintf(err, errlen, c ? "no name to issue a certificate for" : "out of memory");
        free(c);
        return NULL;
    }
    c->key = new_key();
    c->cert = c->key ? X509_new() : NULL;
    c->chain = sk_X509_new_null();
    bool ok = c->cert && c->chain && X509_set_version(c->cert, 2) == 1 && set_serial(c->cert) &&
              set_leaf_validity(c->cert, ca->cert) && X509_set_pubkey(c->cert, c->key) == 1 &&
              set_subject(c->cert, names[0]) &&
              X509_set_issuer_name(c->cert, X509_get_subject_name(ca->cert)) == 1 &&
              add_ext(c->cert, ca->cert, NID_basic_constraints, "critical,CA:FALSE") &&
              add_ext(c->cert, ca->cert, NID_key_usage, "critical,digitalSignature") &&
              add_ext(c->cert, ca->cert, NID_ext_key_usage, "serverAuth") &&
              add_ext(c->cert, ca->cert, NID_subject_key_identifier, "hash") &&
              add_ext(c->cert, ca->cert, NID_authority_key_identifier, "keyid:always") &&
              add_alt_names(c->cert, names, n) && X509_sign(c->cert, ca->key, EVP_sha256()) > 0;
    if (!ok) {
        ssl_fail(err, errlen, "cannot issue the server certificate");
        tlscert_free(c);
        return NULL;
    }
    return c;
}

struct tlscert *tlscert_load(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
    struct tlscert *c = calloc(1, sizeof *c);
    if (!c || !(c->chain = sk_X509_new_null())) {
        snprintf(err, errlen, "out of memory");
        tlscert_free(c);
        return NULL;
    }
    BIO *b = BIO_new_file(cert_file, "r");
    c->cert = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    for (X509 *x; c->cert && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;) {
        if (sk_X509_push(c->chain, x) <= 0) {
            X509_free(x);
            break;
        }
    }
    ERR_clear_error(); /* the end of the file ends the chain */
    BIO_free(b);
    if (!c->cert) {
        snprintf(err, errlen, "--tls-cert %s: no PEM certificate could be read", cert_file);
        tlscert_free(c);
        return NULL;
    }
    b = BIO_new_file(key_file, "r");
    c->key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (!c->key || X509_check_private_key(c->cert, c->key) != 1) {
        ERR_clear_error();
        snprintf(err, errlen,
                 c->key ? "--tls-key %s is not the key of the certificate in --tls-cert"
                        : "--tls-key %s: no unencrypted PEM private key could be read",
                 key_file);
        tlscert_free(c);
        return NULL;
    }
    return c;
}

bool tlscert_use(const struct tlscert *c, struct ssl_ctx_st *ctx, char *err, size_t errlen)
{
    bool ok = SSL_CTX_use_certificate(ctx, c->cert) == 1 &&
              SSL_CTX_use_PrivateKey(ctx, c->key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    for (int i = 0; ok && i < sk_X509_num(c->chain); i++)
        ok = SSL_CTX_add1_chain_cert(ctx, sk_X509_value(c->chain, i)) == 1;
    if (!ok)
        ssl_fail(err, errlen, "the TLS listener refused the certificate");
    return ok;
}

void tlscert_free(struct tlscert *c)
{
    if (!c)
        return;
    X509_free(c->cert);
    sk_X509_pop_free(c->chain, X509_free);
    EVP_PKEY_free(c->key);
    free(c);
}
