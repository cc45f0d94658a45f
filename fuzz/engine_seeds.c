/* Seeds for fuzz_client and fuzz_server (not a fuzz target: CMake builds only fuzz/fuzz_*.c).
 * The engine's client and server talk to each other in the fuzzer mode (pass-through AEAD), with
 * fuzz_server's configuration and key (this file includes fuzz_server.c) and fuzz_client's, and
 * each side's bytes are saved in the target's input format:
 *   fuzz_server/gen_resume_psk    a ClientHello offering fuzz_server's resume ticket (psk.c)
 *   fuzz_server/gen_client_cert   a client answering CertificateRequest (opts bit 0)
 *   fuzz_client/gen_tickets_keyupdate  NewSessionTickets, data, a KeyUpdate, more data
 *   fuzz_client/gen_certreq       a server flight with a CertificateRequest
 * Build from the source root against a fuzz build's library (TG_FUZZ, so the fuzzer mode is in):
 *   clang-14 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -D_DEFAULT_SOURCE -Itls/include -Itls/src \
 *     -Ifuzz -fsanitize=address,undefined fuzz/engine_seeds.c BUILD/libtg.a -lhogweed -lgmp \
 *     -lnettle -o engine_seeds && ./engine_seeds fuzz/corpus */
#define LLVMFuzzerTestOneInput fuzz_server_one
#include "fuzz_server.c"
#undef LLVMFuzzerTestOneInput
#include <stdio.h>

static tg_private_key *gkey;
static tg_bytes gcert;

static void save(const char *path, uint8_t first, const uint8_t *p, size_t n) {
  FILE *f = fopen(path, "wb");
  fputc(first, f);
  fwrite(p, 1, n, f);
  fclose(f);
  printf("%s: %zu octets\n", path, n + 1);
}

/* Runs the pair to the end; c2s/s2c get what each side sent. */
static void drive(tg_config *cc, tg_config *sc, uint8_t *c2s, size_t *nc, uint8_t *s2c, size_t *ns,
                  bool extra) {
  tg_err err;
  tg_conn *cl = tg_conn_new(cc, false, &err);
  tg_conn *sv = tg_conn_new(sc, true, &err);
  if (!cl || !sv) {
    fprintf(stderr, "new: %s\n", err.what);
    exit(1);
  }
  if (tg_conn_start(cl) != TG_OK)
    exit(1);
  *nc = *ns = 0;
  for (int i = 0; i < 20; i++) {
    tg_bytes o = tg_conn_output(cl);
    memcpy(c2s + *nc, o.p, o.len);
    *nc += o.len;
    tg_status st = tg_conn_feed(sv, o);
    tg_conn_output_consumed(cl, o.len);
    if (st != TG_OK) {
      fprintf(stderr, "server: %s\n", tg_conn_info(sv)->err.what);
      break;
    }
    if (extra && i == 1 && tg_conn_info(sv)->phase == TG_PHASE_ESTABLISHED) {
      if (tg_conn_write(sv, tg_bytes_of("hello", 5)) != TG_OK)
        exit(1);
      if (tg_conn_key_update(sv, true) != TG_OK)
        exit(1);
      if (tg_conn_write(sv, tg_bytes_of("again", 5)) != TG_OK)
        exit(1);
    }
    o = tg_conn_output(sv);
    memcpy(s2c + *ns, o.p, o.len);
    *ns += o.len;
    st = tg_conn_feed(cl, o);
    tg_conn_output_consumed(sv, o.len);
    if (st != TG_OK) {
      fprintf(stderr, "client: %s\n", tg_conn_info(cl)->err.what);
      break;
    }
  }
  printf("client phase %d resumed %d, server phase %d\n", tg_conn_info(cl)->phase,
         tg_conn_info(cl)->resumed, tg_conn_info(sv)->phase);
  tg_conn_free(cl);
  tg_conn_free(sv);
}

int main(int argc, char **argv) {
  (void)argc;
  const char *out = argv[1];
  tg_err err;
  if (tg_private_key_from_der(tg_bytes_of(key_der, sizeof key_der), TG_KEY_FORMAT_AUTO, &gkey,
                              &err) != TG_OK)
    return 1;
  gcert = certificate();
  tg_cert_chain chain = {&gcert, 1, gkey};
  static uint8_t c2s[65536], s2c[65536];
  size_t nc, ns;
  char path[512];
  static const uint8_t salpn[] = "\x02h2\x08http/1.1";
  static const uint8_t calpn[] = "\x02h2";
  uint8_t tkey[16] = {1, 2, 3};
  /* fuzz_server, resumption with its resume ticket; and with a client certificate. */
  for (int mode = 0; mode < 2; mode++) {
    uint64_t cs = 7, ss = 2;
    tg_config sc = {.chain = &chain,
                    .alpn = tg_bytes_of(salpn, sizeof salpn - 1),
                    .require_client_cert = mode == 1,
                    .rng = {fixed_fill, &ss},
                    .clock = {fixed_now, NULL},
                    .resume = resume_ticket()};
    tg_fuzz_engine_mode(&sc);
    tg_config cc = {.server_name = "server",
                    .alpn = tg_bytes_of(calpn, 3),
                    .rng = {fixed_fill, &cs},
                    .clock = {fixed_now, NULL},
                    .resume = mode == 0 ? resume_ticket() : NULL,
                    .chain = mode == 1 ? &chain : NULL};
    tg_fuzz_engine_mode(&cc);
    drive(&cc, &sc, c2s, &nc, s2c, &ns, false);
    snprintf(path, sizeof path, "%s/fuzz_server/%s", out,
             mode == 0 ? "gen_resume_psk" : "gen_client_cert");
    save(path, (uint8_t)mode, c2s, nc);
  }
  /* fuzz_client: a server that asks for a certificate, sends tickets, data and a KeyUpdate. */
  for (int certreq = 0; certreq < 2; certreq++) {
    uint64_t cs = 1, ss = 9;
    tg_config sc = {.chain = &chain,
                    .alpn = tg_bytes_of(salpn, sizeof salpn - 1),
                    .require_client_cert = certreq,
                    .rng = {fixed_fill, &ss},
                    .clock = {fixed_now, NULL},
                    .ticket_key = tg_bytes_of(tkey, 16),
                    .num_tickets = 2};
    tg_fuzz_engine_mode(&sc);
    tg_config cc = {.server_name = "server",
                    .alpn = tg_bytes_of(calpn, 3),
                    .rng = {fixed_fill, &cs},
                    .clock = {fixed_now, NULL}};
    tg_fuzz_engine_mode(&cc);
    drive(&cc, &sc, c2s, &nc, s2c, &ns, true);
    snprintf(path, sizeof path, "%s/fuzz_client/%s", out,
             certreq ? "gen_certreq" : "gen_tickets_keyupdate");
    save(path, 0x40, s2c, ns);
  }
  return 0;
}
