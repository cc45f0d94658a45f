/* fuzz_x509_diff: one chain, one time and one name, validated by the built-in X.509 validator
 * (tg_x509_verify), GnuTLS (gnutls_x509_trust_list_verify_crt2) and BoringSSL (X509_verify_cert)
 * in one process. The oracle: each library accepts where the built-in validator accepts and
 * rejects where it rejects, unless fuzz/x509_diff_allowlist.yaml explains that library's
 * deviation (x509_diff_allowlist.h: per library, per pair of verdicts, with facts about the
 * chain that must hold); a deviation no entry explains aborts. Which reasons two rejections
 * give is not compared (the libraries report the first failure they meet, in different orders).
 * The allowlist is compiled in: a fuzz target reads no files.
 *
 * The input:
 *   uint8  flags;          bit 0: re-sign mode (below); bit 1: purpose client (else server)
 *   uint32 time;           seconds after 2000-01-01T00:00:00Z, big-endian
 *   uint8  name_len;       0: no name check; else the DNS name or IP literal that follows
 *   opaque name[name_len];
 *   struct { uint16 len; opaque der[len]; } certs[2..6];   leaf first, the trust anchor last
 * In re-sign mode each blob is a TBSCertificate that this target signs with a fixed Ed25519 key
 * (vectors/keys/ed25519.pkcs8.der), so a mutated TBS keeps a good signature whenever its
 * issuer's key is that key: the validators' path checks are reached instead of all three
 * stopping at the signature. fuzz/x509_diff_seeds.py makes the seeds of both modes.
 *
 * The libraries are asked by the verify adapters' own code under --profile rfc5280
 * (peers/x509_check_gnutls.c, peers/x509_check_sslapi.c): the host name and purpose as typed data
 * or X509_VERIFY_PARAM, the time injected, BoringSSL's default host flags (a CN fallback when the
 * leaf has no dNSName), X509_V_FLAG_PARTIAL_CHAIN when the anchor is not self-signed (as
 * `openssl verify -partial_chain`), GnuTLS's flags 0. Only the anchor and the malformed rules are
 * this target's: one anchor (the last blob), and any blob a library refuses is its "malformed".
 *
 * Built with TG_X509_DIFF_NO_BORINGSSL (CMake does so when BoringSSL's headers or libcrypto are
 * missing, as in the OSS-Fuzz/ClusterFuzzLite builder image), it compares the built-in validator
 * and GnuTLS only: BoringSSL's deviations are then not judged. The first input prints which
 * libraries the target compares. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <yaml.h>
#ifndef TG_X509_DIFF_NO_BORINGSSL
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509_check_sslapi.h" /* peers/: how the adapter asks BoringSSL */
#define WITH_BORINGSSL true
#define LIBRARIES "built-in, GnuTLS, BoringSSL"
#else
#define WITH_BORINGSSL false
#define LIBRARIES "built-in, GnuTLS (built without BoringSSL: TG_X509_DIFF_NO_BORINGSSL)"
#endif

#include "fuzz_common.h"
#include "tg/der.h"
#include "tg/sig.h"
#include "tg/x509_verify.h"
#include "x509_check_gnutls.h" /* peers/: how the adapter asks GnuTLS */
#include "x509_reasons.h"      /* peers/: the library-error-to-reason maps */

#include "x509_diff_allowlist.h"
#include "x509_diff_allowlist.inc" /* x509_diff_allowlist_yaml[]: made by CMake from the .yaml */

#define MAX_CERTS 6
#define TIME_BASE 946684800 /* 2000-01-01T00:00:00Z */

typedef struct diff_input {
  bool client;
  bool leaf_is_anchor; /* the first and last blobs are the same bytes */
  unsigned facts;      /* xda_fact bits (x509_diff_facts) */
  int64_t now;
  char name[256];
  bool has_name;
  tg_bytes der[MAX_CERTS];
  size_t n;
} diff_input;

