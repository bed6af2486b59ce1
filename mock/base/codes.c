/* codes.c - see codes.h. Which rows and names, and why, is in
 * docs/decisions.md ("Codes, account operations and PGs not emulated"). */
#include "base/codes.h"

#include <string.h>

/* The 45 banks and securities firms the Swagger lists (GET /vbanks/holder),
 * with its names, plus 045 and 092 from the official docs (reference §21.2). */
static const struct std_code banks[] = {
    {"002", "산업은행"},       {"003", "기업은행"},
    {"004", "KB국민은행"},     {"005", "외환은행"},
    {"007", "수협"},           {"011", "농협"},
    {"012", "축협"},           {"020", "우리은행"},
    {"023", "SC제일은행"},     {"027", "한국씨티은행(한미은행)"},
    {"031", "대구은행"},       {"032", "부산은행"},
    {"034", "광주은행"},       {"035", "제주은행"},
    {"037", "전북은행"},       {"039", "경남은행"},
    {"045", "새마을금고"},     {"048", "신협"},
    {"071", "우체국"},         {"081", "하나은행(서울은행)"},
    {"088", "신한은행"},       {"089", "K뱅크"},
    {"090", "카카오뱅크"},     {"092", "토스뱅크"},
    {"209", "유안타증권"},     {"218", "현대증권"},
    {"230", "미래에셋증권"},   {"238", "대우증권"},
    {"240", "삼성증권"},       {"243", "한국투자증권"},
    {"247", "우리투자증권"},   {"261", "교보증권"},
    {"262", "하이투자증권"},   {"263", "에이치엠씨투자증권"},
    {"264", "키움증권"},       {"265", "이트레이드증권"},
    {"266", "에스케이증권"},   {"267", "대신증권"},
    {"268", "솔로몬투자증권"}, {"269", "한화증권"},
    {"270", "하나대투증권"},   {"278", "굿모닝신한증권"},
    {"279", "동부증권"},       {"280", "유진투자증권"},
    {"287", "메리츠증권"},     {"289", "엔에이치투자증권"},
    {"290", "부국증권"},
};

/* The 15 domestic card companies of the official Java and Node clients,
 * the five the docs add, and the foreign brands with the Node client's
 * names (reference §21.3). */
static const struct std_code cards[] = {
    {"002", "KDB카드"},          {"041", "우리카드"},         {"045", "새마을카드"},
    {"048", "신협카드"},         {"071", "우체국카드"},       {"089", "K뱅크카드"},
    {"090", "카카오뱅크카드"},   {"361", "BC카드"},           {"364", "광주카드"},
    {"365", "삼성카드"},         {"366", "신한카드"},         {"367", "현대카드"},
    {"368", "롯데카드"},         {"369", "수협카드"},         {"370", "씨티카드"},
    {"371", "NH카드"},           {"372", "전북카드"},         {"373", "제주카드"},
    {"374", "하나카드"},         {"381", "KB국민카드"},       {"AMX", "해외아멕스카드"},
    {"DIN", "해외다이너스카드"}, {"DIS", "해외디스커버카드"}, {"JCB", "해외JCB카드"},
    {"MAS", "해외마스터카드"},   {"UNI", "중국은련카드"},     {"VIS", "해외비자카드"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct std_code *codes_banks(size_t *ret_n)
{
    *ret_n = COUNT(banks);
    return banks;
}

const struct std_code *codes_cards(size_t *ret_n)
{
    *ret_n = COUNT(cards);
    return cards;
}

static const struct std_code *find(const struct std_code *t, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(t[i].code, code) == 0)
            return &t[i];
    return NULL;
}

const struct std_code *codes_bank(const char *code)
{
    return find(banks, COUNT(banks), code);
}

const struct std_code *codes_card(const char *code)
{
    return find(cards, COUNT(cards), code);
}

/* BIN ranges of the card networks: [lo, hi] over the first `digits` digits. */
static const struct {
    int digits;
    long lo, hi;
    const char *code;
} brands[] = {
    {1, 4, 4, "VIS"},   {2, 51, 55, "MAS"},     {4, 2221, 2720, "MAS"}, {2, 34, 34, "AMX"},
    {2, 37, 37, "AMX"}, {4, 3528, 3589, "JCB"}, {3, 300, 305, "DIN"},   {4, 3095, 3095, "DIN"},
    {2, 36, 36, "DIN"}, {2, 38, 39, "DIN"},     {4, 6011, 6011, "DIS"}, {3, 644, 649, "DIS"},
    {2, 65, 65, "DIS"}, {2, 62, 62, "UNI"},
};

const struct std_code *codes_card_brand(const char *number)
{
    char bin[5];
    size_t n = 0;
    for (const char *c = number; c && *c && n < 4; c++) {
        if (*c >= '0' && *c <= '9')
            bin[n++] = *c;
        else if (*c != '-' && *c != ' ')
            return NULL;
    }
    for (size_t i = 0; i < COUNT(brands); i++) {
        if (n < (size_t)brands[i].digits)
            continue;
        long v = 0;
        for (int k = 0; k < brands[i].digits; k++)
            v = v * 10 + (bin[k] - '0');
        if (v >= brands[i].lo && v <= brands[i].hi)
            return codes_card(brands[i].code);
    }
    return NULL;
}

bool codes_bin_known(const char *number)
{
    const char *c = number;
    while (c && (*c == '-' || *c == ' '))
        c++;
    return c && (*c == '9' || codes_card_brand(number) != NULL);
}
