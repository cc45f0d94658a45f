/* Shared by the engine tests (engine_test.c, engine_misbehave_test.c): an engine client and
 * server in memory, with server (and client) certificates that are shells around the keys of
 * vectors/keys/ (a DER Certificate whose only meaningful field is subjectPublicKeyInfo: the
 * known-key validator looks at nothing else), and the pump that moves bytes between them. */
#ifndef TG_ENGINE_PAIR_H
#define TG_ENGINE_PAIR_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "hs_testutil.h"
#include "tg/der.h"
#include "tg/engine.h"
#include "tg/validator.h"

/* ---- Fixtures ------------------------------------------------------------------------------ */

static inline void prng_fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    out[i] = (uint8_t)(*s >> 56);
  }
}

static inline tt_buf read_file(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/keys/%s", TG_SOURCE_DIR, rel);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  uint8_t buf[8192];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return tt_copy(buf, n);
}

/* Certificate { tbsCertificate { [0] v3, serial, {}, {}, {}, {}, spki }, {}, BIT STRING } */
static inline tt_buf cert_shell(tg_bytes spki) {
  static const uint8_t head[] = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
                                 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00};
  static const uint8_t tail[] = {0x30, 0x00, 0x03, 0x01, 0x00};
  tg_writer tbs, cert;
  tg_writer_init_dynamic(&tbs, NULL);
  tg_writer_init_dynamic(&cert, NULL);
  tg_w_bytes(&tbs, head, sizeof head);
  tg_w_view(&tbs, spki);
  tg_writer body;
  tg_writer_init_dynamic(&body, NULL);
  tg_der_w_tlv(&body, TG_DER_SEQUENCE, tg_writer_bytes(&tbs));
  tg_w_bytes(&body, tail, sizeof tail);
  tg_der_w_tlv(&cert, TG_DER_SEQUENCE, tg_writer_bytes(&body));
  cr_assert_eq(tg_writer_status(&cert), TG_OK);
  tt_buf out = tt_copy(cert.buf, cert.len);
  tg_writer_free(&tbs);
  tg_writer_free(&body);
  tg_writer_free(&cert);
  return out;
}

typedef struct key_case {
  const char *name;
  const char *key_file, *spki_file;
  uint16_t scheme; /* what the server signs with, given the default lists */
} key_case;

static const key_case keys[] = {
    {"P-256", "p256.pkcs8.der", "p256.spki.der", 0x0403},
    {"P-384", "p384.pkcs8.der", "p384.spki.der", 0x0503},
    {"RSA (rsaEncryption)", "rsa2048.pkcs8.der", "rsa2048.spki.der", 0x0804},
    {"RSASSA-PSS", "rsapss2048.pkcs8.der", "rsapss2048.spki.der", 0x0809},
    {"Ed25519", "ed25519.pkcs8.der", "ed25519.spki.der", 0x0807},
};

typedef struct pair {
  uint64_t crng, srng;
  tt_buf spki, cert, other_spki;
  tg_bytes cert_view, trusted;
  tg_private_key *key;
  tg_cert_chain chain;
  tg_validator validator;
  tg_config ccfg, scfg;
  tg_conn *c, *s;
  tg_status cst, sst; /* the last feed status of each side */
  /* client authentication */
  tt_buf cspki, ccert;
  tg_bytes ccert_view, ctrusted;
  tg_private_key *ckey;
  tg_cert_chain cchain;
  tg_validator svalidator;
} pair;

/* The client gets a certificate for key k; the server requires one and trusts exactly it. */
static inline void pair_client_auth(pair *p, const key_case *k, bool present) {
  tg_err err;
  tt_buf der = read_file(k->key_file);
  cr_assert_eq(tg_private_key_load(tt_view(der), &p->ckey, &err), TG_OK, "%s", err.what);
  tt_free(&der);
  p->cspki = read_file(k->spki_file);
  p->ccert = cert_shell(tt_view(p->cspki));
  p->ccert_view = tt_view(p->ccert);
  p->ctrusted = tt_view(p->cspki);
  p->cchain = (tg_cert_chain){&p->ccert_view, 1, p->ckey};
  tg_known_key_validator_init(&p->svalidator, &p->ctrusted);
  p->scfg.require_client_cert = true;
  p->scfg.validator = &p->svalidator;
  if (present)
    p->ccfg.chain = &p->cchain;
}

/* Configurations for the key; the connections are made by pair_start. */
static inline void pair_init(pair *p, const key_case *k) {
  tg_err err;
  memset(p, 0, sizeof *p);
  p->crng = 11;
  p->srng = 22;
  tt_buf der = read_file(k->key_file);
  cr_assert_eq(tg_private_key_load(tt_view(der), &p->key, &err), TG_OK, "%s: %s", k->name,
               err.what);
  tt_free(&der);
  p->spki = read_file(k->spki_file);
  p->cert = cert_shell(tt_view(p->spki));
  p->cert_view = tt_view(p->cert);
  p->trusted = tt_view(p->spki);
  p->chain = (tg_cert_chain){&p->cert_view, 1, p->key};
  tg_known_key_validator_init(&p->validator, &p->trusted);
  p->ccfg = (tg_config){.validator = &p->validator, .rng = {prng_fill, &p->crng}};
  p->scfg = (tg_config){.chain = &p->chain, .rng = {prng_fill, &p->srng}};
}

