/* Seeds for the engine targets (not a fuzz target: CMake builds only fuzz/fuzz_*.c). The
 * engine's client and server talk to each other, the target's side with the target's own
 * configuration (this file includes fuzz_server.c and fuzz_client.c: server_config,
 * client_config, the same RNG seeds), and the target's input is saved in its format (the option
 * or split byte, then what the other side sent). In the fuzzer mode (pass-through AEAD) for
 * fuzz_client and fuzz_server; the gen_tls12_* seeds also with the real AEADs for the _strict
 * targets, which replay them to the end because every input of theirs is deterministic.
 *   fuzz_server/gen_resume_psk         a ClientHello offering fuzz_server's resume ticket (psk.c)
 *   fuzz_server/gen_client_cert        a client answering CertificateRequest (opts bit 0)
 *   fuzz_server/gen_tls12_ecdhe_ecdsa  a TLS 1.2-only client (no supported_versions), in full
 *   fuzz_server/gen_tls12_client_cert  the same answering CertificateRequest: Certificate and
 *                                      CertificateVerify
 *   fuzz_server/gen_tls12_resume_ticket  an abbreviated handshake with a ticket (RFC 5077) that
 *                                      fuzz_server issued under its ticket_key
 *   fuzz_server/gen_tls12_renegotiation  a full handshake, then a ClientHello under the new keys
 *   fuzz_client/gen_tickets_keyupdate  NewSessionTickets, data, a KeyUpdate, more data
 *   fuzz_client/gen_certreq            a server flight with a CertificateRequest
 *   fuzz_client/gen_tls12_ecdhe_ecdsa  a TLS 1.2 server with fuzz_server's P-256 key: a
 *                                      NewSessionTicket, then data
 *   fuzz_client/gen_tls12_ecdhe_rsa    the same with an RSA key (vectors/keys/rsa2048)
 *   fuzz_client/gen_tls12_rsa_kx       RSA key transport (TLS_RSA_WITH_AES_128_GCM_SHA256)
 *   fuzz_client/gen_tls12_certreq      a server flight with a CertificateRequest
 *   fuzz_client/gen_tls12_hello_request  a full handshake, then a HelloRequest under the new keys
 * Build from the source root against a fuzz build's library (TG_FUZZ, so the fuzzer mode is in),
 * and run from the source root (it reads vectors/keys/):
 *   clang-14 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -D_DEFAULT_SOURCE -Itls/include -Itls/src \
 *     -Ifuzz -fsanitize=address,undefined fuzz/engine_seeds.c BUILD/libtg.a -lhogweed -lgmp \
 *     -lnettle -o engine_seeds && ./engine_seeds fuzz/corpus */
#define LLVMFuzzerTestOneInput fuzz_server_one
#include "fuzz_server.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_client_one
#include "fuzz_client.c"
#undef LLVMFuzzerTestOneInput
#include <stdio.h>
#include <stdlib.h>

static const char *out_dir;

static void save(const char *target, const char *name, uint8_t first, const uint8_t *p, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s/%s", out_dir, target, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  fputc(first, f);
  fwrite(p, 1, n, f);
  fclose(f);
  printf("%s: %zu octets\n", path, n + 1);
}

/* What the server does once established, before its output goes to the client. */
enum server_after { NOTHING, DATA_KEYUPDATE, DATA, HELLO_REQUEST };

typedef struct run {
  uint8_t c2s[65536], s2c[65536];
  size_t nc, ns;
  tg_ticket ticket; /* the client's first ticket or TLS 1.2 session, if any */
  bool have_ticket;
  bool resumed, refused; /* the client resumed; a side refused to renegotiate */
} run;

static void must(tg_status st, const char *what) {
  if (st != TG_OK) {
    fprintf(stderr, "%s failed\n", what);
    exit(1);
  }
}

