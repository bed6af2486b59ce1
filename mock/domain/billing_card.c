/* billing_card.c - the card data rules of billing.h: the expiry, the
 * card check a key-in card passes before any charge. */
#include "base/codes.h"
#include "base/limits.h"
#include "domain/billing.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char f113_wrong_number[] = "[F113]거래거절 카드번호틀림";
static const char f112_expired[] = "[F112]유효기간 경과카드";
static const char f112_bad_number[] = "[F112]유효하지않은 카드번호를 입력하셨습니다.";

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[len] == '\0';
}

bool billing_expiry_parse(const char *expiry, int *ret_year, int *ret_month)
{
    char d[7];
    size_t len = strlen(expiry);
    if (len == 7 && expiry[4] == '-') {
        memcpy(d, expiry, 4);
        memcpy(d + 4, expiry + 5, 3);
    } else if (len == 6) {
        memcpy(d, expiry, 7);
    } else {
        return false;
    }
    if (!all_digits(d, 6))
        return false;
    int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int month = (d[4] - '0') * 10 + (d[5] - '0');
    if (month < 1 || month > 12 || year < 1970)
        return false;
    *ret_year = year;
    *ret_month = month;
    return true;
}

bool billing_expiry_current(int year, int month, int64_t now)
{
    time_t t = (time_t)(now + KST_OFFSET);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    int cy = tm.tm_year + 1900, cm = tm.tm_mon + 1;
    return year > cy || (year == cy && month >= cm);
}

enum mock_err billing_card_check(const struct card_table *cards, const struct billing_card *card,
                                 int64_t now, struct billing_card_info *ret_info,
                                 char ret_detail[BILLING_DETAIL_MAX])
{
    int year, month;
    ret_detail[0] = '\0';
    if (!card->expiry || !billing_expiry_parse(card->expiry, &year, &month))
        return MOCK_CARD_EXPIRY_FORMAT;
    if (card->birth) {
        size_t n = strlen(card->birth);
        if ((n != 6 && n != 10) || !all_digits(card->birth, n))
            return MOCK_CARD_BIRTH_FORMAT;
    }
    if (card->pwd_2digit && (strlen(card->pwd_2digit) != 2 || !all_digits(card->pwd_2digit, 2)))
        return MOCK_CARD_PWD_FORMAT;
    /* the number before the expiry: a BIN no card company issues from is
     * the PG's refusal; any other number that is no test card is refused
     * by the card company, which has no such card (reference §5.2, §6.1) */
    char digits[CARD_DIGITS_MAX + 1] = "";
    int profile = -1;
    const char *wrong = NULL;
    if (!card->number || !cards_normalize(card->number, digits))
        wrong = f113_wrong_number;
    else if ((profile = cards_find(cards, digits)) < 0 && !codes_bin_known(digits))
        wrong = f112_bad_number;
    else if (profile < 0 || !cards_luhn_ok(digits))
        wrong = f113_wrong_number;
    if (wrong) {
        explicit_bzero(digits, sizeof digits);
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", wrong);
        return MOCK_CARD_AUTH_FAILED;
    }
    cards_mask(digits, ret_info->masked);
    explicit_bzero(digits, sizeof digits); /* the full number goes no further */
    if (!billing_expiry_current(year, month, now)) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", f112_expired);
        return MOCK_CARD_AUTH_FAILED;
    }
    if (profile >= 0 && cards->cards[profile].outcome == CARD_AUTH_FAIL) {
        snprintf(ret_detail, BILLING_DETAIL_MAX, "%s", cards->cards[profile].fail_reason);
        return MOCK_CARD_AUTH_FAILED;
    }
    ret_info->profile = profile;
    cards_issuer(cards, profile, &ret_info->card_name, &ret_info->card_code, &ret_info->card_type);
    return MOCK_OK;
}
