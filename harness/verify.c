/* tlsgauntlet verify: the verdict of the built-in X.509 validator and of each reference library
 * (through its adapter's --verify mode, peers/README.md) on one certificate chain, with the
 * reason, path validation and TLS usage apart; or, with --manifest, every chain of a manifest
 * through each of them (verify_manifest.c). */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"
#include "spawn.h"
#include "tg/names.h"
#include "verify.h"

static const char verify_usage[] =
    "usage: tlsgauntlet verify --trust PEM [--untrusted PEM] [--name HOST] [--time ISO8601]\n"
    "                          [--purpose server|client] [--profile rfc5280|webpki]\n"
    "                          [--peer NAME]... [--explain] [--json] LEAF.pem\n"
    "   or: tlsgauntlet verify --manifest CHAINS.yaml [--profile rfc5280|webpki]\n"
    "                          [--peer NAME]... [--explain] [--json]\n"
    "\n"
    "Validates LEAF (PEM or DER; more certificates after the first one in a PEM file are\n"
    "untrusted intermediates) against the trust anchors and prints, per implementation, the\n"
    "verdict and the reason; the built-in one also what path validation (RFC 5280 6) and the\n"
    "TLS usage checks (RFC 8446 4.4.2.2) each said, and the path built. A certificate that\n"
    "does not parse is a verdict (invalid, malformed), not bad input.\n"
    "With --manifest, runs every chain of the manifest (files relative to CHAINS/) through\n"
    "each implementation and prints the chains where they disagree with each other or with\n"
    "the manifest, then a summary; disagreements are findings: the exit status is 0. Without\n"
    "--profile the built-in validator is checked under both profiles.\n"
    "\n"
    "  --trust PEM       trust anchors (CERTIFICATE blocks); may be repeated\n"
    "  --untrusted PEM   intermediates the peer would send; may be repeated\n"
    "  --name HOST       DNS name or IP address the leaf must be for\n"
    "  --time T          verification time, YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or @SECONDS;\n"
    "                    default: now\n"
    "  --purpose P       server (default) or client: the extKeyUsage required\n"
    "  --profile P       rfc5280 (default): the rules RFC 5280 6 puts on a verifier;\n"
    "                    webpki: also the CA/Browser Forum profile browsers check (key\n"
    "                    sizes, AKI/SKI, extKeyUsage, ...); passed on to the adapters\n"
    "  --peer NAME       a registered implementation (tlsgauntlet peers lists them;\n"
    "                    tg-peer-NAME beside tlsgauntlet, else in $TG_PEER_DIR), or all:\n"
    "                    every one whose adapter is built, each missing one named on\n"
    "                    stderr; may be repeated; default builtin\n"
    "  --manifest F      run every chain of the manifest F (vectors/x509/chains.yaml)\n"
    "  --explain         show what each implementation was asked: the built-in one's\n"
    "                    profile, purpose, name and time, an adapter's library flags\n"
    "  --json            print JSON instead of text\n"
    "\n"
    "Exit status: 0 all valid, 1 any invalid (or an adapter that failed; an adapter that\n"
    "cannot express the profile is an \"unsupported\" row and changes nothing), 2 bad usage\n"
    "or bad input; with --manifest 0 unless bad input.\n";

#define ADAPTER_TIMEOUT_MS 10000

