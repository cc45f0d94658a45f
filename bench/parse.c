/* bench/parse: ClientHello decode (+ encode) per second, on the RFC 8448 §3 ClientHello record,
 * beside OpenSSL's processing of the same record in this process.
 *
 *   build/bench_parse [SECONDS]
 *
 * tlsgauntlet: record read, handshake reassembly, ClientHello decode with every extension
 * checked, and (second line) encode back into a fixed buffer.
 * OpenSSL: a server SSL object reads the same record and parses the ClientHello up to its
 * client_hello callback, which stops the handshake; SSL_new and SSL_free are inside the loop,
 * since OpenSSL parses only inside a connection. The ratio compares what each needs to get a
 * parsed ClientHello from bytes, not identical work: read it with that in mind. */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tg/handshake.h"
#include "tg/record.h"

typedef struct input {
  uint8_t record[1024];
  size_t len;
} input;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void read_hex(const char *path, input *in) {
  FILE *f = fopen(path, "r");
  unsigned byte;
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  in->len = 0;
  while (in->len < sizeof in->record && fscanf(f, "%2x", &byte) == 1)
    in->record[in->len++] = (uint8_t)byte;
  fclose(f);
}

/* One ClientHello from record bytes; with out != NULL also encoded. 0 on success. */
static int tg_once(const input *in, uint8_t *out, size_t cap, size_t *outlen) {
  static const tg_record_rules rules = {.version_check = TG_RECVER_MAJOR3};
  static const tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  uint8_t buf[2048];
  tg_err err = {0};
  tg_record rec;
  tg_hs_reasm h;
  tg_bytes msg;
  tg_reader r;
  tg_handshake m;
  size_t used;
  if (tg_record_read(tg_bytes_of(in->record, in->len), &rules, &rec, &used, &err) != TG_OK)
    return -1;
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  if (tg_hs_reasm_push(&h, rec.fragment, &err) != TG_OK || tg_hs_reasm_pop(&h, &msg, &err) != TG_OK)
    return -1;
  tg_reader_init(&r, msg.p, msg.len, &err);
  if (tg_handshake_decode(&r, &ctx, &m) != TG_OK || m.msg_type != TG_HS_client_hello)
    return -1;
  if (out == NULL)
    return 0;
  tg_writer w;
  tg_writer_init(&w, out, cap, &err);
  tg_handshake_encode(&w, &ctx, &m);
  *outlen = w.len;
  return tg_writer_status(&w) == TG_OK && tg_bytes_eq(tg_writer_bytes(&w), msg) ? 0 : -1;
}

static int stop_at_client_hello(SSL *s, int *alert, void *arg) {
  const unsigned char *suites;
  (void)alert;
  if (SSL_client_hello_get0_ciphers(s, &suites) == 6)
    ++*(unsigned long *)arg;
  return SSL_CLIENT_HELLO_ERROR;
}

static int openssl_once(SSL_CTX *ctx, const input *in) {
  SSL *s = SSL_new(ctx);
  BIO *rbio = BIO_new_mem_buf(in->record, (int)in->len);
  BIO *wbio = BIO_new(BIO_s_mem());
  if (s == NULL || rbio == NULL || wbio == NULL)
    return -1;
  SSL_set_bio(s, rbio, wbio);
  SSL_accept(s); /* stops in the callback, as intended */
  SSL_free(s);
  ERR_clear_error();
  return 0;
}

/* Runs one of the three loops for about `seconds`; returns operations per second. */
static double rate(int which, const input *in, SSL_CTX *ctx, double seconds) {
  uint8_t out[1024];
  size_t outlen;
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    for (int i = 0; i < 200; i++) {
      int rc = which == 0   ? tg_once(in, NULL, 0, NULL)
               : which == 1 ? tg_once(in, out, sizeof out, &outlen)
                            : openssl_once(ctx, in);
      if (rc != 0) {
        fprintf(stderr, "bench_parse: iteration failed\n");
        exit(1);
      }
    }
    n += 200;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return n / elapsed;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  input in;
  uint8_t out[1024];
  size_t outlen;
  unsigned long parsed_by_openssl = 0;
  read_hex(TG_SOURCE_DIR "/vectors/rfc8448/sec3-simple-1rtt/client_hello_record.hex", &in);
  if (tg_once(&in, out, sizeof out, &outlen) != 0) {
    fprintf(stderr, "bench_parse: the RFC 8448 ClientHello does not decode and re-encode\n");
    return 1;
  }
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_client_hello_cb(ctx, stop_at_client_hello, &parsed_by_openssl);
  openssl_once(ctx, &in);
  if (parsed_by_openssl != 1) {
    fprintf(stderr, "bench_parse: OpenSSL did not reach its client_hello callback\n");
    return 1;
  }
  double dec = rate(0, &in, ctx, seconds), rt = rate(1, &in, ctx, seconds);
  double ossl = rate(2, &in, ctx, seconds);
  printf("RFC 8448 3 ClientHello record (%zu bytes), %.1f s per measurement\n", in.len, seconds);
  printf("  tlsgauntlet decode         %10.0f /s  %6.1fx OpenSSL\n", dec, dec / ossl);
  printf("  tlsgauntlet decode+encode  %10.0f /s  %6.1fx OpenSSL\n", rt, rt / ossl);
  printf("  %-26s %10.0f /s  (SSL_new, parse to the client_hello callback, SSL_free)\n",
         OpenSSL_version(OPENSSL_VERSION), ossl);
  SSL_CTX_free(ctx);
  return 0;
}
