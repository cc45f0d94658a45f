/* What the reporters share (report_json.c defines both). */
#ifndef TG_HARNESS_REPORT_INTERNAL_H
#define TG_HARNESS_REPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "report.h"

/* The length of the valid UTF-8 sequence at p (at most left bytes), or 0 when it is not one. */
size_t report_utf8_len(const unsigned char *p, size_t left);
/* The whole run as the JSON document report_json writes (the HTML page embeds it). */
json_t *report_json_doc(const run_report *r);

#endif