int verify_bad(const char *fmt, const char *arg) {
  fputs("tlsgauntlet verify: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return EXIT_BAD_INPUT;
}
#define bad verify_bad

/* --peer NAME or all into o->want. With all, a registered implementation whose adapter is
 * missing is said on stderr, once, and left out (a build without one of the libraries is
 * normal); one named explicitly stays in and, missing, becomes an error row. */
static bool want_peer(verify_opts *o, const char *name) {
  size_t n, used = 0;
  const tg_impl *reg = tg_impls(&n);
  char names[512] = "";
  if (strcmp(name, "all") == 0) {
    static bool noted;
    for (size_t i = 0; i < n; i++) {
      char path[PATH_MAX], why[512];
      /* The built-in validator runs in this process: it has no adapter to find. */
      bool found = strcmp(reg[i].name, "builtin") == 0 ||
                   harness_adapter_path(reg[i].name, path, sizeof path);
      o->want[i] |= reg[i].verify && found;
      if (!reg[i].verify || found || noted)
        continue;
      tg_impl_missing_why(&reg[i], why, sizeof why);
      fprintf(stderr, "tlsgauntlet verify: note: %s (--peer all runs the others)\n", why);
    }
    noted = true;
    return true;
  }
  const tg_impl *known = tg_impl_find(name);
  if (known != NULL && known->verify)
    return o->want[known - reg] = true;
  if (known != NULL)
    return bad("--peer %s: its adapter has no X.509 path validation (--verify)", name), false;
  for (size_t i = 0; i < n; i++)
    if (reg[i].verify)
      used += (size_t)snprintf(names + used, used < sizeof names ? sizeof names - used : 0, "%s, ",
                               reg[i].name);
  char msg[800];
  snprintf(msg, sizeof msg, "--peer '%.200s' is not one of: %sall", name, names);
  bad("%s", msg);
  return false;
}

/* The options that name a value; -1 after --help, else 0 or EXIT_BAD_INPUT. */
static int take_option(verify_opts *o, int c, const char *arg) {
  switch (c) {
  case 't':
  case 'u': {
    size_t *n = c == 't' ? &o->n_trust : &o->n_untrusted;
    if (*n == CHAINS_MAX_FILES)
      return bad("too many --%s files (16 at most)", c == 't' ? "trust" : "untrusted");
    (c == 't' ? o->trust : o->untrusted)[(*n)++] = arg;
    return 0;
  }
  case 'n': o->name = arg; return 0;
  case 'T':
    o->time_arg = arg;
    if (!chains_parse_time(arg, &o->now))
      return bad("--time '%s' is not YYYY-MM-DD[THH:MM[:SS]][Z] or @SECONDS", arg);
    return 0;
  case 'p':
    if (strcmp(arg, "server") != 0 && strcmp(arg, "client") != 0)
      return bad("--purpose '%s' is not server or client", arg);
    o->purpose = strcmp(arg, "client") == 0 ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER;
    return 0;
  case 'r': {
    int p = tg_x509_profile_from_name(arg);
    if (p < 0)
      return bad("--profile '%s' is not rfc5280 or webpki", arg);
    o->profile = (tg_x509_profile)p;
    o->profile_set = true;
    return 0;
  }
  case 'P': return want_peer(o, arg) ? 0 : EXIT_BAD_INPUT;
  case 'm': o->manifest = arg; return 0;
  case 'j': o->json = true; return 0;
  case 'x': o->explain = true; return 0;
  case 'h': fputs(verify_usage, stdout); return -1;
  default: fputs(verify_usage, stderr); return EXIT_BAD_INPUT;
  }
}

static int parse_args(int argc, char **argv, verify_opts *o) {
  static const struct option opts[] = {
      {"trust", required_argument, NULL, 't'},   {"untrusted", required_argument, NULL, 'u'},
      {"name", required_argument, NULL, 'n'},    {"time", required_argument, NULL, 'T'},
      {"purpose", required_argument, NULL, 'p'}, {"profile", required_argument, NULL, 'r'},
      {"peer", required_argument, NULL, 'P'},    {"manifest", required_argument, NULL, 'm'},
      {"json", no_argument, NULL, 'j'},          {"explain", no_argument, NULL, 'x'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    int rc = take_option(o, c, optarg);
    if (rc != 0)
      return rc;
  }
  size_t n_reg;
  const tg_impl *reg = tg_impls(&n_reg);
  bool any = false;
  for (size_t i = 0; i < n_reg; i++)
    any |= o->want[i];
  o->want[tg_impl_find("builtin") - reg] |= !any; /* the built-in validator alone by default */
  for (size_t i = 0; i < n_reg; i++)
    if (o->want[i])
      o->impls[o->n_impls++] = reg[i].name;
  if (o->manifest != NULL) {
    if (optind != argc || o->n_trust || o->n_untrusted || o->name || o->time_arg)
      return bad("%s", "--manifest takes no LEAF, --trust, --untrusted, --name or --time");
    return 0;
  }
  if (optind != argc - 1)
    return bad("%s", "exactly one LEAF file is needed (see --help)");
  if (o->n_trust == 0)
    return bad("%s", "--trust PEM is required");
  o->leaf_path = argv[optind];
  return 0;
}

/* ---- The built-in validator ------------------------------------------------------------------ */

/* What the built-in validator was given and said on one chain. The path of res points into
 * chain and anchors. */
typedef struct builtin_run {
  tg_x509_store anchors, chain; /* chain: the leaf first, then the intermediates */
  tg_x509_verify_result res;
  tg_err err;
  const char *malformed; /* the file of the first certificate the parser rejected, or NULL */
} builtin_run;

/* Adds the certificates of path to store: PEM if it has a BEGIN line, else one DER (unless
 * pem_only). Input that is no certificate (unreadable, no PEM block, bad base64, not DER) is
 * bad input: EXIT_BAD_INPUT, said on stderr. A certificate the parser rejects (alert
 * bad_certificate) is what a peer could send: b->malformed and b->err say so, and 0. */
static int load_file(builtin_run *b, tg_x509_store *store, const char *path, bool pem_only) {
  input_buf in;
  char msg[600];
  tg_err err;
  if (input_from_file(path, &in, msg, sizeof msg) != 0)
    return bad("%s", msg);
  tg_err_clear(&err);
  tg_bytes bytes = tg_bytes_of(in.p, in.len);
  bool is_pem = false;
  for (size_t i = 0; i + 11 <= in.len && !is_pem; i++)
    is_pem = memcmp(in.p + i, "-----BEGIN ", 11) == 0;
  if (!is_pem && !pem_only && (in.len == 0 || in.p[0] != 0x30)) {
    input_free(&in);
    return bad("%s: not a certificate (neither PEM nor a DER SEQUENCE)", path);
  }
  tg_status st = is_pem ? tg_x509_store_add_pem(store, bytes, &err)
                 : pem_only
                     ? TG_FAIL(&err, decode_error, TG_E_BAD_VALUE, "no PEM CERTIFICATE block")
                     : tg_x509_store_add_der(store, bytes, &err);
  input_free(&in);
  if (st == TG_OK)
    return 0;
  if (err.alert != TG_ALERT_bad_certificate) {
    char line[512];
    snprintf(msg, sizeof msg, "%s: %s", path, tg_err_format(&err, line, sizeof line));
    return bad("%s", msg);
  }
  if (b->malformed == NULL) {
    b->malformed = path;
    b->err = err;
  }
  return 0;
}

static void builtin_free(builtin_run *b) {
  tg_x509_store_free(&b->anchors);
  tg_x509_store_free(&b->chain);
}

static const char *purpose_name(tg_cert_purpose p) {
  return p == TG_PURPOSE_CLIENT ? "client" : "server";
}

/* The row of the built-in validator's answer. */
static void builtin_row(const verify_opts *o, const builtin_run *b, impl_row *r) {
  char t[32];
  const tg_x509_verify_result *res = &b->res;
  memset(r, 0, sizeof *r);
  r->impl = "builtin";
  r->profile = o->profile;
  r->builtin = true;
  snprintf(r->verdict, sizeof r->verdict, "%s", res->reason == TG_X509_OK ? "valid" : "invalid");
  snprintf(r->reason, sizeof r->reason, "%s", tg_x509_reason_name(res->reason));
  if (res->reason != TG_X509_OK) {
    char line[512];
    snprintf(r->error, sizeof r->error, "%s%s%s", b->malformed ? b->malformed : "",
             b->malformed ? ": " : "", tg_err_format(&b->err, line, sizeof line));
  }
  r->usage_checked = b->malformed == NULL;
  r->path_reason = res->path_reason;
  r->usage_reason = res->usage_reason;
  snprintf(r->check, sizeof r->check, "%s", res->check ? res->check : "");
  snprintf(r->source, sizeof r->source, "%s", res->source ? res->source : "");
  tg_x509_format_time(o->now, t, sizeof t);
  snprintf(r->asked, sizeof r->asked, "profile=%s purpose=%s name=%s time=%s",
           tg_x509_profile_name(o->profile), purpose_name(o->purpose), o->name ? o->name : "-", t);
}

/* "path (RFC 5280 6): X; TLS usage (RFC 8446 4.4.2.2): Y" */
static void split_text(const impl_row *r, char *out, size_t len) {
  snprintf(out, len, "path (RFC 5280 6%s): %s; TLS usage (RFC 8446 4.4.2.2): %s",
           r->profile == TG_X509_PROFILE_WEBPKI ? " + webpki" : "",
           tg_x509_reason_name(r->path_reason),
           r->usage_checked ? tg_x509_reason_name(r->usage_reason) : "not checked");
}

static void print_builtin(const verify_opts *o, const builtin_run *b, const impl_row *r) {
  char name[256], split[160];
  const tg_x509_verify_result *res = &b->res;
  const char *alert = res->reason != TG_X509_OK ? tg_alert_name(b->err.alert) : NULL;
  split_text(r, split, sizeof split);
  printf("builtin  %s  %s%s%s  | %s\n", r->verdict, r->reason, alert ? "  " : "",
         alert ? alert : "", split);
  if (r->error[0])
    printf("  %s\n", r->error);
  if (r->check[0])
    printf("  profile check %s (%s)\n", r->check, r->source[0] ? r->source : "no source");
  if (o->explain)
    printf("  asked: %s\n", r->asked);
  if (b->malformed)
    return; /* no path was built */
  printf("  path%s:\n", res->reason == TG_X509_OK ? "" : " (last tried)");
  for (size_t i = 0; i < res->path_len; i++) {
    tg_x509_name_format(&res->path[i]->subject, name, sizeof name);
    printf("    %zu  %s\n", i, name);
  }
}

static json_t *builtin_json(const verify_opts *o, const builtin_run *b, const impl_row *r) {
  char name[256], issuer[256];
  const tg_x509_verify_result *res = &b->res;
  json_t *path = json_array();
  for (size_t i = 0; i < res->path_len; i++) {
    tg_x509_name_format(&res->path[i]->subject, name, sizeof name);
    tg_x509_name_format(&res->path[i]->issuer, issuer, sizeof issuer);
    /* Names are ASCII (tg_x509_name_format escapes the rest), so the strings are valid. */
    json_array_append_new(path, json_pack("{s:I, s:s, s:s}", "depth", (json_int_t)i, "subject",
                                          name, "issuer", issuer));
  }
  json_t *j = verify_row_json(o, r);
  json_object_set_new(j, "path_reason", json_string(tg_x509_reason_name(r->path_reason)));
  json_object_set_new(j, "usage_reason",
                      r->usage_checked ? json_string(tg_x509_reason_name(r->usage_reason))
                                       : json_null());
  json_object_set_new(j, "check", r->check[0] ? json_string(r->check) : json_null());
  json_object_set_new(j, "source", r->source[0] ? json_string(r->source) : json_null());
  json_object_set_new(j, "path", path);
  if (res->reason != TG_X509_OK) {
    const char *alert = tg_alert_name(b->err.alert);
    json_object_set_new(j, "alert", alert ? json_string(alert) : json_null());
    json_object_set_new(j, "depth", json_integer((json_int_t)res->depth));
    json_object_set_new(j, "what", json_string(b->err.what));
    json_object_set_new(j, "file", json_string(b->err.file ? b->err.file : ""));
    json_object_set_new(j, "line", json_integer(b->err.line));
  }
  if (b->malformed)
    json_object_set_new(j, "certificate_file", json_string(b->malformed));
  return j;
}

int verify_builtin(const verify_opts *o, bool show, json_t **shown, impl_row *r) {
  builtin_run b;
  memset(&b, 0, sizeof b);
  tg_x509_store_init(&b.anchors);
  tg_x509_store_init(&b.chain);
  tg_err_clear(&b.err);
  /* Every file is read, so that input that is no certificate is said even after a malformed
   * one; the chain store holds the leaf at index 0. */
  int rc = load_file(&b, &b.chain, o->leaf_path, false);
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = load_file(&b, &b.chain, o->untrusted[i], true);
  for (size_t i = 0; rc == 0 && i < o->n_trust; i++)
    rc = load_file(&b, &b.anchors, o->trust[i], true);
  if (rc != 0) {
    builtin_free(&b);
    return rc;
  }
  if (b.malformed != NULL) {
    b.res.reason = b.res.path_reason = TG_X509_MALFORMED;
  } else {
    const tg_x509_cert *untrusted[64];
    size_t n = 0;
    for (size_t i = 1; i < tg_x509_store_count(&b.chain) && n < 64; i++)
      untrusted[n++] = tg_x509_store_get(&b.chain, i);
    tg_x509_verify_params p = {.anchors = &b.anchors,
                               .untrusted = untrusted,
                               .untrusted_count = n,
                               .name = o->name,
                               .now = o->now,
                               .purpose = o->purpose,
                               .profile = o->profile};
    tg_status st = tg_x509_verify(tg_x509_store_get(&b.chain, 0), &p, &b.res, &b.err);
    (void)st; /* b.res.reason says it */
  }
  builtin_row(o, &b, r);
  if (show && o->json)
    *shown = builtin_json(o, &b, r);
  else if (show)
    print_builtin(o, &b, r);
  builtin_free(&b);
  return 0;
}

/* ---- Adapters -------------------------------------------------------------------------------- */

/* Runs argv with stdout and stderr into out (NUL-terminated, truncated to cap), at most
 * ADAPTER_TIMEOUT_MS. Returns the exit status, -1 with out describing a failure to run, a
 * timeout or a signal. */
static int run_child(char *const *argv, char *out, size_t cap) {
  int code;
  switch (spawn_capture(argv, true, ADAPTER_TIMEOUT_MS, out, cap, &code)) {
  case SPAWN_EXITED: return code;
  case SPAWN_SIGNALED: return snprintf(out, cap, "killed by signal %d", code), -1;
  case SPAWN_TIMEOUT: return snprintf(out, cap, "no verdict within %d ms", ADAPTER_TIMEOUT_MS), -1;
  case SPAWN_FAILED: break;
  }
  return -1; /* out says why */
}

/* The adapter's JSON line (the first line that is a JSON object with a verdict, or with
 * error_class unsupported when unsupported) into r. */
static bool parse_adapter_line(const char *out, bool unsupported, impl_row *r) {
  for (const char *p = out; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (*p != '{')
      continue;
    const char *nl = strchr(p, '\n');
    json_t *j = json_loadb(p, nl ? (size_t)(nl - p) : strlen(p), 0, NULL);
    const char *verdict = json_string_value(json_object_get(j, "verdict"));
    const char *class = json_string_value(json_object_get(j, "error_class"));
    bool ok = unsupported
                  ? class != NULL && strcmp(class, "unsupported") == 0
                  : verdict && (strcmp(verdict, "valid") == 0 || strcmp(verdict, "invalid") == 0);
    if (ok) {
      const char *reason = json_string_value(json_object_get(j, "reason"));
      const char *error = json_string_value(json_object_get(j, "error"));
      const char *version = json_string_value(json_object_get(j, "version"));
      const char *flags = json_string_value(json_object_get(j, "flags"));
      verdict = unsupported ? "unsupported" : verdict;
      snprintf(r->verdict, sizeof r->verdict, "%s", verdict);
      snprintf(r->reason, sizeof r->reason, "%s",
               reason                          ? reason
               : strcmp(verdict, "valid") == 0 ? "ok"
                                               : "");
      snprintf(r->error, sizeof r->error, "%s", error ? error : "");
      snprintf(r->version, sizeof r->version, "%s", version ? version : "");
      snprintf(r->asked, sizeof r->asked, "%s", flags && flags[0] ? flags : "-");
    }
    json_decref(j);
    if (ok)
      return true;
  }
  return false;
}

/* A row of verdict (error or unsupported) whose text is a, b and c joined (truncated to fit), up
 * to the first newline: an adapter's output may run over lines. */
static void row_text(impl_row *r, const char *verdict, const char *a, const char *b,
                     const char *c) {
  snprintf(r->verdict, sizeof r->verdict, "%s", verdict);
  r->reason[0] = '\0';
  size_t len = 0;
  const char *parts[] = {a, b, c};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strcspn(parts[i], "\n");
    n = n < sizeof r->error - 1 - len ? n : sizeof r->error - 1 - len;
    memcpy(r->error + len, parts[i], n);
    len += n;
    if (parts[i][n] == '\n')
      break;
  }
  r->error[len] = '\0';
}
static void row_error(impl_row *r, const char *a, const char *b, const char *c) {
  row_text(r, "error", a, b, c);
}

void verify_adapter(const verify_opts *o, const char *impl, impl_row *r) {
  memset(r, 0, sizeof *r);
  r->impl = impl;
  r->profile = o->profile;
  snprintf(r->asked, sizeof r->asked, "-");
  char path[PATH_MAX], time_s[32], out[8192];
  if (!harness_adapter_path(impl, path, sizeof path)) {
    char why[512];
    tg_impl_missing_why(tg_impl_find(impl), why, sizeof why);
    return row_error(r, why, "", "");
  }
  if (o->n_trust != 1)
    return row_error(r, "the adapters take exactly one --trust file", "", "");
  snprintf(time_s, sizeof time_s, "%lld", (long long)o->now);
  char *argv[16 + 2 * CHAINS_MAX_FILES];
  size_t n = 0;
  argv[n++] = path;
  argv[n++] = "--verify";
  argv[n++] = (char *)o->leaf_path;
  argv[n++] = "--trust";
  argv[n++] = (char *)o->trust[0];
  for (size_t i = 0; i < o->n_untrusted; i++) {
    argv[n++] = "--untrusted";
    argv[n++] = (char *)o->untrusted[i];
  }
  if (o->name) {
    argv[n++] = "--verify-name";
    argv[n++] = (char *)o->name;
  }
  argv[n++] = "--time";
  argv[n++] = time_s;
  argv[n++] = "--purpose";
  argv[n++] = (char *)purpose_name(o->purpose);
  /* Only when asked for: an adapter's default is rfc5280 (peers/README.md, --verify). */
  if (o->profile_set) {
    argv[n++] = "--profile";
    argv[n++] = (char *)tg_x509_profile_name(o->profile);
  }
  argv[n] = NULL;
  int status = run_child(argv, out, sizeof out);
  if (status < 0)
    return row_error(r, out, "", "");
  if ((status == 0 || status == 1) && parse_adapter_line(out, false, r))
    return;
  /* Exit 3: the library cannot express what was asked (peers/README.md); the reason is the
   * error of its unsupported line, else what it printed. */
  if (status == 3 && parse_adapter_line(out, true, r))
    return;
  if (status == 3)
    return row_text(r, "unsupported", out[0] ? out : "(no reason given)", "", "");
  char code[32];
  snprintf(code, sizeof code, "exited %d: ", status);
  row_error(r, code, out[0] ? out : "(no output)", "");
}

/* ---- One chain ------------------------------------------------------------------------------- */

json_t *verify_row_json(const verify_opts *o, const impl_row *r) {
  json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "implementation", r->impl, "version", r->version,
                        "profile", tg_x509_profile_name(r->profile), "verdict", r->verdict);
  json_object_set_new(j, "reason", r->reason[0] ? json_string(r->reason) : json_null());
  json_object_set_new(j, "error", r->error[0] ? json_string(r->error) : json_null());
  if (o->explain)
    json_object_set_new(j, "asked", json_string(r->asked));
  return j;
}

