/* tlsgauntlet verify: the verdict of the built-in X.509 validator and of each reference library
 * (through its adapter's --verify mode, peers/README.md) on one certificate chain, with the
 * reason; or, with --manifest, every chain of a manifest through each of them, printing where
 * they disagree with each other or with the manifest. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "impls.h"
#include "input.h"
#include "spawn.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

static const char verify_usage[] =
    "usage: tlsgauntlet verify --trust PEM [--untrusted PEM] [--name HOST] [--time ISO8601]\n"
    "                          [--purpose server|client] [--peer NAME]... [--json] LEAF.pem\n"
    "   or: tlsgauntlet verify --manifest CHAINS.yaml [--peer NAME]... [--json]\n"
    "\n"
    "Validates LEAF (PEM or DER; more certificates after the first one in a PEM file are\n"
    "untrusted intermediates) against the trust anchors and prints, per implementation, the\n"
    "verdict and the reason (the built-in one also the path built).\n"
    "With --manifest, runs every chain of the manifest (files relative to CHAINS/) through\n"
    "each implementation and prints the chains where they disagree with each other or with\n"
    "the manifest, then a summary; disagreements are findings: the exit status is 0.\n"
    "\n"
    "  --trust PEM       trust anchors (CERTIFICATE blocks); may be repeated\n"
    "  --untrusted PEM   intermediates the peer would send; may be repeated\n"
    "  --name HOST       DNS name or IP address the leaf must be for\n"
    "  --time T          verification time, YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or @SECONDS;\n"
    "                    default: now\n"
    "  --purpose P       server (default) or client: the extKeyUsage required\n"
    "  --peer NAME       a registered implementation (tlsgauntlet peers lists them;\n"
    "                    tg-peer-NAME beside tlsgauntlet, else in $TG_PEER_DIR), or all:\n"
    "                    every one whose adapter is built, each missing one named on\n"
    "                    stderr; may be repeated; default builtin\n"
    "  --manifest F      run every chain of the manifest F (vectors/x509/chains.yaml)\n"
    "  --json            print JSON instead of text\n"
    "\n"
    "Exit status: 0 all valid, 1 any invalid (or an adapter that failed), 2 bad usage or\n"
    "bad input; with --manifest 0 unless bad input.\n";

#define ADAPTER_TIMEOUT_MS 10000

/* One implementation's answer on one chain. verdict is "valid", "invalid" or "error" (the
 * adapter is missing, crashed, timed out or printed no verdict). */
typedef struct impl_row {
  const char *impl;
  char verdict[16], reason[48], version[128], error[512];
} impl_row;

typedef struct verify_opts {
  const char *trust[16], *untrusted[16];
  size_t n_trust, n_untrusted;
  const char *name, *leaf_path, *time_arg, *manifest;
  const char *impls[TG_MAX_IMPLS]; /* --peer, in registry order (impls.h) */
  bool want[TG_MAX_IMPLS];         /* by registry index */
  size_t n_impls;
  int64_t now;
  tg_cert_purpose purpose;
  int json;
} verify_opts;

/* --time: YYYY-MM-DD[THH:MM[:SS]][Z] (UTC; a real date: 2023-02-29 is not one) or @SECONDS
 * (a whole number that fits, sign allowed). */
static int parse_time(const char *s, int64_t *out) {
  int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
  if (s[0] == '@') {
    char *end;
    errno = 0;
    long long at = strtoll(s + 1, &end, 10);
    if (end == s + 1 || *end != '\0' || errno == ERANGE ||
        (s[1] != '-' && !isdigit((unsigned char)s[1])))
      return -1;
    *out = at;
    return 0;
  }
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return -1;
  const char *rest = s + n;
  if (*rest == 'T' || *rest == ' ') {
    int m = 0;
    if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
      return -1;
    rest += 1 + m;
    if (*rest == ':') {
      if (sscanf(rest + 1, "%2d%n", &sec, &m) != 1 || m != 2)
        return -1;
      rest += 1 + m;
    }
  }
  if (*rest == 'Z')
    rest++;
  if (*rest != '\0' || y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 ||
      !tg_x509_civil_time(y, (unsigned)mo, (unsigned)d, (unsigned)h, (unsigned)mi, (unsigned)sec,
                          out))
    return -1;
  return 0;
}

