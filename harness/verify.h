/* Internal to `tlsgauntlet verify` (verify.c, one chain; verify_manifest.c, --manifest): the
 * options, one implementation's answer as a row, and how each implementation is run. */
#ifndef TG_HARNESS_VERIFY_H
#define TG_HARNESS_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains.h"
#include "impls.h"
#include "tg/x509_verify.h"

typedef struct verify_opts {
  const char *trust[CHAINS_MAX_FILES], *untrusted[CHAINS_MAX_FILES];
  size_t n_trust, n_untrusted;
  const char *name, *leaf_path, *time_arg, *manifest;
  const char *impls[TG_MAX_IMPLS]; /* --peer, in registry order (impls.h) */
  bool want[TG_MAX_IMPLS];         /* by registry index */
  size_t n_impls;
  int64_t now;
  tg_cert_purpose purpose;
  tg_x509_profile profile;
  bool profile_set; /* --profile given: adapters are passed it, a manifest checks only it */
  bool json, explain;
} verify_opts;

/* One implementation's answer on one chain under one profile. verdict is "valid", "invalid",
 * "unsupported" (an adapter that exits 3: its library cannot express what was asked; error says
 * why) or "error" (the adapter is missing, crashed, timed out or printed no verdict). */
typedef struct impl_row {
  const char *impl;
  tg_x509_profile profile;
  char verdict[16], reason[48], version[128], error[512];
  /* What the implementation was asked: the built-in validator's parameters, an adapter's
   * "flags" ("-" when its verdict line has none). */
  char asked[256];
  /* The built-in validator only: path validation and TLS usage apart (tg/x509_verify.h), with
   * usage_checked false when a certificate that does not parse kept the validator from
   * running; a profile check's id and source ("" when none). */
  bool builtin, usage_checked;
  tg_x509_reason path_reason, usage_reason;
  char check[64], source[64];
} impl_row;

/* The built-in validator on the chain of o under o->profile into r. With show, its full report
 * (the path, the failed check) is printed, or returned as JSON in *shown with o->json. Returns
 * EXIT_BAD_INPUT (message printed) on input that is no chain: an unreadable file, one without a
 * certificate. A certificate that does not parse is a verdict: invalid, malformed. */
int verify_builtin(const verify_opts *o, bool show, json_t **shown, impl_row *r);
/* tg-peer-IMPL --verify on the chain of o into r; a broken adapter is an "error" row. */
void verify_adapter(const verify_opts *o, const char *impl, impl_row *r);
/* A row as JSON (implementation, version, profile, verdict, reason, error; asked with
 * --explain). */
json_t *verify_row_json(const verify_opts *o, const impl_row *r);
/* "tlsgauntlet verify: MESSAGE" on stderr, fmt taking arg; returns EXIT_BAD_INPUT. */
int verify_bad(const char *fmt, const char *arg);

/* --manifest: every chain of o->manifest through each implementation (verify_manifest.c). */
int verify_manifest(const verify_opts *o);

#endif