static inline void pair_start(pair *p) {
  tg_err err;
  p->c = tg_conn_new(&p->ccfg, false, &err);
  cr_assert_not_null(p->c, "%s", err.what);
  p->s = tg_conn_new(&p->scfg, true, &err);
  cr_assert_not_null(p->s, "%s", err.what);
  cr_assert_eq(tg_conn_start(p->c), TG_OK, "%s", tg_conn_info(p->c)->err.what);
}

static inline void pair_free(pair *p) {
  tg_conn_free(p->c);
  tg_conn_free(p->s);
  tg_private_key_free(p->key);
  tt_free(&p->spki);
  tt_free(&p->cert);
  tt_free(&p->other_spki);
  tg_private_key_free(p->ckey);
  tt_free(&p->cspki);
  tt_free(&p->ccert);
}

/* Moves bytes both ways until neither side has anything to send. */
static inline void pump(pair *p) {
  for (int round = 0; round < 64; round++) {
    tg_bytes co = tg_conn_output(p->c), so = tg_conn_output(p->s);
    if (co.len == 0 && so.len == 0)
      return;
    if (co.len) {
      tt_buf copy = tt_copy(co.p, co.len); /* exact size: over-reads are ASan reports */
      tg_conn_output_consumed(p->c, co.len);
      p->sst = tg_conn_feed(p->s, tt_view(copy));
      tt_free(&copy);
    }
    if (so.len) {
      tt_buf copy = tt_copy(so.p, so.len);
      tg_conn_output_consumed(p->s, so.len);
      p->cst = tg_conn_feed(p->c, tt_view(copy));
      tt_free(&copy);
    }
  }
  cr_assert_fail("the connections never went quiet");
}

static inline void expect_established(pair *p) {
  const struct tg_conn_info *ci = tg_conn_info(p->c), *si = tg_conn_info(p->s);
  cr_assert_eq(ci->phase, TG_PHASE_ESTABLISHED, "client: %s", ci->err.what);
  cr_assert_eq(si->phase, TG_PHASE_ESTABLISHED, "server: %s", si->err.what);
  cr_expect_eq(ci->cipher_suite, si->cipher_suite);
  cr_expect_eq(ci->group, si->group);
  cr_expect_eq(ci->version, TG_VERSION_TLS13);
}

/* n bytes from one side arrive intact at the other. */
static inline void transfer(pair *p, tg_conn *from, tg_conn *to, size_t n) {
  uint8_t *data = malloc(n), *got = malloc(n);
  for (size_t i = 0; i < n; i++)
    data[i] = (uint8_t)(i * 7 + (i >> 8));
  cr_assert_eq(tg_conn_write(from, tg_bytes_of(data, n)), TG_OK);
  pump(p);
  size_t total = 0, k;
  while ((k = tg_conn_read(to, got + total, n - total)) > 0)
    total += k;
  cr_expect_eq(total, n, "received %zu of %zu bytes", total, n);
  cr_expect(memcmp(data, got, n) == 0, "application data corrupted");
  uint8_t extra;
  cr_expect_eq(tg_conn_read(to, &extra, 1), 0, "more data than was sent");
  free(data);
  free(got);
}

/* What c has queued, taken (the caller's side of tg_conn_output). */
static inline tt_buf take_output(tg_conn *c) {
  tt_buf b = tt_copy(tg_conn_output(c).p, tg_conn_output(c).len);
  tg_conn_output_consumed(c, b.len);
  return b;
}

/* The side that must send `alert` did, and the other side received it. */
static inline void expect_alert(tg_conn *sender, tg_conn *receiver, int alert, const char *what) {
  const struct tg_conn_info *si = tg_conn_info(sender), *ri = tg_conn_info(receiver);
  cr_expect_eq(si->phase, TG_PHASE_FAILED, "%s: the sender did not fail", what);
  cr_expect_eq(si->alert_sent, alert, "%s: sent %s, want %s (%s)", what,
               tg_alert_name((unsigned)si->alert_sent), tg_alert_name((unsigned)alert),
               si->err.what);
  cr_expect_eq(ri->alert_received, alert, "%s: received %d", what, ri->alert_received);
  cr_expect_eq(ri->phase, TG_PHASE_FAILED, "%s: the receiver did not fail", what);
}

/* Replaces the first occurrence of `from` in w with `to` (same length). */
static inline bool replace(tg_writer *w, const uint8_t *from, const uint8_t *to, size_t n) {
  for (size_t i = 0; i + n <= w->len; i++) {
    if (memcmp(w->buf + i, from, n) == 0) {
      memcpy(w->buf + i, to, n);
      return true;
    }
  }
  return false;
}
/* ---- Helpers for HelloRetryRequest and middlebox compatibility tests ------------------------- */

/* The server takes only secp256r1; the client sends a share for x25519 only (and lists
 * secp256r1 in supported_groups). */
static inline void pair_force_hrr(pair *p) {
  static const uint8_t server_groups[] = {0x00, 0x17};
  p->scfg.groups = tg_bytes_of(server_groups, sizeof server_groups);
}

/* The number of records of `type` in a stream of plaintext record headers and bodies. */
static inline size_t count_records(tg_bytes stream, uint8_t type) {
  tg_reader r;
  size_t n = 0;
  tg_reader_init(&r, stream.p, stream.len, NULL);
  while (tg_left(&r) > 0) {
    uint8_t t;
    uint16_t v;
    tg_reader body;
    cr_assert_eq(tg_read_u8(&r, &t, "type"), TG_OK);
    cr_assert_eq(tg_read_u16(&r, &v, "version"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &body, "fragment"), TG_OK);
    n += t == type;
  }
  return n;
}

#endif