typedef struct verdict {
  bool ok;
  const char *reason; /* tg_x509_reason_name's vocabulary; "ok" when ok */
  char detail[256];   /* the library's own words, for the abort message */
} verdict;

/* ---- The input --------------------------------------------------------------------------------
 */

/* vectors/keys/ed25519.pkcs8.der: the re-signing key. */
static const uint8_t key_der[] = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    0xf8, 0xf6, 0xac, 0x87, 0xb6, 0x0a, 0xc8, 0x3d, 0x1e, 0x07, 0xfd, 0x91, 0x91, 0x9d, 0x4e, 0x7d,
    0xf0, 0x10, 0xb4, 0x38, 0x5d, 0x38, 0x8f, 0x0b, 0x0b, 0x41, 0x4b, 0xd8, 0x32, 0xbb, 0x4a, 0x1e};
static tg_private_key *key;

static void no_rng(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  memset(out, 0x42, len); /* Ed25519 draws nothing; never reached */
}

/* Certificate ::= SEQUENCE { tbs, AlgorithmIdentifier { id-Ed25519 }, BIT STRING signature }
 * (RFC 5280 §4.1, RFC 8410 §3). */
static void resign(tg_bytes tbs, tg_writer *out) {
  static const uint8_t alg[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};
  uint8_t sig_buf[1 + 64];
  tg_writer sig, body;
  tg_err err = {0};
  tg_rng rng = {no_rng, NULL};
  tg_writer_init(&sig, sig_buf, sizeof sig_buf, &err);
  tg_w_bytes(&sig, "\x00", 1); /* no unused bits */
  TG_FUZZ_ASSERT(tg_sig_sign(&tg_ed25519, key, &rng, tbs, &sig, &err) == TG_OK, "sign: %s",
                 err.what);
  tg_writer_init_dynamic(&body, &err);
  tg_w_bytes(&body, tbs.p, tbs.len);
  tg_w_bytes(&body, alg, sizeof alg);
  tg_der_w_tlv(&body, TG_DER_BIT_STRING, tg_writer_bytes(&sig));
  tg_der_w_tlv(out, TG_DER_SEQUENCE, tg_writer_bytes(&body));
  TG_FUZZ_ASSERT(tg_writer_status(out) == TG_OK, "resign: %s", err.what);
  tg_writer_free(&body);
}

static bool take(const uint8_t **p, const uint8_t *end, size_t n) {
  if ((size_t)(end - *p) < n)
    return false;
  *p += n;
  return true;
}

