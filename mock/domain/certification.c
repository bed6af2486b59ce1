/* certification.c - see certification.h. */
#include "domain/certification.h"

#include "domain/outcomes.h"
#include "infra/clock.h"
#include "infra/digest.h"
#include "state/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KST_OFFSET (9 * 3600)

/* ---- the person ---- */

/* The digits of s with '-', '.', '/' and ' ' dropped; false when another
 * character appears or there are not exactly n digits. */
static bool digits_of(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (k == n)
                return false;
            out[k++] = *s;
        } else if (!strchr("-./ ", *s)) {
            return false;
        }
    }
    out[k] = '\0';
    return k == n;
}

enum mock_err cert_read_person(const struct cert_request *rq, struct certification *c)
{
    char phone[PHONE_DIGITS_MAX + 1], birth[7];
    if (!phones_normalize(rq->phone, phone))
        return MOCK_CERT_BAD_PHONE;
    const char *g = rq->gender_digit;
    if (!(g[0] >= '1' && g[0] <= '8' && g[1] == '\0'))
        return MOCK_CERT_BAD_GENDER_DIGIT;
    int digit = g[0] - '0';
    if (!digits_of(rq->birth, birth, 6))
        return MOCK_CERT_BAD_BIRTH;
    /* the 7th digit tells the century: 1, 2, 5, 6 before 2000; 3, 4, 7, 8 from 2000 */
    int year = (digit == 3 || digit == 4 || digit >= 7 ? 2000 : 1900) + (birth[0] - '0') * 10 +
               (birth[1] - '0');
    int month = (birth[2] - '0') * 10 + (birth[3] - '0');
    int day = (birth[4] - '0') * 10 + (birth[5] - '0');
    if (month < 1 || month > 12 || day < 1 || day > clock_days_in_month(year, month))
        return MOCK_CERT_BAD_BIRTH;
    snprintf(c->gender, sizeof c->gender, "%s", digit % 2 ? "male" : "female");
    char day_text[32]; /* roomier than needed: the compiler cannot bound the numbers */
    snprintf(day_text, sizeof day_text, "%04d-%02d-%02d", year, month, day);
    snprintf(c->birthday, sizeof c->birthday, "%.10s", day_text);
    c->birth = clock_days_from_civil(year, month, day) * 86400 - KST_OFFSET;
    c->foreigner = digit >= 5;
    snprintf(c->phone, sizeof c->phone, "%s", phone);
    snprintf(c->carrier, sizeof c->carrier, "%s%s", rq->carrier, rq->is_mvno ? "_MVNO" : "");
    return MOCK_OK;
}

enum mock_err cert_pg_provider(const char *pg, char ret_provider[PG_PROVIDER_MAX + 1])
{
    static const char *const providers[] = {"danal", "kcp_v2"};
    if (!pg) {
        snprintf(ret_provider, PG_PROVIDER_MAX + 1, "%s", "danal");
        return MOCK_OK;
    }
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
        size_t n = strlen(providers[i]);
        if (!strncmp(pg, providers[i], n) && (pg[n] == '\0' || pg[n] == '.')) {
            snprintf(ret_provider, PG_PROVIDER_MAX + 1, "%s", providers[i]);
            return MOCK_OK;
        }
    }
    return MOCK_CERT_PG_UNSUPPORTED;
}

void cert_identity(const char *name, const char *birth, const char *gender_digit, const char *phone,
                   const char *merchant_code, const char *pg_provider, char ret_ci[CERT_CI_LEN + 1],
                   char ret_di[CERT_DI_LEN + 1])
{
    char person[CERT_NAME_MAX + 64], site[PG_PROVIDER_MAX + MERCHANT_CODE_MAX + 2];
    int n = snprintf(person, sizeof person, "%s|%s|%s|%s", name, birth, gender_digit, phone);
    uint8_t hash[DIGEST_SHA512_LEN];
    digest_sha512(person, (size_t)n, hash);
    digest_base64(hash, sizeof hash, ret_ci);
    /* DER: SEQUENCE { OID hmacWithSHA256, BIT STRING (the 32-byte MAC) }, as
     * the DIs of captured results begin (MC0GCCqGSIb3DQIJAyEA) */
    static const uint8_t der[15] = {0x30, 0x2d, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86,
                                    0xf7, 0x0d, 0x02, 0x09, 0x03, 0x21, 0x00};
    uint8_t di[sizeof der + DIGEST_HMAC256_LEN];
    memcpy(di, der, sizeof der);
    int sl = snprintf(site, sizeof site, "%s|%s", pg_provider, merchant_code);
    digest_hmac_sha256(site, (size_t)sl, ret_ci, CERT_CI_LEN, di + sizeof der);
    digest_base64(di, sizeof di, ret_di);
}

/* ---- requesting a code ---- */

