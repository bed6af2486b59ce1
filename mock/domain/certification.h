/*
 * certification.h - identity verification by SMS code (휴대폰 본인인증 API,
 * reference §19): reading the person's data (birth as YYMMDD with the
 * 주민등록번호's 7th digit, phone, carrier), asking the carrier (the
 * fixtures' test phones decide), confirming the code every test SMS
 * carries, and deleting a result. A result carries a CI derived from the
 * person, so the same person always gets the same one, and a DI derived
 * from the CI and the merchant, so each merchant sees its own.
 * No HTTP and no JSON. Thread-safety: callable from any thread.
 */
#ifndef IMPMOCK_CERTIFICATION_H
#define IMPMOCK_CERTIFICATION_H

#include "base/errors.h"
#include "base/model.h"
#include "base/phones.h"
#include "state/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

#define CERT_DETAIL_MAX 256 /* message detail: a field name, a PG's text */

/* An OTP request; strings borrowed, NULL = not given. */
struct cert_request {
    const char *name;         /* required */
    const char *phone;        /* required; separators allowed */
    const char *birth;        /* required: YYMMDD, separators allowed */
    const char *gender_digit; /* required: 1-4, 5-8 for foreigners */
    const char *carrier;      /* required: SKT, KT or LGT */
    bool is_mvno;             /* an MVNO of that carrier */
    const char *merchant_uid;
    const char *pg;                  /* "danal", "danal.{CPID}", "kcp_v2"; NULL: danal */
    const char *verification_method; /* SMS or APP (kcp_v2); NULL: SMS */
};

/* ---- pure rules ---- */

/* Fills the person's part of c (gender, birthday, birth, foreigner, phone,
 * carrier) from rq: MOCK_CERT_BAD_PHONE, MOCK_CERT_BAD_GENDER_DIGIT,
 * MOCK_CERT_BAD_BIRTH (not YYMMDD, or no such day). c is untouched then. */
enum mock_err cert_read_person(const struct cert_request *rq, struct certification *c);
/* The verifying PG a request's pg names: MOCK_CERT_PG_UNSUPPORTED for
 * anything but danal[.CPID] and kcp_v2[.MID]. */
enum mock_err cert_pg_provider(const char *pg, char ret_provider[PG_PROVIDER_MAX + 1]);
/* The CI of a person (base64 of SHA-512 over name, birth, gender digit and
 * phone: 88 characters) and the DI a merchant of merchant_code sees of it
 * through pg_provider (base64 of the DER-wrapped HMAC-SHA-256 of the CI:
 * 64 characters, shaped as the real ones). */
void cert_identity(const char *name, const char *birth, const char *gender_digit, const char *phone,
                   const char *merchant_code, const char *pg_provider, char ret_ci[CERT_CI_LEN + 1],
                   char ret_di[CERT_DI_LEN + 1]);

/* ---- the operations ---- */

/* Asks for a code to be sent: cert_read_person's and cert_pg_provider's
 * refusals, MOCK_CERT_PERSON_REFUSED (a test phone that refuses, or none
 * matches), MOCK_CERT_PG_FAILED (a scenario; detail: its message). MOCK_OK
 * with the new, not yet certified verification (its imp_uid is new). */
enum mock_err cert_request_otp(struct store *s, int tid, const struct phone_table *phones,
                               const struct cert_request *rq, struct certification *ret_cert,
                               char ret_detail[CERT_DETAIL_MAX]);
/* Confirms verification imp_uid with otp (NULL: not given):
 * MOCK_CERT_NOT_FOUND, MOCK_CERT_ALREADY, MOCK_PARAM_REQUIRED (otp; not for
 * the APP method), MOCK_CERT_PG_FAILED, MOCK_CERT_OTP_MISMATCH. */
enum mock_err cert_confirm(struct store *s, int tid, const struct phone_table *phones,
                           const char *imp_uid, const char *otp, struct certification *ret_cert,
                           char ret_detail[CERT_DETAIL_MAX]);
/* Deletes verification imp_uid, giving it as it was: MOCK_CERT_NOT_FOUND,
 * MOCK_CERT_PG_FAILED (a scenario: the deletion failed). */
enum mock_err cert_delete(struct store *s, int tid, const char *imp_uid,
                          struct certification *ret_cert, char ret_detail[CERT_DETAIL_MAX]);

#endif