/* False when the input is too short to name a chain of two (the target then does nothing). */
static bool parse_input(const uint8_t *data, size_t size, diff_input *in, tg_writer *signed_) {
  const uint8_t *p = data, *end = data + size;
  if (!take(&p, end, 6))
    return false;
  bool resign_mode = data[0] & 1;
  in->client = data[0] & 2;
  in->now = TIME_BASE + (int64_t)((uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 |
                                  (uint32_t)data[3] << 8 | data[4]);
  size_t name_len = data[5];
  const uint8_t *name = p;
  if (!take(&p, end, name_len))
    return false;
  memcpy(in->name, name, name_len);
  in->name[name_len] = '\0';
  /* A NUL inside the name ends it for all three (C strings). */
  in->has_name = in->name[0] != '\0';
  in->n = 0;
  while (in->n < MAX_CERTS && end - p >= 2) {
    size_t len = (size_t)p[0] << 8 | p[1];
    p += 2;
    const uint8_t *der = p;
    if (!take(&p, end, len))
      return false;
    in->der[in->n] = tg_bytes_of(der, len);
    if (resign_mode) {
      resign(in->der[in->n], &signed_[in->n]);
      in->der[in->n] = tg_writer_bytes(&signed_[in->n]);
    }
    in->n++;
  }
  in->leaf_is_anchor = in->n >= 2 && tg_bytes_eq(in->der[0], in->der[in->n - 1]);
  return in->n >= 2;
}

static void set(verdict *v, bool ok, const char *reason, const char *detail) {
  v->ok = ok;
  v->reason = ok ? "ok" : reason;
  snprintf(v->detail, sizeof v->detail, "%s", detail ? detail : "");
}

/* ---- The built-in validator -------------------------------------------------------------------
 */

/* The facts an allowlist entry may require (x509_diff_allowlist.h), from each certificate the
 * built-in parser accepts on its own: a fact about a certificate it refuses is false. */
static bool cn_without_dns(const tg_x509_cert *leaf) {
  tg_bytes cn;
  if (!tg_x509_name_find(&leaf->subject, &TG_OID_commonName, &cn))
    return false;
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_gn_iter_init(&it,
                       leaf->has_subject_alt_name ? leaf->subject_alt_name : tg_bytes_of(NULL, 0));
  while (tg_x509_gn_next(&it, &gn))
    if (gn.type == TG_GN_dNSName)
      return false;
  return true;
}

static bool weak_signature(const tg_x509_cert *c) {
  return c->sig_alg == TG_X509_SIG_md5WithRSAEncryption ||
         c->sig_alg == TG_X509_SIG_sha1WithRSAEncryption ||
         c->sig_alg == TG_X509_SIG_ecdsa_with_SHA1;
}

/* One attribute value as RFC 5280 7.1 compares it, approximately: a string type's value with
 * ASCII case folded, leading, trailing and repeated spaces dropped, its type forgotten. */
static size_t fold_value(const tg_x509_attr *a, char *out, size_t cap) {
  bool string = a->tag == TG_DER_UTF8String || a->tag == TG_DER_PrintableString ||
                a->tag == TG_DER_T61String || a->tag == TG_DER_IA5String;
  size_t n = 0;
  if (!string && n < cap)
    out[n++] = (char)a->tag;
  for (size_t i = 0; i < a->value.len && n < cap; i++) {
    uint8_t c = a->value.p[i];
    if (string && c == ' ' && (n == 0 || out[n - 1] == ' '))
      continue;
    out[n++] = (char)(string && c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  if (string && n > 0 && out[n - 1] == ' ')
    n--;
  return n;
}

/* x's RDNs begin y, compared as names_fold_equal compares (equal when prefix is false). */
static bool names_fold_match(const tg_x509_name *x, const tg_x509_name *y, bool prefix) {
  tg_x509_name_iter ix, iy;
  tg_x509_attr ax, ay;
  char vx[256], vy[256];
  tg_x509_name_iter_init(&ix, x);
  tg_x509_name_iter_init(&iy, y);
  for (;;) {
    bool more_x = tg_x509_name_next(&ix, &ax), more_y = tg_x509_name_next(&iy, &ay);
    if (!more_x || !more_y)
      return more_x == more_y || (prefix && !more_x);
    if (ax.rdn != ay.rdn || !tg_bytes_eq(ax.type, ay.type))
      return false;
    size_t nx = fold_value(&ax, vx, sizeof vx), ny = fold_value(&ay, vy, sizeof vy);
    if (nx != ny || memcmp(vx, vy, nx) != 0)
      return false;
  }
}

/* A directoryName subtree of issuer's nameConstraints begins subject's name only when folded. */
static bool dirname_folded(const tg_x509_cert *issuer, const tg_x509_name *subject) {
  tg_bytes trees[2] = {issuer->permitted_subtrees, issuer->excluded_subtrees};
  for (size_t t = 0; t < 2 && issuer->has_name_constraints; t++) {
    tg_x509_gn_iter it;
    tg_x509_general_name gn;
    tg_x509_subtrees_iter_init(&it, trees[t]);
    while (tg_x509_gn_next(&it, &gn)) {
      tg_bytes base = gn.name.rdns, rdns = subject->rdns;
      bool bytewise =
          base.len == 0 || (base.len <= rdns.len && memcmp(base.p, rdns.p, base.len) == 0);
      if (gn.type == TG_GN_directoryName && !bytewise && names_fold_match(&gn.name, subject, true))
        return true;
    }
  }
  return false;
}

static bool unknown_extension(const tg_x509_cert *c) {
  tg_x509_ext_iter it;
  tg_x509_ext ext;
  tg_x509_ext_iter_init(&it, c);
  while (tg_x509_ext_next(&it, &ext))
    if (ext.kind == TG_X509_EXT_unknown)
      return true;
  return false;
}

static bool unusual_tag(const tg_x509_name *name) {
  static const uint8_t strings[] = {0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e};
  tg_x509_name_iter it;
  tg_x509_attr a;
  tg_x509_name_iter_init(&it, name);
  while (tg_x509_name_next(&it, &a))
    if (memchr(strings, a.tag, sizeof strings) == NULL)
      return true;
  return false;
}

static unsigned x509_diff_facts(const diff_input *in) {
  tg_x509_cert c[MAX_CERTS];
  bool parsed[MAX_CERTS];
  unsigned f = 0;
  size_t last = in->n - 1;
  for (size_t i = 0; i < in->n; i++) {
    tg_err err = {0};
    parsed[i] = tg_x509_parse(in->der[i], &c[i], &err) == TG_OK;
  }
  if (in->leaf_is_anchor)
    f |= XDA_LEAF_IS_ANCHOR;
  for (size_t i = 1; i < in->n; i++)
    for (size_t j = i + 1; j < in->n; j++)
      if (parsed[i] && parsed[j] && names_fold_match(&c[i].subject, &c[j].subject, false))
        f |= XDA_ISSUER_CANDIDATES;
  for (size_t i = 0; i + 1 < in->n; i++)
    for (size_t j = i + 1; j < in->n; j++)
      if (parsed[i] && parsed[j] && !tg_bytes_eq(c[i].issuer.raw, c[j].subject.raw) &&
          names_fold_match(&c[i].issuer, &c[j].subject, false))
        f |= XDA_ISSUER_NAME_FOLDED;
  for (size_t i = 0; i + 1 < in->n; i++)
    for (size_t j = i + 1; j < in->n; j++)
      if (parsed[i] && parsed[j] && dirname_folded(&c[j], &c[i].subject))
        f |= XDA_DIRNAME_CONSTRAINT_FOLDED;
  for (size_t i = 0; i < in->n; i++)
    if (parsed[i] && unknown_extension(&c[i]))
      f |= XDA_UNKNOWN_EXTENSION;
  for (size_t i = 0; i < in->n; i++)
    if (parsed[i] && c[i].key_type == TG_KEY_NONE)
      f |= XDA_UNKNOWN_KEY;
  for (size_t i = 0; i < in->n; i++)
    if (parsed[i] && (unusual_tag(&c[i].issuer) || unusual_tag(&c[i].subject)))
      f |= XDA_NAME_VALUE_UNUSUAL_TAG;
  if (parsed[0] && cn_without_dns(&c[0]))
    f |= XDA_LEAF_CN_NO_DNS;
  if (parsed[0] && c[0].has_key_usage && !(c[0].key_usage & TG_KU_digitalSignature))
    f |= XDA_LEAF_KU_NO_DS;
  if (parsed[last] && !tg_bytes_eq(c[last].issuer.raw, c[last].subject.raw))
    f |= XDA_ANCHOR_NOT_SELF_ISSUED;
  size_t first_unparsed = 0;
  while (first_unparsed < in->n && parsed[first_unparsed])
    first_unparsed++;
  if (first_unparsed > 0 && first_unparsed < last)
    f |= XDA_INTERMEDIATE_UNPARSED;
  bool issuers_ca = true;
  for (size_t i = 1; i < last; i++)
    issuers_ca &= parsed[i] && c[i].has_basic_constraints && c[i].ca;
  if (parsed[last] && !(c[last].has_basic_constraints && c[last].ca) && issuers_ca)
    f |= XDA_ANCHOR_NOT_CA;
  if (parsed[last] && c[last].has_path_len)
    f |= XDA_ANCHOR_PATH_LEN;
  /* The others: the leaf and the intermediates a path from it can reach by name (a decoy no
   * certificate names as its issuer is on no path, whatever its extensions). */
  bool reach[MAX_CERTS] = {true};
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 1; i < last; i++)
      for (size_t j = 0; j < last && !reach[i]; j++)
        if (reach[j] && parsed[i] && parsed[j] && tg_x509_name_eq(&c[j].issuer, &c[i].subject))
          reach[i] = grew = true;
  }
  bool others_critical = false;
  for (size_t i = 0; i < last; i++)
    others_critical |= (i == 0 || reach[i]) && (!parsed[i] || c[i].unknown_critical);
  if (parsed[last] && c[last].unknown_critical && !others_critical)
    f |= XDA_ANCHOR_UNKNOWN_CRITICAL;
  for (size_t i = 1; i < last; i++)
    if (parsed[i] && c[i].version == 1)
      f |= XDA_V1_INTERMEDIATE;
  if (parsed[last] && c[last].version == 1)
    f |= XDA_ANCHOR_V1;
  for (size_t i = 0; i < in->n; i++)
    if (parsed[i] && weak_signature(&c[i]))
      f |= XDA_WEAK_SIGNATURE;
  if (in->has_name && in->name[strlen(in->name) - 1] == '.')
    f |= XDA_NAME_TRAILING_DOT;
  return f;
}

static void run_builtin(diff_input *in, verdict *v) {
  tg_x509_cert certs[MAX_CERTS];
  const tg_x509_cert *untrusted[MAX_CERTS];
  tg_err err = {0};
  for (size_t i = 0; i < in->n; i++) {
    if (tg_x509_parse(in->der[i], &certs[i], &err) != TG_OK) {
      /* Which certificate: an allowlist entry may name it (0 the leaf). */
      set(v, false, "malformed", NULL);
      snprintf(v->detail, sizeof v->detail, "certificate %u: %.170s", (unsigned)i, err.what);
      return;
    }
    untrusted[i] = &certs[i];
  }
  tg_x509_store anchors;
  tg_x509_store_init(&anchors);
  if (tg_x509_store_add_der(&anchors, in->der[in->n - 1], &err) != TG_OK) {
    set(v, false, "malformed", err.what);
    tg_x509_store_free(&anchors);
    return;
  }
  tg_x509_verify_params p = {.anchors = &anchors,
                             .untrusted = untrusted + 1,
                             .untrusted_count = in->n - 2,
                             .name = in->has_name ? in->name : NULL,
                             .now = in->now,
                             .purpose = in->client ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER};
  tg_x509_verify_result res;
  tg_status st = tg_x509_verify(&certs[0], &p, &res, &err);
  tg_fuzz_check_err(st, &err);
  set(v, st == TG_OK, tg_x509_reason_name(res.reason), err.what);
  tg_x509_store_free(&anchors);
}

/* ---- GnuTLS ------------------------------------------------------------------------------------
 */

static int gnutls_import(tg_bytes der, gnutls_x509_crt_t *crt) {
  gnutls_datum_t d = {(unsigned char *)der.p, (unsigned)der.len};
  int rc = gnutls_x509_crt_init(crt);
  if (rc < 0)
    return rc;
  if ((rc = gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER)) < 0)
    gnutls_x509_crt_deinit(*crt);
  return rc;
}