/* yyyyMMddHHmmss (KST) and 10 random digits, as Danal's transaction ids look. */
static void make_pg_tid(int64_t now, char out[CERT_PG_TID_MAX + 1])
{
    time_t t = (time_t)(now + KST_OFFSET);
    struct tm tm;
    gmtime_r(&t, &tm);
    uint64_t r;
    ids_bytes(&r, sizeof r);
    char text[96]; /* roomier than needed: the compiler cannot bound the numbers */
    snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d%010llu", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (unsigned long long)(r % 10000000000ULL));
    snprintf(out, CERT_PG_TID_MAX + 1, "%.24s", text);
}

/* The result's identity fields, once the person and the PG are known. */
static bool fill_identity(struct store *s, int tid, const struct cert_request *rq,
                          struct certification *c)
{
    struct merchant *m = malloc(sizeof *m); /* several KiB: not on a worker's small stack */
    bool ok = m && store_tenant_merchant(s, tid, m);
    if (ok) {
        char birth[7];
        digits_of(rq->birth, birth, 6); /* checked by cert_read_person */
        cert_identity(rq->name, birth, rq->gender_digit, c->phone, m->merchant_code, c->pg_provider,
                      c->unique_key, c->unique_in_site);
    }
    free(m);
    return ok;
}

enum mock_err cert_request_otp(struct store *s, int tid, const struct phone_table *phones,
                               const struct cert_request *rq, struct certification *ret_cert,
                               char ret_detail[CERT_DETAIL_MAX])
{
    struct certification c;
    memset(&c, 0, sizeof c);
    ret_detail[0] = '\0';
    enum mock_err e = cert_read_person(rq, &c);
    if (e == MOCK_OK)
        e = cert_pg_provider(rq->pg, c.pg_provider);
    if (e == MOCK_CERT_PG_UNSUPPORTED)
        snprintf(ret_detail, CERT_DETAIL_MAX, "%s", rq->pg);
    if (e != MOCK_OK)
        return e;
    const struct test_phone *tp = phones_find(phones, c.phone);
    if (!tp || tp->outcome == PHONE_REFUSE)
        return MOCK_CERT_PERSON_REFUSED;
    struct scn_call call = {
        .op = SCN_OP_CERTIFICATION, .merchant_uid = rq->merchant_uid, .pg = c.pg_provider};
    if (outcomes_pg_fails(s, tid, call, ret_detail, CERT_DETAIL_MAX))
        return MOCK_CERT_PG_FAILED;
    snprintf(c.merchant_uid, sizeof c.merchant_uid, "%s", rq->merchant_uid ? rq->merchant_uid : "");
    snprintf(c.name, sizeof c.name, "%s", rq->name);
    c.phone_disclosed = tp->disclose;
    c.by_app = rq->verification_method && !strcmp(rq->verification_method, "APP") &&
               !strcmp(c.pg_provider, "kcp_v2");
    c.requested_at = clock_now();
    make_pg_tid(c.requested_at, c.pg_tid);
    if (!fill_identity(s, tid, rq, &c))
        return MOCK_INTERNAL;
    return store_cert_insert(s, tid, &c, ret_cert);
}

/* ---- confirming, deleting ---- */

enum mock_err cert_confirm(struct store *s, int tid, const struct phone_table *phones,
                           const char *imp_uid, const char *otp, struct certification *ret_cert,
                           char ret_detail[CERT_DETAIL_MAX])
{
    struct certification c;
    ret_detail[0] = '\0';
    enum mock_err e = store_cert_get(s, tid, imp_uid, &c);
    if (e != MOCK_OK)
        return e;
    if (c.certified)
        return MOCK_CERT_ALREADY;
    if (!c.by_app && (!otp || !otp[0])) {
        snprintf(ret_detail, CERT_DETAIL_MAX, "otp");
        return MOCK_PARAM_REQUIRED;
    }
    struct scn_call call = {.op = SCN_OP_CERTIFICATION,
                            .merchant_uid = c.merchant_uid[0] ? c.merchant_uid : NULL,
                            .pg = c.pg_provider};
    if (outcomes_pg_fails(s, tid, call, ret_detail, CERT_DETAIL_MAX))
        return MOCK_CERT_PG_FAILED;
    if (!c.by_app && strcmp(otp, phones->otp) != 0)
        return MOCK_CERT_OTP_MISMATCH;
    return store_cert_certify(s, tid, imp_uid, clock_now(), ret_cert);
}

enum mock_err cert_delete(struct store *s, int tid, const char *imp_uid,
                          struct certification *ret_cert, char ret_detail[CERT_DETAIL_MAX])
{
    struct certification c;
    ret_detail[0] = '\0';
    enum mock_err e = store_cert_get(s, tid, imp_uid, &c);
    if (e != MOCK_OK)
        return e;
    struct scn_call call = {.op = SCN_OP_CERTIFICATION,
                            .merchant_uid = c.merchant_uid[0] ? c.merchant_uid : NULL,
                            .pg = c.pg_provider};
    if (outcomes_pg_fails(s, tid, call, ret_detail, CERT_DETAIL_MAX))
        return MOCK_CERT_PG_FAILED;
    return store_cert_delete(s, tid, imp_uid, ret_cert);
}
