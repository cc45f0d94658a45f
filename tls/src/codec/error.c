/* The error record and its one message table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tg/error.h"
#include "tg/names.h"

void tg_fail_record(tg_err *err, enum tg_alert alert, tg_code code, const char *file, int line,
                    const char *fmt, ...) {
  /* The first failure wins: an outer check must not overwrite the inner one that caused it. */
  if (err != NULL && err->code == TG_OK) {
    err->alert = alert;
    err->code = code;
    err->file = file;
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->what, sizeof err->what, fmt, ap);
    va_end(ap);
  }
}

void tg_tolerate_record(tg_tolerated *t, enum tg_alert alert, tg_code code, const char *file,
                        int line, const char *fmt, ...) {
  if (t == NULL)
    return;
  if (t->count++ == 0) {
    t->first.alert = alert;
    t->first.code = code;
    t->first.file = file;
    t->first.line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->first.what, sizeof t->first.what, fmt, ap);
    va_end(ap);
  }
}

void tg_err_clear(tg_err *err) { memset(err, 0, sizeof *err); }

static const struct {
  tg_code code;
  const char *name;
} code_names[] = {
    {TG_OK, "ok"},
    {TG_E_TRUNCATED, "truncated"},
    {TG_E_TRAILING, "trailing_bytes"},
    {TG_E_LENGTH, "bad_length"},
    {TG_E_ODD_LENGTH, "odd_length"},
    {TG_E_BAD_VALUE, "bad_value"},
    {TG_E_DUPLICATE, "duplicate"},
    {TG_E_EXT_NOT_ALLOWED, "extension_not_allowed"},
    {TG_E_EXT_UNSOLICITED, "extension_unsolicited"},
    {TG_E_UNKNOWN_TYPE, "unknown_type"},
    {TG_E_TOO_LARGE, "too_large"},
    {TG_E_RECORD_OVERFLOW, "record_overflow"},
    {TG_E_EMPTY_FRAGMENT, "empty_fragment"},
    {TG_E_SPANS_KEY_CHANGE, "spans_key_change"},
    {TG_E_NO_CONTENT_TYPE, "no_content_type"},
    {TG_E_RECORD_VERSION, "bad_record_version"},
    {TG_E_NEED_MORE, "need_more"},
    {TG_E_BAD_RECORD_MAC, "bad_record_mac"},
    {TG_E_INTERLEAVED, "interleaved"},
    {TG_E_SEQ_EXHAUSTED, "sequence_exhausted"},
    {TG_E_NOMEM, "out_of_memory"},
    {TG_E_BUFFER_FULL, "buffer_full"},
    {TG_E_INTERNAL, "internal"},
    {TG_E_USAGE, "usage"},
};

const char *tg_code_name(tg_code code) {
  for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++)
    if (code_names[i].code == code)
      return code_names[i].name;
  return "unknown";
}

const char *tg_err_format(const tg_err *err, char *buf, size_t len) {
  const char *alert = tg_alert_name(err->alert);
  if (err->file != NULL)
    snprintf(buf, len, "%s: %s (%s:%d)", alert ? alert : "alert", err->what, err->file, err->line);
  else
    snprintf(buf, len, "%s: %s", alert ? alert : "alert", err->what);
  return buf;
}