/* What every library is asked (peers/x509_check.h): the input's name, purpose and time, the
 * rfc5280 profile. */
static x509_check_in check_in(const diff_input *in) {
  return (x509_check_in){.name = in->has_name ? in->name : NULL,
                         .client = in->client,
                         .now = (int64_t)in->now,
                         .profile = TG_X509_PROFILE_RFC5280};
}

static void set_checked(verdict *v, const x509_check_out *out) {
  set(v, out->valid, out->valid ? "ok" : out->reason, out->valid ? NULL : out->detail);
}

/* The anchor in a trust list, then the adapter's check (peers/x509_check_gnutls.c). */
static void gnutls_check(const diff_input *in, gnutls_x509_crt_t *chain, gnutls_x509_crt_t ca,
                         verdict *v) {
  gnutls_x509_trust_list_t tl;
  TG_FUZZ_ASSERT(gnutls_x509_trust_list_init(&tl, 0) >= 0, "gnutls_x509_trust_list_init");
  /* The list owns the anchor from here (freed by trust_list_deinit(tl, 1)). */
  if (gnutls_x509_trust_list_add_cas(tl, &ca, 1, 0) != 1) {
    set(v, false, "other", "gnutls_x509_trust_list_add_cas refused the anchor");
    gnutls_x509_trust_list_deinit(tl, 1);
    return;
  }
  x509_check_in ci = check_in(in);
  x509_check_out out;
  x509_check_gnutls(chain, (unsigned)in->n - 1, tl, &ci, &out);
  gnutls_x509_trust_list_deinit(tl, 1);
  set_checked(v, &out);
}

