/*
 * fuzz_redact.c - redact_body and redact_target on arbitrary bytes, cut or
 * not: the output stays within REDACT_OUT_MAX (the buffer is exactly that
 * size, so the sanitizer sees any overrun), text the quick check passes is
 * left byte for byte, and a JSON object or array (what redact reads as
 * JSON) that parses before masking still parses after it (a masked number
 * becomes a string, masked characters '*').
 */
#include "infra/json.h"
#include "infra/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *text, size_t len, bool cut, bool target)
{
    char *out = malloc(REDACT_OUT_MAX(len));
    if (!out)
        return;
    size_t n = target ? redact_target(text, len, cut, out) : redact_body(text, len, cut, out);
    if (n >= REDACT_OUT_MAX(len) || out[n] != '\0')
        abort();
    if (!redact_may_hold_secret(text, len, cut) && (n != len || memcmp(out, text, len) != 0))
        abort();     /* said there was nothing to mask, yet masked */
    size_t lead = 0; /* text is not NUL-terminated; cJSON skips every byte <= ' ' */
    while (lead < len && (unsigned char)text[lead] <= ' ')
        lead++;
    if (!target && !cut && lead < len && (text[lead] == '{' || text[lead] == '[')) {
        cJSON *before = json_parse_value(text, len);
        cJSON *after = before ? json_parse_value(out, n) : NULL;
        if (before && !after)
            abort(); /* masking broke valid JSON */
        cJSON_Delete(before);
        cJSON_Delete(after);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes: reads past the end are caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    check(text, size, false, false);
    check(text, size, true, false);
    check(text, size, false, true);
    free(text);
    return 0;
}