static int verify_one(const verify_opts *o) {
  json_t *results = json_array();
  int rc = EXIT_OK;
  for (size_t i = 0; i < o->n_impls; i++) {
    json_t *shown = NULL;
    impl_row row;
    if (strcmp(o->impls[i], "builtin") == 0) {
      if (verify_builtin(o, true, &shown, &row) == EXIT_BAD_INPUT) {
        json_decref(results);
        return EXIT_BAD_INPUT;
      }
    } else {
      verify_adapter(o, o->impls[i], &row);
      shown = o->json ? verify_row_json(o, &row) : NULL;
      if (!o->json)
        printf("%s  %s  %s\n", row.impl, row.verdict, row.reason);
      if (!o->json && row.error[0])
        printf("  %s\n", row.error);
      if (!o->json && o->explain)
        printf("  asked: %s\n", row.asked);
    }
    if (shown)
      json_array_append_new(results, shown);
    /* An adapter that cannot express what was asked says nothing about the chain. */
    if (strcmp(row.verdict, "valid") != 0 && strcmp(row.verdict, "unsupported") != 0)
      rc = EXIT_UNEXPECTED;
  }
  if (o->json) {
    char t[32];
    tg_x509_format_time(o->now, t, sizeof t);
    json_t *out = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:O}", "leaf", o->leaf_path, "name",
                            o->name, "time", t, "purpose", purpose_name(o->purpose), "profile",
                            tg_x509_profile_name(o->profile), "results", results);
    json_dumpf(out, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(out);
  }
  json_decref(results);
  return rc;
}

int cmd_verify(int argc, char **argv) {
  verify_opts o = {.now = (int64_t)time(NULL), .purpose = TG_PURPOSE_SERVER};
  int rc = parse_args(argc, argv, &o);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  spawn_init(); /* before an adapter starts; spawn.h */
  rc = o.manifest ? verify_manifest(&o) : verify_one(&o);
  spawn_sweep();
  return rc;
}