static void run_gnutls(const diff_input *in, verdict *v) {
  gnutls_x509_crt_t chain[MAX_CERTS], ca;
  size_t n = 0;
  int rc = 0;
  while (n + 1 < in->n && (rc = gnutls_import(in->der[n], &chain[n])) >= 0)
    n++;
  if (n + 1 == in->n && (rc = gnutls_import(in->der[n], &ca)) >= 0)
    gnutls_check(in, chain, ca, v);
  else
    set(v, false, "malformed", gnutls_strerror(rc));
  for (size_t i = 0; i < n; i++)
    gnutls_x509_crt_deinit(chain[i]);
}

/* ---- BoringSSL ---------------------------------------------------------------------------------
 */

#ifdef TG_X509_DIFF_NO_BORINGSSL
static void run_bssl(const diff_input *in, verdict *v) {
  (void)in;
  set(v, false, "absent", "not built in");
}
#else

/* One DER certificate, all of the bytes: trailing bytes after it are malformed, as for the
 * other two. */
static X509 *bssl_import(tg_bytes der) {
  const uint8_t *p = der.p;
  X509 *x = d2i_X509(NULL, &p, (long)der.len);
  if (x != NULL && p != der.p + der.len) {
    X509_free(x);
    x = NULL;
  }
  return x;
}