static int bad(const char *fmt, const char *arg) {
  fputs("tlsgauntlet verify: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return EXIT_BAD_INPUT;
}

/* --peer NAME or all into o->want. With all, a registered implementation whose adapter is
 * missing is said on stderr, once, and left out (a build without one of the libraries is
 * normal); one named explicitly stays in and, missing, becomes an error row. */
static bool want_peer(verify_opts *o, const char *name) {
  static bool noted;
  size_t n, used = 0;
  const tg_impl *reg = tg_impls(&n);
  char path[PATH_MAX], why[512], names[512] = "";
  if (strcmp(name, "all") == 0) {
    for (size_t i = 0; i < n; i++) {
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

static int parse_args(int argc, char **argv, verify_opts *o) {
  static const struct option opts[] = {
      {"trust", required_argument, NULL, 't'},    {"untrusted", required_argument, NULL, 'u'},
      {"name", required_argument, NULL, 'n'},     {"time", required_argument, NULL, 'T'},
      {"purpose", required_argument, NULL, 'p'},  {"peer", required_argument, NULL, 'P'},
      {"manifest", required_argument, NULL, 'm'}, {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 't':
    case 'u': {
      size_t *n = c == 't' ? &o->n_trust : &o->n_untrusted;
      if (*n == 16)
        return bad("too many --%s files (16 at most)", c == 't' ? "trust" : "untrusted");
      (c == 't' ? o->trust : o->untrusted)[(*n)++] = optarg;
      break;
    }
    case 'n': o->name = optarg; break;
    case 'T':
      o->time_arg = optarg;
      if (parse_time(optarg, &o->now) != 0)
        return bad("--time '%s' is not YYYY-MM-DD[THH:MM[:SS]][Z] or @SECONDS", optarg);
      break;
    case 'p':
      if (strcmp(optarg, "server") != 0 && strcmp(optarg, "client") != 0)
        return bad("--purpose '%s' is not server or client", optarg);
      o->purpose = strcmp(optarg, "client") == 0 ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER;
      break;
    case 'P':
      if (!want_peer(o, optarg))
        return EXIT_BAD_INPUT;
      break;
    case 'm': o->manifest = optarg; break;
    case 'j': o->json = 1; break;
    case 'h': fputs(verify_usage, stdout); return -1;
    default: fputs(verify_usage, stderr); return EXIT_BAD_INPUT;
    }
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

/* Adds the certificates of file to store: PEM if it has a BEGIN line, else one DER. A file that
 * holds certificate bytes the parser rejects leaves the reason in *err (alert bad_certificate),
 * so the caller can report a malformed leaf as a verdict rather than as bad input. */
static int load_err(tg_x509_store *store, const char *path, int pem_only, tg_err *out) {
  input_buf in;
  char msg[256];
  tg_err err;
  if (input_from_file(path, &in, msg, sizeof msg) != 0)
    return bad("%s", msg);
  tg_err_clear(&err);
  tg_bytes b = tg_bytes_of(in.p, in.len);
  int is_pem = 0;
  for (size_t i = 0; i + 11 <= in.len && !is_pem; i++)
    is_pem = memcmp(in.p + i, "-----BEGIN ", 11) == 0;
  if (!is_pem && !pem_only && (in.len == 0 || in.p[0] != 0x30)) {
    input_free(&in);
    return bad("%s: not a certificate (neither PEM nor a DER SEQUENCE)", path);
  }
  tg_status st = is_pem ? tg_x509_store_add_pem(store, b, &err)
                 : pem_only
                     ? TG_FAIL(&err, decode_error, TG_E_BAD_VALUE, "no PEM CERTIFICATE block")
                     : tg_x509_store_add_der(store, b, &err);
  input_free(&in);
  if (out != NULL)
    *out = err;
  if (st != TG_OK && out != NULL && err.alert == TG_ALERT_bad_certificate)
    return EXIT_UNEXPECTED; /* the caller reports it as a verdict */
  if (st != TG_OK) {
    char line[512];
    snprintf(msg, sizeof msg, "%s: %s", path, tg_err_format(&err, line, sizeof line));
    return bad("%s", msg);
  }
  return 0;
}

static int load(tg_x509_store *store, const char *path, int pem_only) {
  return load_err(store, path, pem_only, NULL);
}

static void print_text(const tg_x509_verify_result *res, const tg_err *err) {
  char name[256], line[512];
  const char *alert = res->reason != TG_X509_OK ? tg_alert_name(err->alert) : NULL;
  printf("builtin  %s  %s%s%s\n", res->reason == TG_X509_OK ? "valid" : "invalid",
         tg_x509_reason_name(res->reason), alert ? "  " : "", alert ? alert : "");
  if (res->reason != TG_X509_OK)
    printf("  %s\n", tg_err_format(err, line, sizeof line));
  printf("  path%s:\n", res->reason == TG_X509_OK ? "" : " (last tried)");
  for (size_t i = 0; i < res->path_len; i++) {
    tg_x509_name_format(&res->path[i]->subject, name, sizeof name);
    printf("    %zu  %s\n", i, name);
  }
}

static json_t *json_result(const tg_x509_verify_result *res, const tg_err *err) {
  char name[256];
  json_t *path = json_array();
  for (size_t i = 0; i < res->path_len; i++) {
    tg_x509_name_format(&res->path[i]->subject, name, sizeof name);
    char issuer[256];
    tg_x509_name_format(&res->path[i]->issuer, issuer, sizeof issuer);
    /* Names are ASCII (tg_x509_name_format escapes the rest), so the strings are valid. */
    json_array_append_new(path, json_pack("{s:I, s:s, s:s}", "depth", (json_int_t)i, "subject",
                                          name, "issuer", issuer));
  }
  json_t *r = json_pack("{s:s, s:s, s:s, s:o}", "implementation", "builtin", "verdict",
                        res->reason == TG_X509_OK ? "valid" : "invalid", "reason",
                        tg_x509_reason_name(res->reason), "path", path);
  if (res->reason != TG_X509_OK) {
    const char *alert = tg_alert_name(err->alert);
    json_object_set_new(r, "alert", alert ? json_string(alert) : json_null());
    json_object_set_new(r, "depth", json_integer((json_int_t)res->depth));
    json_object_set_new(r, "what", json_string(err->what));
    json_object_set_new(r, "file", json_string(err->file ? err->file : ""));
    json_object_set_new(r, "line", json_integer(err->line));
  }
  return r;
}

/* What the built-in validator said, as a row (for --peer and --manifest); *shown is its full
 * report, text printed or JSON returned, when show. */
static void builtin_done(const verify_opts *o, const tg_x509_verify_result *res, const tg_err *err,
                         int show, json_t **shown, impl_row *r) {
  char line[512];
  snprintf(r->verdict, sizeof r->verdict, "%s", res->reason == TG_X509_OK ? "valid" : "invalid");
  snprintf(r->reason, sizeof r->reason, "%s", tg_x509_reason_name(res->reason));
  snprintf(r->error, sizeof r->error, "%s",
           res->reason == TG_X509_OK ? "" : tg_err_format(err, line, sizeof line));
  if (show && o->json)
    *shown = json_result(res, err);
  else if (show)
    print_text(res, err);
}

static int verify_loaded(const verify_opts *o, tg_x509_store *anchors, tg_x509_store *chain,
                         int show, json_t **shown, impl_row *r) {
  const tg_x509_cert *untrusted[64];
  size_t n = 0;
  for (size_t i = 1; i < tg_x509_store_count(chain) && n < 64; i++)
    untrusted[n++] = tg_x509_store_get(chain, i);
  tg_x509_verify_params p = {.anchors = anchors,
                             .untrusted = untrusted,
                             .untrusted_count = n,
                             .name = o->name,
                             .now = o->now,
                             .purpose = o->purpose};
  tg_x509_verify_result res;
  tg_err err;
  tg_err_clear(&err);
  tg_status st = tg_x509_verify(tg_x509_store_get(chain, 0), &p, &res, &err);
  builtin_done(o, &res, &err, show, shown, r);
  return st == TG_OK ? EXIT_OK : EXIT_UNEXPECTED;
}

/* The built-in validator on the chain of o. Returns EXIT_BAD_INPUT (message printed) on input
 * that is no chain; otherwise r holds the verdict. */
static int builtin_verify(const verify_opts *o, int show, json_t **shown, impl_row *r) {
  tg_x509_store anchors, chain;
  tg_x509_store_init(&anchors);
  tg_x509_store_init(&chain);
  r->impl = "builtin";
  /* The leaf first: the chain store holds it at index 0, intermediates after it. A leaf that is
   * a certificate the parser rejects is a verdict (invalid, malformed), not bad input. */
  tg_err leaf_err;
  int rc = load_err(&chain, o->leaf_path, 0, &leaf_err);
  if (rc != 0 && leaf_err.alert == TG_ALERT_bad_certificate) {
    tg_x509_verify_result res = {.reason = TG_X509_MALFORMED};
    builtin_done(o, &res, &leaf_err, show, shown, r);
    rc = EXIT_UNEXPECTED;
    goto done;
  }
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = load(&chain, o->untrusted[i], 1);
  for (size_t i = 0; rc == 0 && i < o->n_trust; i++)
    rc = load(&anchors, o->trust[i], 1);
  if (rc == 0)
    rc = verify_loaded(o, &anchors, &chain, show, shown, r);
done:
  tg_x509_store_free(&anchors);
  tg_x509_store_free(&chain);
  return rc;
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

/* The adapter's JSON line (the first line that is a JSON object) into r. */
static bool parse_adapter_line(const char *out, impl_row *r) {
  for (const char *p = out; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (*p != '{')
      continue;
    const char *nl = strchr(p, '\n');
    json_t *j = json_loadb(p, nl ? (size_t)(nl - p) : strlen(p), 0, NULL);
    const char *verdict = json_string_value(json_object_get(j, "verdict"));
    bool ok = verdict && (strcmp(verdict, "valid") == 0 || strcmp(verdict, "invalid") == 0);
    if (ok) {
      const char *reason = json_string_value(json_object_get(j, "reason"));
      const char *error = json_string_value(json_object_get(j, "error"));
      const char *version = json_string_value(json_object_get(j, "version"));
      snprintf(r->verdict, sizeof r->verdict, "%s", verdict);
      snprintf(r->reason, sizeof r->reason, "%s", reason ? reason : verdict[0] == 'v' ? "ok" : "");
      snprintf(r->error, sizeof r->error, "%s", error ? error : "");
      snprintf(r->version, sizeof r->version, "%s", version ? version : "");
    }
    json_decref(j);
    if (ok)
      return true;
  }
  return false;
}

/* An "error" row whose text is a, b and c joined (truncated to fit), up to the first newline:
 * an adapter's output may run over lines. */
static void row_error(impl_row *r, const char *a, const char *b, const char *c) {
  snprintf(r->verdict, sizeof r->verdict, "error");
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

/* The verdict of tg-peer-IMPL --verify on the chain of o; a broken adapter is an "error" row. */
static void adapter_verify(const verify_opts *o, const char *impl, impl_row *r) {
  memset(r, 0, sizeof *r);
  r->impl = impl;
  char path[PATH_MAX], time_s[32], out[8192];
  if (!harness_adapter_path(impl, path, sizeof path)) {
    char why[512];
    tg_impl_missing_why(tg_impl_find(impl), why, sizeof why);
    return row_error(r, why, "", "");
  }
  if (o->n_trust != 1)
    return row_error(r, "the adapters take exactly one --trust file", "", "");
  snprintf(time_s, sizeof time_s, "%lld", (long long)o->now);
  char *argv[16 + 2 * 16];
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
  argv[n++] = o->purpose == TG_PURPOSE_CLIENT ? "client" : "server";
  argv[n] = NULL;
  int status = run_child(argv, out, sizeof out);
  if (status < 0)
    return row_error(r, out, "", "");
  if ((status == 0 || status == 1) && parse_adapter_line(out, r))
    return;
  char code[32];
  snprintf(code, sizeof code, "exited %d: ", status);
  row_error(r, code, out[0] ? out : "(no output)", "");
}

/* ---- One chain ------------------------------------------------------------------------------- */

static json_t *row_json(const impl_row *r) {
  json_t *j = json_pack("{s:s, s:s, s:s}", "implementation", r->impl, "version", r->version,
                        "verdict", r->verdict);
  json_object_set_new(j, "reason", r->reason[0] ? json_string(r->reason) : json_null());
  json_object_set_new(j, "error", r->error[0] ? json_string(r->error) : json_null());
  return j;
}

static int verify_one(const verify_opts *o) {
  json_t *results = json_array();
  impl_row rows[TG_MAX_IMPLS];
  int rc = EXIT_OK;
  for (size_t i = 0; i < o->n_impls && rc != EXIT_BAD_INPUT; i++) {
    json_t *shown = NULL;
    if (strcmp(o->impls[i], "builtin") == 0) {
      if ((rc = builtin_verify(o, 1, &shown, &rows[i])) == EXIT_BAD_INPUT)
        break;
    } else {
      adapter_verify(o, o->impls[i], &rows[i]);
      shown = o->json ? row_json(&rows[i]) : NULL;
      if (!o->json)
        printf("%s  %s  %s\n", rows[i].impl, rows[i].verdict, rows[i].reason);
      if (!o->json && rows[i].error[0])
        printf("  %s\n", rows[i].error);
    }
    if (shown)
      json_array_append_new(results, shown);
    if (strcmp(rows[i].verdict, "valid") != 0)
      rc = EXIT_UNEXPECTED;
  }
  if (rc != EXIT_BAD_INPUT && o->json) {
    char t[32];
    tg_x509_format_time(o->now, t, sizeof t);
    json_t *out = json_pack(
        "{s:s, s:s?, s:s, s:s, s:O}", "leaf", o->leaf_path, "name", o->name, "time", t, "purpose",
        o->purpose == TG_PURPOSE_CLIENT ? "client" : "server", "results", results);
    json_dumpf(out, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(out);
  }
  json_decref(results);
  return rc;
}

/* ---- --manifest ------------------------------------------------------------------------------ */

/* One entry of the flat manifest ("- id: X" then "  key: value" lines, as tests/cli/verify.sh
 * reads it); the values with their quotes removed. */
typedef struct chain_entry {
  char id[128], leaf[256], untrusted[512], trust[512], name[256], time[64], purpose[16];
  char verdict[16], reason[48];
} chain_entry;

static void entry_set(chain_entry *e, const char *key, const char *val) {
  static const struct {
    const char *key;
    size_t off, len;
  } fields[] = {
#define F(k) {#k, offsetof(chain_entry, k), sizeof((chain_entry *)0)->k}
      F(leaf), F(untrusted), F(trust), F(name), F(time), F(purpose), F(verdict), F(reason),
#undef F
  };
  size_t n = strlen(val);
  if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
    val++;
    n -= 2;
  }
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (strcmp(key, fields[i].key) == 0)
      snprintf((char *)e + fields[i].off, fields[i].len, "%.*s", (int)n, val);
}

/* The next entry of f into e; false at the end of the file. */
static bool next_entry(FILE *f, chain_entry *e, char *pending, size_t pending_len) {
  char line[1024];
  memset(e, 0, sizeof *e);
  if (pending[0])
    snprintf(e->id, sizeof e->id, "%s", pending);
  pending[0] = '\0';
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    if (strncmp(line, "- id: ", 6) == 0) {
      if (e->id[0]) {
        snprintf(pending, pending_len, "%.127s", line + 6);
        return true;
      }
      snprintf(e->id, sizeof e->id, "%.127s", line + 6);
    } else if (e->id[0] && strncmp(line, "  ", 2) == 0 && strchr(line, ':') != NULL) {
      char *colon = strchr(line, ':');
      *colon = '\0';
      entry_set(e, line + 2, colon[1] == ' ' ? colon + 2 : colon + 1);
    }
  }
  return e->id[0] != '\0';
}

/* Splits the space-separated file list into paths under dir, into store[] and list[]. */
static size_t split_paths(const char *dir, const char *files, char (*store)[PATH_MAX],
                          const char **list, size_t max) {
  char buf[512];
  size_t n = 0;
  snprintf(buf, sizeof buf, "%s", files);
  for (char *save, *t = strtok_r(buf, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save)) {
    snprintf(store[n], PATH_MAX, "%s/%s", dir, t);
    list[n] = store[n];
    n++;
  }
  return n;
}

typedef struct manifest_run {
  const verify_opts *base;
  char dir[PATH_MAX];
  size_t chains, disagreeing;
  size_t against[TG_MAX_IMPLS]; /* per --peer (o->impls[i]): rows that differ from the manifest */
  json_t *found;                /* --json: the disagreeing chains */
} manifest_run;

/* Runs one entry through each implementation; EXIT_BAD_INPUT when the entry is not a chain. */
static int run_entry(manifest_run *m, const chain_entry *e) {
  static char paths[1 + 2 * 16][PATH_MAX];
  verify_opts o = *m->base;
  if (snprintf(paths[0], PATH_MAX, "%s/%s", m->dir, e->leaf) >= PATH_MAX)
    return bad("manifest entry '%s': path too long", e->id);
  o.leaf_path = paths[0];
  o.n_trust = split_paths(m->dir, e->trust, paths + 1, o.trust, 16);
  o.n_untrusted = split_paths(m->dir, e->untrusted, paths + 17, o.untrusted, 16);
  o.name = e->name[0] ? e->name : NULL;
  o.purpose = strcmp(e->purpose, "client") == 0 ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER;
  if (!e->leaf[0] || o.n_trust == 0 || parse_time(e->time, &o.now) != 0)
    return bad("manifest entry '%s' lacks a leaf, a trust file or a valid time", e->id);
  impl_row rows[TG_MAX_IMPLS];
  bool differs = false;
  for (size_t i = 0; i < o.n_impls; i++) {
    memset(&rows[i], 0, sizeof rows[i]);
    if (strcmp(o.impls[i], "builtin") != 0)
      adapter_verify(&o, o.impls[i], &rows[i]);
    else if (builtin_verify(&o, 0, NULL, &rows[i]) == EXIT_BAD_INPUT)
      return bad("(in manifest entry '%s')", e->id);
    /* Verdicts are compared for every implementation; reasons only for the built-in one, whose
     * names the manifest uses (the adapters' mapping of library errors is approximate). */
    bool off = strcmp(rows[i].verdict, e->verdict) != 0 ||
               (strcmp(o.impls[i], "builtin") == 0 && strcmp(rows[i].reason, e->reason) != 0);
    m->against[i] += off;
    differs |= off;
  }
  m->chains++;
  if (!differs)
    return 0;
  m->disagreeing++;
  if (o.json) {
    json_t *rs = json_array();
    for (size_t i = 0; i < o.n_impls; i++)
      json_array_append_new(rs, row_json(&rows[i]));
    json_array_append_new(m->found,
                          json_pack("{s:s, s:{s:s, s:s}, s:o}", "id", e->id, "manifest", "verdict",
                                    e->verdict, "reason", e->reason, "results", rs));
    return 0;
  }
  printf("%s  manifest  %s  %s\n", e->id, e->verdict, e->reason);
  for (size_t i = 0; i < o.n_impls; i++)
    printf("  %-9s  %-7s  %s%s%s\n", rows[i].impl, rows[i].verdict, rows[i].reason,
           rows[i].error[0] ? "  " : "", rows[i].error);
  return 0;
}

static void manifest_summary(const manifest_run *m) {
  const verify_opts *o = m->base;
  if (o->json) {
    json_t *per = json_object();
    for (size_t i = 0; i < o->n_impls; i++)
      json_object_set_new(per, o->impls[i], json_integer((json_int_t)m->against[i]));
    json_t *out = json_pack("{s:s, s:I, s:I, s:O, s:o}", "manifest", o->manifest, "chains",
                            (json_int_t)m->chains, "disagreeing", (json_int_t)m->disagreeing,
                            "disagreements", m->found, "differ_from_manifest", per);
    json_dumpf(out, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(out);
    return;
  }
  printf("summary: %zu chains, %zu with disagreements; differ from the manifest:", m->chains,
         m->disagreeing);
  for (size_t i = 0; i < o->n_impls; i++)
    printf(" %s %zu%s", o->impls[i], m->against[i], i + 1 < o->n_impls ? "," : "\n");
}

/* Every chain of the manifest: the files of CHAINS.yaml are in CHAINS/. */
static int verify_manifest(const verify_opts *o) {
  manifest_run m = {.base = o};
  size_t len = strlen(o->manifest);
  if (len < 6 || strcmp(o->manifest + len - 5, ".yaml") != 0 || len - 5 >= sizeof m.dir)
    return bad("--manifest '%s' is not a NAME.yaml file", o->manifest);
  snprintf(m.dir, sizeof m.dir, "%.*s", (int)(len - 5), o->manifest);
  FILE *f = fopen(o->manifest, "r");
  if (f == NULL)
    return bad("--manifest: cannot open '%s'", o->manifest);
  m.found = json_array();
  chain_entry e;
  char pending[128] = "";
  int rc = 0;
  while (rc == 0 && next_entry(f, &e, pending, sizeof pending))
    rc = run_entry(&m, &e);
  fclose(f);
  if (rc == 0 && m.chains == 0)
    rc = bad("--manifest '%s' has no '- id:' entries", o->manifest);
  if (rc == 0)
    manifest_summary(&m);
  json_decref(m.found);
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
