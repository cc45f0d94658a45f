/* The peer's Certificate is decided in one place (auth.c, tg_take_peer_certificate) for both
 * versions and both roles: the same bad certificate gets the same alert from a TLS 1.2 and a
 * TLS 1.3 client (the server's certificate) and server (the client's), with a validator and
 * without. Also request_client_cert: a CertificateRequest that does not insist. */
#include "engine_pair.h"

/* ---- Bad certificates, one defect per row ---------------------------------------------------- */

/* SubjectPublicKeyInfo { AlgorithmIdentifier { oid [, params] }, BIT STRING { 0, key } } */
static tt_buf spki_of(const uint8_t *alg, size_t alg_len, size_t key_len) {
  tg_writer algw, body, out;
  tg_writer_init_dynamic(&algw, NULL);
  tg_writer_init_dynamic(&body, NULL);
  tg_writer_init_dynamic(&out, NULL);
  tg_w_bytes(&algw, alg, alg_len);
  tg_der_w_tlv(&body, TG_DER_SEQUENCE, tg_writer_bytes(&algw));
  uint8_t key[1 + 160] = {0, 4};
  memset(key + 2, 0x5a, sizeof key - 2);
  tg_der_w_tlv(&body, TG_DER_BIT_STRING, tg_bytes_of(key, 1 + key_len));
  tg_der_w_tlv(&out, TG_DER_SEQUENCE, tg_writer_bytes(&body));
  cr_assert_eq(tg_writer_status(&out), TG_OK);
  tt_buf b = tt_copy(out.buf, out.len);
  tg_writer_free(&algw);
  tg_writer_free(&body);
  tg_writer_free(&out);
  return b;
}