/* Leaf, untrusted and the one anchor as stacks, then the adapter's check
 * (peers/x509_check_sslapi.c). */
static void bssl_check(const diff_input *in, X509 **x, verdict *v) {
  STACK_OF(X509) *untrusted = sk_X509_new_null(), *anchors = sk_X509_new_null();
  TG_FUZZ_ASSERT(untrusted && anchors, "BoringSSL: out of memory");
  for (size_t i = 1; i + 1 < in->n; i++)
    sk_X509_push(untrusted, x[i]);
  sk_X509_push(anchors, x[in->n - 1]);
  x509_check_in ci = check_in(in);
  x509_check_out out;
  x509_check_sslapi(x[0], untrusted, anchors, &ci, &out);
  TG_FUZZ_ASSERT(out.done, "BoringSSL: the X509_STORE could not be set up");
  set_checked(v, &out);
  sk_X509_free(untrusted);
  sk_X509_free(anchors);
}

static void run_bssl(const diff_input *in, verdict *v) {
  X509 *x[MAX_CERTS];
  size_t n = 0;
  while (n < in->n && (x[n] = bssl_import(in->der[n])) != NULL)
    n++;
  if (n == in->n)
    bssl_check(in, x, v);
  else
    set(v, false, "malformed", "d2i_X509 failed or left trailing bytes");
  for (size_t i = 0; i < n; i++)
    X509_free(x[i]);
  ERR_clear_error();
}
#endif

