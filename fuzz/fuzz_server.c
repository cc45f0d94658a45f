/* fuzz_server: the engine's server (a P-256 key, client certificates optional) against a fuzzed
 * client byte stream, fed in two parts split at the input's first byte. The server allows TLS
 * 1.3 and TLS 1.2 (extended_master_secret optional, RFC 5077 tickets under a fixed key), so a
 * ClientHello without supported_versions gets the TLS 1.2 handshake. In the fuzzer mode
 * (fuzz_engine.h) records are protected with a pass-through AEAD (engine/fuzzmode.h) and the
 * client Finished, CertificateVerify and PSK binder are not checked, so a fuzzed client reaches
 * the established state; fuzz_server_strict is the same without the fuzzer mode. Oracles as in
 * fuzz_client.c. */
#include "fuzz_engine.h"
#include "tg/der.h"
#include "tg/engine.h"

/* vectors/keys/p256.pkcs8.der and .spki.der. P-256, not Ed25519: TLS 1.2 signs with it too
 * (ECDHE_ECDSA), and the ClientHellos of the corpus offer ecdsa_secp256r1_sha256 more often
 * than ed25519. */
static const uint8_t key_der[] = {
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02,
    0x01, 0x01, 0x04, 0x20, 0xb2, 0x39, 0xa1, 0x77, 0xd2, 0xe8, 0xb6, 0xa3, 0x4c, 0xd2, 0x02, 0x0a,
    0x16, 0x3d, 0xbd, 0xe9, 0x5f, 0x3d, 0x0a, 0x1c, 0xe6, 0x29, 0x74, 0x1f, 0xd0, 0x1d, 0x0d, 0x78,
    0x4f, 0x97, 0x82, 0x91, 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04, 0xc8, 0xdb, 0xa2, 0x10, 0xc2, 0x6f,
    0x7b, 0xb8, 0xaa, 0xab, 0xd6, 0xa8, 0x93, 0x82, 0x8f, 0x3f, 0xde, 0xb6, 0x11, 0x14, 0x35, 0xf8,
    0x85, 0xdc, 0x90, 0xb6, 0x2d, 0xaa, 0xfb, 0xa3, 0x17, 0xc2, 0xae, 0xfa, 0x32, 0xc9, 0x69, 0x47,
    0xfd, 0xa2, 0x56, 0x7b, 0x79, 0xc1, 0xe5, 0x6a, 0x93, 0x03, 0x95, 0xf5, 0x44, 0xe3, 0x5b, 0xc9,
    0xee, 0xb8, 0x55, 0x51, 0xfb, 0x01, 0x38, 0xda, 0x89, 0x7a};
static const uint8_t spki_der[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0xc8, 0xdb, 0xa2, 0x10, 0xc2,
    0x6f, 0x7b, 0xb8, 0xaa, 0xab, 0xd6, 0xa8, 0x93, 0x82, 0x8f, 0x3f, 0xde, 0xb6, 0x11, 0x14, 0x35,
    0xf8, 0x85, 0xdc, 0x90, 0xb6, 0x2d, 0xaa, 0xfb, 0xa3, 0x17, 0xc2, 0xae, 0xfa, 0x32, 0xc9, 0x69,
    0x47, 0xfd, 0xa2, 0x56, 0x7b, 0x79, 0xc1, 0xe5, 0x6a, 0x93, 0x03, 0x95, 0xf5, 0x44, 0xe3, 0x5b,
    0xc9, 0xee, 0xb8, 0x55, 0x51, 0xfb, 0x01, 0x38, 0xda, 0x89, 0x7a};

/* A certificate shell around a key (an SPKI): the engine only sends it. */
static tg_bytes cert_shell(tg_bytes spki, uint8_t *buf, size_t cap) {
  static const uint8_t head[] = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
                                 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00};
  uint8_t tbs_buf[512], body_buf[520];
  tg_writer tbs, body, w;
  tg_writer_init(&tbs, tbs_buf, sizeof tbs_buf, NULL);
  tg_w_bytes(&tbs, head, sizeof head);
  tg_w_view(&tbs, spki);
  tg_writer_init(&body, body_buf, sizeof body_buf, NULL);
  tg_der_w_tlv(&body, TG_DER_SEQUENCE, tg_writer_bytes(&tbs));
  tg_w_bytes(&body, "\x30\x00\x03\x01\x00", 5);
  tg_writer_init(&w, buf, cap, NULL);
  tg_der_w_tlv(&w, TG_DER_SEQUENCE, tg_writer_bytes(&body));
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "certificate shell");
  return tg_writer_bytes(&w);
}

/* The server's chain: the shell around spki_der and key_der, made once. */
static const tg_cert_chain *server_chain(void) {
  static tg_bytes cert;
  static tg_cert_chain chain;
  if (chain.key == NULL) {
    static uint8_t buf[256];
    tg_private_key *key;
    tg_err err;
    TG_FUZZ_ASSERT(tg_private_key_from_der(tg_bytes_of(key_der, sizeof key_der), TG_KEY_FORMAT_AUTO,
                                           &key, &err) == TG_OK,
                   "key: %s", err.what);
    cert = cert_shell(tg_bytes_of(spki_der, sizeof spki_der), buf, sizeof buf);
    chain = (tg_cert_chain){&cert, 1, key};
  }
  return &chain;
}

/* The key that seals the server's tickets (TLS 1.3 and RFC 5077): a ticket the engine issued
 * under it (fuzz/engine_seeds.c) resumes a TLS 1.2 session. */
static const uint8_t ticket_key[16] = "tlsgauntlet-fuzz";

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

/* The server's configuration, also the seeds' (fuzz/engine_seeds.c). The input's first byte
 * picks options: client certificates (bit 0), an HRR cookie (bit 1). */
static tg_config server_config(uint8_t opts, uint64_t *seed) {
  static const uint8_t alpn[] = "\x02h2\x08http/1.1";
  /* The defaults (x25519, secp256r1, secp384r1) first, then x448, secp521r1 and ffdhe2048, which
   * a server takes only when named: a ClientHello whose shares are in those reaches their peer
   * value checks. */
  static const uint8_t groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00, 0x18,
                                   0x00, 0x1e, 0x00, 0x19, 0x01, 0x00};
  tg_config cfg = {
      .groups = {groups, sizeof groups},
      .min_version = TG_VERSION_TLS12,
      .max_version = TG_VERSION_TLS13,
      .ems_optional = true,
      .ticket_key = tg_bytes_of(ticket_key, sizeof ticket_key),
      .chain = server_chain(),
      .alpn = tg_bytes_of(alpn, sizeof alpn - 1),
      .require_client_cert = opts & 1,
      .hrr_cookie = (opts & 2) ? tg_bytes_of("cookie", 6) : tg_bytes_of(NULL, 0),
      .rng = {fixed_fill, seed},
      .clock = {fixed_now, NULL},
      .resume = resume_ticket(),
  };
  tg_fuzz_engine_mode(&cfg);
  return cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t seed = 2; /* reset for every input */
  uint8_t opts = size > 0 ? data[0] : 0;
  tg_config cfg = server_config(opts, &seed);
  tg_err err;
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