/* Runs the pair to the end; r gets what each side sent. renegotiate: once established, the
 * client sends its ClientHello again under the new keys (the engine never renegotiates).
 * Whether both sides reached the established state. */
static bool drive(tg_config *cc, tg_config *sc, run *r, enum server_after after, bool renegotiate) {
  tg_err err;
  tg_conn *cl = tg_conn_new(cc, false, &err);
  tg_conn *sv = tg_conn_new(sc, true, &err);
  if (!cl || !sv) {
    fprintf(stderr, "new: %s\n", err.what);
    exit(1);
  }
  must(tg_conn_start(cl), "start");
  tg_bytes hello = tg_conn_output(cl); /* one record: the ClientHello */
  uint8_t ch[4096];
  size_t ch_len = hello.len - 5;
  memcpy(ch, hello.p + 5, ch_len);
  r->nc = r->ns = 0;
  bool done_after = false, done_reneg = false;
  for (int i = 0; i < 20; i++) {
    if (renegotiate && !done_reneg && tg_conn_info(cl)->phase == TG_PHASE_ESTABLISHED) {
      must(tg_conn_inject_record(cl, TG_CT_handshake, 0, tg_bytes_of(ch, ch_len), true), "reneg");
      done_reneg = true;
    }
    tg_bytes o = tg_conn_output(cl);
    memcpy(r->c2s + r->nc, o.p, o.len);
    r->nc += o.len;
    tg_status st = tg_conn_feed(sv, o);
    tg_conn_output_consumed(cl, o.len);
    if (st != TG_OK) {
      fprintf(stderr, "server: %s\n", tg_conn_info(sv)->err.what);
      break;
    }
    if (after != NOTHING && !done_after && tg_conn_info(sv)->phase == TG_PHASE_ESTABLISHED) {
      done_after = true;
      must(tg_conn_write(sv, tg_bytes_of("hello", 5)), "write");
      if (after == DATA_KEYUPDATE) {
        must(tg_conn_key_update(sv, true), "key update");
        must(tg_conn_write(sv, tg_bytes_of("again", 5)), "write");
      } else if (after == HELLO_REQUEST) {
        static const uint8_t hello_request[4] = {TG_HS_hello_request, 0, 0, 0};
        must(tg_conn_inject_record(sv, TG_CT_handshake, 0, tg_bytes_of(hello_request, 4), true),
             "hello request");
      }
    }
    o = tg_conn_output(sv);
    memcpy(r->s2c + r->ns, o.p, o.len);
    r->ns += o.len;
    st = tg_conn_feed(cl, o);
    tg_conn_output_consumed(sv, o.len);
    if (st != TG_OK) {
      fprintf(stderr, "client: %s\n", tg_conn_info(cl)->err.what);
      break;
    }
  }
  const struct tg_conn_info *ci = tg_conn_info(cl), *si = tg_conn_info(sv);
  printf("version %04x suite %04x: client phase %d resumed %d, server phase %d refused %d\n",
         ci->version, ci->cipher_suite, ci->phase, ci->resumed, si->phase,
         si->renegotiation_refused || ci->renegotiation_refused);
  r->resumed = ci->resumed;
  r->refused = si->renegotiation_refused || ci->renegotiation_refused;
  bool ok = ci->phase == TG_PHASE_ESTABLISHED && si->phase == TG_PHASE_ESTABLISHED;
  r->have_ticket = tg_conn_ticket(cl, 0, &r->ticket);
  tg_conn_free(cl);
  tg_conn_free(sv);
  return ok;
}

static void established(bool ok) {
  if (!ok) {
    fprintf(stderr, "the handshake did not complete\n");
    exit(1);
  }
}

/* The real AEADs and every check: the configuration of the _strict targets. */
static void strict(tg_config *cfg) {
  cfg->find_suite = NULL;
  cfg->fuzzer_mode = false;
}