/* ---- The target --------------------------------------------------------------------------------
 */

static xda_list allowlist;

static void setup(void) {
  static bool done;
  if (done)
    return;
  tg_err err = {0};
  TG_FUZZ_ASSERT(tg_private_key_from_der(tg_bytes_of(key_der, sizeof key_der), TG_KEY_FORMAT_AUTO,
                                         &key, &err) == TG_OK,
                 "key: %s", err.what);
  char why[256];
  TG_FUZZ_ASSERT(xda_load(&allowlist, x509_diff_allowlist_yaml, sizeof x509_diff_allowlist_yaml - 1,
                          why, sizeof why),
                 "%s", why);
  fprintf(stderr, "fuzz_x509_diff: comparing " LIBRARIES "\n");
  done = true;
}

static void hex_chain(const diff_input *in) {
  for (size_t i = 0; i < in->n; i++) {
    fprintf(stderr, "  cert %zu (%zu octets): ", i, in->der[i].len);
    for (size_t j = 0; j < in->der[i].len && j < 48; j++)
      fprintf(stderr, "%02x", in->der[i].p[j]);
    fprintf(stderr, in->der[i].len > 48 ? "...\n" : "\n");
  }
}

static xda_verdict xda_of(const verdict *v) { return (xda_verdict){v->ok, v->reason, v->detail}; }

/* Aborts when a library deviates from the built-in verdict and no allowlist entry explains it;
 * the message names, for each library, its verdict and the entry that explains it, if any. */
static void judge(diff_input *in, const verdict *b, const verdict *g, const verdict *s) {
  xda_case c = {.builtin = xda_of(b),
                .lib = {xda_of(g), xda_of(s)},
                .compared = {true, WITH_BORINGSSL},
                .name = in->has_name ? in->name : ""};
  if (!xda_deviates(&c, XDA_GNUTLS) && !xda_deviates(&c, XDA_BORINGSSL))
    return;
  c.facts = in->facts = x509_diff_facts(in);
  int lib = xda_unexplained(&allowlist, &c);
  if (lib < 0)
    return;
  /* The first line is the new deviation's class: scripts/fuzz-overnight files one crash per
   * class. */
  fprintf(stderr,
          "fuzz_x509_diff: new deviation: %s=%s where builtin=%s\n"
          "  name: %s\n  time: %lld\n  purpose: %s\n  facts:",
          xda_library_names[lib], c.lib[lib].reason, b->reason, c.name[0] ? c.name : "(none)",
          (long long)in->now, in->client ? "client" : "server");
  for (unsigned f = 1; f != 0; f <<= 1)
    if (c.facts & f)
      fprintf(stderr, " %s", xda_fact_name(f));
  fprintf(stderr, "\n  builtin: %s (%s)\n", b->reason, b->detail);
  for (int i = 0; i < XDA_LIBRARIES; i++) {
    const xda_entry *e = xda_explain(&allowlist, &c, i);
    fprintf(stderr, "  %s: %s (%s)%s%s\n", xda_library_names[i], c.lib[i].reason, c.lib[i].detail,
            !c.compared[i]         ? ": not compared"
            : !xda_deviates(&c, i) ? ": agrees"
            : e                    ? ": explained by "
                                   : ": NOT EXPLAINED",
            e && xda_deviates(&c, i) ? e->id : "");
  }
  hex_chain(in);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  diff_input in;
  tg_writer signed_[MAX_CERTS];
  tg_err werr = {0};
  for (size_t i = 0; i < MAX_CERTS; i++)
    tg_writer_init_dynamic(&signed_[i], &werr);
  if (parse_input(data, size, &in, signed_)) {
    verdict b, g, s;
    run_builtin(&in, &b);
    run_gnutls(&in, &g);
    run_bssl(&in, &s);
    judge(&in, &b, &g, &s);
  }
  for (size_t i = 0; i < MAX_CERTS; i++)
    tg_writer_free(&signed_[i]);
  return 0;
}