/* OID 1.3.101.113 (id-Ed448, RFC 8410): a key algorithm this engine does not implement. */
static const uint8_t alg_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};
/* id-ecPublicKey on secp521r1 (1.3.132.0.35): a curve this engine's keys do not cover. */
static const uint8_t alg_p521[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
                                   0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
/* rsaEncryption without its NULL parameters (RFC 3279 §2.3.1): a corrupt key. */
static const uint8_t alg_rsa_no_null[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                          0xf7, 0x0d, 0x01, 0x01, 0x01};

typedef struct bad_cert {
  const char *name;
  const uint8_t *alg; /* NULL: the certificate itself is garbage */
  size_t alg_len, key_len;
  int alert;
} bad_cert;

static const bad_cert bad_certs[] = {
    {"Ed448 key", alg_ed448, sizeof alg_ed448, 57, TG_ALERT_unsupported_certificate},
    {"secp521r1 key", alg_p521, sizeof alg_p521, 133, TG_ALERT_unsupported_certificate},
    {"rsaEncryption without NULL parameters", alg_rsa_no_null, sizeof alg_rsa_no_null, 16,
     TG_ALERT_bad_certificate},
    {"not DER at all", NULL, 0, 0, TG_ALERT_bad_certificate},
};

/* The certificate of row b (a shell around its key, or garbage), and its SPKI for a known-key
 * validator (garbage: any bytes, the validator never gets that far). */
static void make_bad(const bad_cert *b, tt_buf *cert, tt_buf *spki) {
  static const uint8_t garbage[] = "not a certificate";
  if (b->alg == NULL) {
    *cert = tt_copy(garbage, sizeof garbage - 1);
    *spki = tt_copy(garbage, sizeof garbage - 1);
    return;
  }
  *spki = spki_of(b->alg, b->alg_len, b->key_len);
  *cert = cert_shell(tt_view(*spki));
}

static void set_version(pair *p, uint16_t v) {
  p->ccfg.min_version = p->ccfg.max_version = v;
  p->scfg.min_version = p->scfg.max_version = v;
}

/* The alert the receiver of the bad certificate sends, for one version, role and validator. */
static int alert_for(const bad_cert *b, uint16_t version, bool client_cert, bool validator) {
  pair p;
  tt_buf cert, spki;
  pair_init(&p, &keys[0]); /* P-256: the bad certificate goes out with a key that can sign */
  make_bad(b, &cert, &spki);
  tg_bytes cert_view = tt_view(cert), spki_view = tt_view(spki);
  tg_validator known;
  tg_known_key_validator_init(&known, &spki_view);
  set_version(&p, version);
  if (client_cert) {
    pair_client_auth(&p, &keys[0], true);
    p.cchain.certs = &cert_view;
    p.scfg.validator = validator ? &known : NULL;
  } else {
    p.chain.certs = &cert_view;
    p.ccfg.validator = validator ? &known : NULL;
  }
  pair_start(&p);
  pump(&p);
  tg_conn *receiver = client_cert ? p.s : p.c;
  const struct tg_conn_info *ri = tg_conn_info(receiver);
  cr_expect_eq(ri->phase, TG_PHASE_FAILED, "%s: accepted", b->name);
  int alert = ri->alert_sent;
  pair_free(&p);
  tt_free(&cert);
  tt_free(&spki);
  return alert;
}

Test(engine_auth, same_alert_in_both_versions_and_roles) {
  for (size_t i = 0; i < sizeof bad_certs / sizeof bad_certs[0]; i++) {
    const bad_cert *b = &bad_certs[i];
    for (int role = 0; role < 2; role++) {
      for (int validator = 0; validator < 2; validator++) {
        int a12 = alert_for(b, TG_VERSION_TLS12, role, validator);
        int a13 = alert_for(b, TG_VERSION_TLS13, role, validator);
        const char *who = role ? "client certificate" : "server certificate";
        const char *how = validator ? "known-key validator" : "no validator";
        cr_expect_eq(a12, a13, "%s, %s, %s: TLS 1.2 sends %s, TLS 1.3 %s", b->name, who, how,
                     tg_alert_name((unsigned)a12), tg_alert_name((unsigned)a13));
        cr_expect_eq(a13, b->alert, "%s, %s, %s: %s, want %s", b->name, who, how,
                     tg_alert_name((unsigned)a13), tg_alert_name((unsigned)b->alert));
      }
    }
  }
}

/* ---- request_client_cert --------------------------------------------------------------------- */

static void request_only(pair *p, uint16_t version, bool present) {
  pair_init(p, &keys[0]);
  set_version(p, version);
  pair_client_auth(p, &keys[0], present);
  p->scfg.require_client_cert = false;
  p->scfg.request_client_cert = true;
}

static void request_goes_on_without_one(void) {
  const uint16_t versions[] = {TG_VERSION_TLS12, TG_VERSION_TLS13};
  for (size_t i = 0; i < 2; i++) {
    pair p;
    request_only(&p, versions[i], false);
    pair_start(&p);
    pump(&p);
    const struct tg_conn_info *ci = tg_conn_info(p.c), *si = tg_conn_info(p.s);
    cr_expect_eq(si->phase, TG_PHASE_ESTABLISHED, "0x%04x server: %s", versions[i], si->err.what);
    cr_expect_eq(ci->phase, TG_PHASE_ESTABLISHED, "0x%04x client: %s", versions[i], ci->err.what);
    cr_expect(p.c->cert_requested, "0x%04x: no CertificateRequest was sent", versions[i]);
    cr_expect_eq(si->peer_sig_scheme, 0, "0x%04x: a client signature without a certificate",
                 versions[i]);
    pair_free(&p);
  }
}

static void request_verifies_one_that_is_sent(void) {
  const uint16_t versions[] = {TG_VERSION_TLS12, TG_VERSION_TLS13};
  for (size_t i = 0; i < 2; i++) {
    pair p;
    request_only(&p, versions[i], true);
    pair_start(&p);
    pump(&p);
    const struct tg_conn_info *si = tg_conn_info(p.s);
    cr_expect_eq(si->phase, TG_PHASE_ESTABLISHED, "0x%04x server: %s", versions[i], si->err.what);
    cr_expect_eq(si->peer_sig_scheme, keys[0].scheme, "0x%04x: the client's CertificateVerify",
                 versions[i]);
    pair_free(&p);
    /* The same client, a key the server does not trust: refused, not ignored. */
    request_only(&p, versions[i], true);
    tt_free(&p.other_spki);
    p.other_spki = read_file(keys[1].spki_file);
    p.ctrusted = tt_view(p.other_spki);
    pair_start(&p);
    pump(&p);
    expect_alert(p.s, p.c, TG_ALERT_unknown_ca, "untrusted client certificate");
    pair_free(&p);
  }
}

static void require_refuses_an_empty_one(void) {
  /* RFC 8446 §4.4.2.4: certificate_required; RFC 5246 §7.4.6: handshake_failure. */
  const struct {
    uint16_t version;
    int alert;
  } rows[] = {{TG_VERSION_TLS12, TG_ALERT_handshake_failure},
              {TG_VERSION_TLS13, TG_ALERT_certificate_required}};
  for (size_t i = 0; i < 2; i++) {
    pair p;
    pair_init(&p, &keys[0]);
    set_version(&p, rows[i].version);
    pair_client_auth(&p, &keys[0], false);
    pair_start(&p);
    pump(&p);
    expect_alert(p.s, p.c, rows[i].alert, "no client certificate");
    pair_free(&p);
  }
}

/* One ctest entry for the three (each entry costs a process start, seconds under ASan). */
Test(engine_auth, client_certificate_policy) {
  request_goes_on_without_one();
  request_verifies_one_that_is_sent();
  require_refuses_an_empty_one();
}