/* A chain from vectors/keys/NAME.pkcs8.der and NAME.spki.der. */
static tg_cert_chain chain_from(const char *name) {
  static uint8_t files[2][2048], shell[2048];
  static tg_bytes cert;
  size_t len[2];
  for (int i = 0; i < 2; i++) {
    char path[256];
    snprintf(path, sizeof path, "vectors/keys/%s.%s.der", name, i ? "spki" : "pkcs8");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
      perror(path);
      exit(1);
    }
    len[i] = fread(files[i], 1, sizeof files[i], f);
    fclose(f);
  }
  tg_private_key *key;
  tg_err err;
  must(tg_private_key_from_der(tg_bytes_of(files[0], len[0]), TG_KEY_FORMAT_AUTO, &key, &err),
       name);
  cert = cert_shell(tg_bytes_of(files[1], len[1]), shell, sizeof shell);
  return (tg_cert_chain){&cert, 1, key};
}

/* The engine on the other side of fuzz_client or fuzz_server, speaking one version. */
static tg_config peer(bool server, uint16_t version, uint64_t *seed) {
  static const uint8_t salpn[] = "\x02h2\x08http/1.1", calpn[] = "\x02h2";
  static const uint8_t tkey[16] = {1, 2, 3};
  tg_config cfg = {.min_version = version,
                   .max_version = version,
                   .rng = {fixed_fill, seed},
                   .clock = {fixed_now, NULL}};
  if (server) {
    cfg.alpn = tg_bytes_of(salpn, sizeof salpn - 1);
    cfg.ticket_key = tg_bytes_of(tkey, 16);
  } else {
    cfg.server_name = "server";
    cfg.alpn = tg_bytes_of(calpn, 3);
  }
  tg_fuzz_engine_mode(&cfg);
  return cfg;
}

static run r; /* large */

/* TLS 1.3 seeds (fuzzer mode only). */
static void seeds13(void) {
  /* fuzz_server, resumption with its resume ticket; and with a client certificate. */
  for (int mode = 0; mode < 2; mode++) {
    uint64_t cs = 7, ss = 2;
    tg_config sc = server_config((uint8_t)mode, &ss);
    tg_config cc = peer(false, TG_VERSION_TLS13, &cs);
    cc.resume = mode == 0 ? resume_ticket() : NULL;
    cc.chain = mode == 1 ? server_chain() : NULL;
    established(drive(&cc, &sc, &r, NOTHING, false));
    save("fuzz_server", mode == 0 ? "gen_resume_psk" : "gen_client_cert", (uint8_t)mode, r.c2s,
         r.nc);
  }
  /* fuzz_client: a server that asks for a certificate, sends tickets, data and a KeyUpdate. */
  for (int certreq = 0; certreq < 2; certreq++) {
    uint64_t cs = 1, ss = 9;
    tg_config cc = client_config(&cs);
    tg_config sc = peer(true, TG_VERSION_TLS13, &ss);
    sc.chain = server_chain();
    sc.require_client_cert = certreq;
    sc.num_tickets = 2;
    /* fuzz_client has no certificate: the server refuses the empty one, after its flight. */
    established(drive(&cc, &sc, &r, DATA_KEYUPDATE, false) || certreq);
    save("fuzz_client", certreq ? "gen_certreq" : "gen_tickets_keyupdate", 0x40, r.s2c, r.ns);
  }
}

