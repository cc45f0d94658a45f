/* fuzz_server: the engine's server (Ed25519 key, client certificates optional) against a fuzzed
 * client byte stream, fed in two parts split at the input's first byte. In the fuzzer mode
 * (fuzz_engine.h) records are protected with a pass-through AEAD (engine/fuzzmode.h) and the
 * client Finished, CertificateVerify and PSK binder are not checked, so a fuzzed client reaches
 * the established state; fuzz_server_strict is the same without the fuzzer mode. Oracles as in
 * fuzz_client.c. */
#include "fuzz_engine.h"
#include "tg/der.h"
#include "tg/engine.h"

/* vectors/keys/ed25519.pkcs8.der and .spki.der */
static const uint8_t key_der[] = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    0xf8, 0xf6, 0xac, 0x87, 0xb6, 0x0a, 0xc8, 0x3d, 0x1e, 0x07, 0xfd, 0x91, 0x91, 0x9d, 0x4e, 0x7d,
    0xf0, 0x10, 0xb4, 0x38, 0x5d, 0x38, 0x8f, 0x0b, 0x0b, 0x41, 0x4b, 0xd8, 0x32, 0xbb, 0x4a, 0x1e};
static const uint8_t spki_der[] = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0x61, 0xae, 0x2b,
    0xaa, 0x2c, 0x97, 0xa0, 0x36, 0xee, 0x4d, 0x45, 0x01, 0x86, 0xb5, 0x1c, 0xea, 0x15, 0xfc,
    0x94, 0x91, 0x21, 0x8b, 0x1f, 0x87, 0xa7, 0xb7, 0xa2, 0x8e, 0x7f, 0x45, 0x39, 0x6f};

/* A certificate shell around the key: the engine only sends it. */
static tg_bytes certificate(void) {
  static uint8_t buf[256];
  static tg_bytes cert;
  if (cert.len)
    return cert;
  static const uint8_t head[] = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
                                 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00};
  uint8_t tbs_buf[128], body_buf[160];
  tg_writer tbs, body, w;
  tg_writer_init(&tbs, tbs_buf, sizeof tbs_buf, NULL);
  tg_w_bytes(&tbs, head, sizeof head);
  tg_w_bytes(&tbs, spki_der, sizeof spki_der);
  tg_writer_init(&body, body_buf, sizeof body_buf, NULL);
  tg_der_w_tlv(&body, TG_DER_SEQUENCE, tg_writer_bytes(&tbs));
  tg_w_bytes(&body, "\x30\x00\x03\x01\x00", 5);
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_der_w_tlv(&w, TG_DER_SEQUENCE, tg_writer_bytes(&body));
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "certificate shell");
  cert = tg_writer_bytes(&w);
  return cert;
}

/* A resumption PSK the server accepts when a ClientHello offers the identity
 * "tlsgauntlet-fuzz-ticket" (fuzz/dict/engine.dict) with TLS_AES_128_GCM_SHA256: in the fuzzer
 * mode the binder is not checked, so a fuzzed pre_shared_key reaches the resumed handshake. */
static const tg_ticket *resume_ticket(void) {
  static tg_ticket t;
  static const char id[] = "tlsgauntlet-fuzz-ticket";
  if (t.ticket_len == 0) {
    t.cipher_suite = 0x1301;
    t.psk_len = 32;
    memset(t.psk, 0x5a, t.psk_len);
    memcpy(t.ticket, id, sizeof id - 1);
    t.ticket_len = sizeof id - 1;
    t.ticket_lifetime = 7200;
    t.received = 1700000000 - 60; /* fixed_now() minus a minute */
  }
  return &t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static tg_private_key *key;
  static tg_bytes cert;
  tg_err err;
  if (key == NULL) {
    TG_FUZZ_ASSERT(tg_private_key_from_der(tg_bytes_of(key_der, sizeof key_der), TG_KEY_FORMAT_AUTO,
                                           &key, &err) == TG_OK,
                   "key: %s", err.what);
    cert = certificate();
  }
  uint64_t seed = 2;
  static const uint8_t alpn[] = "\x02h2\x08http/1.1";
  /* The first byte also picks options: client certificates, an HRR cookie. */
  uint8_t opts = size > 0 ? data[0] : 0;
  tg_cert_chain chain = {&cert, 1, key};
  tg_config cfg = {
      .chain = &chain,
      .alpn = tg_bytes_of(alpn, sizeof alpn - 1),
      .require_client_cert = opts & 1,
      .hrr_cookie = (opts & 2) ? tg_bytes_of("cookie", 6) : tg_bytes_of(NULL, 0),
      .rng = {fixed_fill, &seed}, /* reset for every input */
      .clock = {fixed_now, NULL},
      .resume = resume_ticket(),
  };
  tg_fuzz_engine_mode(&cfg);
  tg_conn *c = tg_conn_new(&cfg, true, &err);
  TG_FUZZ_ASSERT(c != NULL, "tg_conn_new: %s", err.what);
  size_t cut = opts >> 2;
  if (size > 0) {
    data++, size--;
  }
  if (cut > size)
    cut = size;
  tg_status st = tg_conn_feed(c, tg_bytes_of(data, cut));
  check(c, st);
  if (st == TG_OK) {
    st = tg_conn_feed(c, tg_bytes_of(data + cut, size - cut));
    check(c, st);
  }
  if (st == TG_OK && tg_conn_info(c)->phase == TG_PHASE_ESTABLISHED)
    check(c, tg_conn_write(c, tg_bytes_of("pong", 4)));
  tg_fuzz_sink += (unsigned)tg_conn_output(c).len;
  tg_conn_free(c);
  return 0;
}
