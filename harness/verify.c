/* tlsgauntlet verify: the built-in X.509 validator's verdict on one certificate chain, with its
 * reason and the path it built. Reference implementations join in the peers issue. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

static const char verify_usage[] =
    "usage: tlsgauntlet verify --trust PEM [--untrusted PEM] [--name HOST] [--time ISO8601]\n"
    "                          [--purpose server|client] [--peer builtin] [--json] LEAF.pem\n"
    "\n"
    "Validates LEAF (PEM or DER; more certificates after the first one in a PEM file are\n"
    "untrusted intermediates) against the trust anchors and prints the verdict, the reason\n"
    "and the path built.\n"
    "\n"
    "  --trust PEM       trust anchors (CERTIFICATE blocks); may be repeated\n"
    "  --untrusted PEM   intermediates the peer would send; may be repeated\n"
    "  --name HOST       DNS name or IP address the leaf must be for\n"
    "  --time T          verification time, YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or @SECONDS;\n"
    "                    default: now\n"
    "  --purpose P       server (default) or client: the extKeyUsage required\n"
    "  --peer NAME       the implementation: builtin (others are not available yet)\n"
    "  --json            print JSON instead of text\n"
    "\n"
    "Exit status: 0 valid, 1 invalid, 2 bad usage or bad input.\n";

typedef struct verify_opts {
  const char *trust[16], *untrusted[16];
  size_t n_trust, n_untrusted;
  const char *name, *leaf_path, *time_arg;
  int64_t now;
  tg_cert_purpose purpose;
  int json;
} verify_opts;

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static int parse_time(const char *s, int64_t *out) {
  int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
  long long at;
  if (sscanf(s, "@%lld%n", &at, &n) == 1 && s[n] == '\0') {
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
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*rest != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
      sec > 59 || h < 0 || mi < 0 || sec < 0)
    return -1;
  *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + (int64_t)h * 3600 +
         (int64_t)mi * 60 + sec;
  return 0;
}

static int bad(const char *fmt, const char *arg) {
  fputs("tlsgauntlet verify: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return EXIT_BAD_INPUT;
}

static int parse_args(int argc, char **argv, verify_opts *o) {
  static const struct option opts[] = {{"trust", required_argument, NULL, 't'},
                                       {"untrusted", required_argument, NULL, 'u'},
                                       {"name", required_argument, NULL, 'n'},
                                       {"time", required_argument, NULL, 'T'},
                                       {"purpose", required_argument, NULL, 'p'},
                                       {"peer", required_argument, NULL, 'P'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
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
      if (strcmp(optarg, "builtin") != 0)
        return bad("--peer '%s' is not available yet (only builtin)", optarg);
      break;
    case 'j': o->json = 1; break;
    case 'h': fputs(verify_usage, stdout); return -1;
    default: fputs(verify_usage, stderr); return EXIT_BAD_INPUT;
    }
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

static void print_json(const verify_opts *o, const tg_x509_verify_result *res, const tg_err *err) {
  char t[32];
  tg_x509_format_time(o->now, t, sizeof t);
  json_t *out = json_pack(
      "{s:s, s:s?, s:s, s:s, s:[o]}", "leaf", o->leaf_path, "name", o->name, "time", t, "purpose",
      o->purpose == TG_PURPOSE_CLIENT ? "client" : "server", "results", json_result(res, err));
  json_dumpf(out, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(out);
}

static int run(const verify_opts *o, tg_x509_store *anchors, tg_x509_store *chain) {
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
  if (o->json)
    print_json(o, &res, &err);
  else
    print_text(&res, &err);
  return st == TG_OK ? EXIT_OK : EXIT_UNEXPECTED;
}

int cmd_verify(int argc, char **argv) {
  verify_opts o = {.now = (int64_t)time(NULL), .purpose = TG_PURPOSE_SERVER};
  int rc = parse_args(argc, argv, &o);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  tg_x509_store anchors, chain;
  tg_x509_store_init(&anchors);
  tg_x509_store_init(&chain);
  /* The leaf first: the chain store holds it at index 0, intermediates after it. A leaf that is
   * a certificate the parser rejects is a verdict (invalid, malformed), not bad input. */
  tg_err leaf_err;
  rc = load_err(&chain, o.leaf_path, 0, &leaf_err);
  if (rc != 0 && leaf_err.alert == TG_ALERT_bad_certificate) {
    tg_x509_verify_result res = {.reason = TG_X509_MALFORMED};
    if (o.json)
      print_json(&o, &res, &leaf_err);
    else
      print_text(&res, &leaf_err);
    rc = EXIT_UNEXPECTED;
    goto done;
  }
  for (size_t i = 0; rc == 0 && i < o.n_untrusted; i++)
    rc = load(&chain, o.untrusted[i], 1);
  for (size_t i = 0; rc == 0 && i < o.n_trust; i++)
    rc = load(&anchors, o.trust[i], 1);
  if (rc == 0)
    rc = run(&o, &anchors, &chain);
done:
  tg_x509_store_free(&anchors);
  tg_x509_store_free(&chain);
  return rc;
}