/* fuzz_server's TLS 1.2 seeds, with or without the fuzzer mode. */
static void server12(bool real) {
  const char *target = real ? "fuzz_server_strict" : "fuzz_server";
  for (int mode = 0; mode < 3; mode++) { /* full, client certificate, renegotiation */
    uint64_t cs = 7, ss = 2;
    uint8_t opts = mode == 1;
    tg_config sc = server_config(opts, &ss), cc = peer(false, TG_VERSION_TLS12, &cs);
    cc.chain = mode == 1 ? server_chain() : NULL;
    if (real)
      strict(&sc), strict(&cc);
    established(drive(&cc, &sc, &r, NOTHING, mode == 2) && r.refused == (mode == 2));
    static const char *names[] = {"gen_tls12_ecdhe_ecdsa", "gen_tls12_client_cert",
                                  "gen_tls12_renegotiation"};
    save(target, names[mode], opts, r.c2s, r.nc);
    if (mode != 0)
      continue;
    /* Resumption with the ticket this handshake left (sealed under fuzz_server's key). */
    if (!r.have_ticket || r.ticket.ticket_len == 0) {
      fprintf(stderr, "no TLS 1.2 ticket\n");
      exit(1);
    }
    static tg_ticket t;
    t = r.ticket;
    cs = 8, ss = 2;
    sc = server_config(0, &ss), cc = peer(false, TG_VERSION_TLS12, &cs);
    cc.resume = &t;
    if (real)
      strict(&sc), strict(&cc);
    established(drive(&cc, &sc, &r, NOTHING, false) && r.resumed);
    save(target, "gen_tls12_resume_ticket", 0, r.c2s, r.nc);
  }
}

/* fuzz_server's seeds for the groups it takes only when named: a TLS 1.3 client whose only group
 * and key share is x448, secp521r1 or ffdhe2048, with or without the fuzzer mode. */
static void groups13(bool real) {
  static const uint8_t groups[][2] = {{0x00, 0x1e}, {0x00, 0x19}, {0x01, 0x00}};
  static const char *names[] = {"gen_group_x448", "gen_group_secp521r1", "gen_group_ffdhe2048"};
  const char *target = real ? "fuzz_server_strict" : "fuzz_server";
  for (int i = 0; i < 3; i++) {
    uint64_t cs = 9, ss = 2;
    tg_config sc = server_config(0, &ss), cc = peer(false, TG_VERSION_TLS13, &cs);
    cc.groups = cc.key_share_groups = tg_bytes_of(groups[i], 2);
    if (real)
      strict(&sc), strict(&cc);
    established(drive(&cc, &sc, &r, NOTHING, false));
    save(target, names[i], 0, r.c2s, r.nc);
  }
}

/* fuzz_client's TLS 1.2 seeds, with or without the fuzzer mode. */
static void client12(bool real) {
  static const uint8_t rsa_kx[] = {0x00, 0x9c};
  const char *target = real ? "fuzz_client_strict" : "fuzz_client";
  static tg_cert_chain rsa;
  if (rsa.key == NULL)
    rsa = chain_from("rsa2048");
  for (int mode = 0; mode < 5; mode++) {
    static const char *names[] = {"gen_tls12_ecdhe_ecdsa", "gen_tls12_ecdhe_rsa",
                                  "gen_tls12_rsa_kx", "gen_tls12_certreq",
                                  "gen_tls12_hello_request"};
    uint64_t cs = 1, ss = 9;
    tg_config cc = client_config(&cs), sc = peer(true, TG_VERSION_TLS12, &ss);
    sc.chain = mode == 1 || mode == 2 ? &rsa : server_chain();
    if (mode == 2) {
      sc.rsa_key_exchange = true;
      sc.cipher_suites = tg_bytes_of(rsa_kx, 2);
    }
    sc.require_client_cert = mode == 3;
    if (real)
      strict(&sc), strict(&cc);
    /* fuzz_client has no certificate: the server refuses the empty one (mode 3). */
    bool ok = drive(&cc, &sc, &r, mode == 4 ? HELLO_REQUEST : DATA, false);
    established((ok && r.refused == (mode == 4)) || mode == 3);
    save(target, names[mode], 0x40, r.s2c, r.ns);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: engine_seeds CORPUS_DIR (run from the source root)\n");
    return 2;
  }
  out_dir = argv[1];
  seeds13();
  for (int real = 0; real < 2; real++) {
    server12(real);
    client12(real);
    groups13(real);
  }
  return 0;
}
