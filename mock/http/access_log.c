/* access_log.c - see access_log.h. */
#include "http/access_log.h"

#include "infra/clock.h"

#include <cjson/cJSON.h>
#include <stdio.h>

void access_log_write(const struct req *r, double ms, bool json)
{
    char line[1024];
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "time", (double)clock_now());
        cJSON_AddStringToObject(o, "remote", r->remote_addr ? r->remote_addr : "");
        cJSON_AddStringToObject(o, "method", r->method);
        cJSON_AddStringToObject(o, "path", r->path);
        cJSON_AddNumberToObject(o, "status", r->reply.status);
        cJSON_AddNumberToObject(o, "bytes", (double)r->reply.len);
        cJSON_AddNumberToObject(o, "ms", (double)((long)(ms * 1000)) / 1000.0);
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!text)
            return;
        snprintf(line, sizeof line, "%s\n", text);
        cJSON_free(text);
    } else {
        snprintf(line, sizeof line, "%s \"%s %.400s\" %d %zu %.3fms\n",
                 r->remote_addr ? r->remote_addr : "-", r->method, r->path, r->reply.status,
                 r->reply.len, ms);
    }
    fputs(line, stdout);
    fflush(stdout);
}
