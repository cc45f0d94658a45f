/* bench/parse: ClientHello decode + encode per second, on the RFC 8448 §3 ClientHello.
 *
 *   build/bench_parse [SECONDS]
 *
 * Each iteration decodes the message (header, fields, every extension checked) and encodes it
 * back into a fixed buffer; the output is compared with the input once, outside the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tg/handshake.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t read_hex(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "r");
  size_t n = 0;
  unsigned byte;
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  while (n < cap && fscanf(f, "%2x", &byte) == 1)
    out[n++] = (uint8_t)byte;
  fclose(f);
  return n;
}

static int round_trip(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *outlen) {
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_err err = {0};
  tg_reader r;
  tg_handshake m;
  tg_writer w;
  tg_reader_init(&r, in, len, &err);
  if (tg_handshake_decode(&r, &ctx, &m) != TG_OK)
    return -1;
  tg_writer_init(&w, out, cap, &err);
  tg_handshake_encode(&w, &ctx, &m);
  *outlen = w.len;
  return tg_writer_status(&w) == TG_OK ? 0 : -1;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  uint8_t in[1024], out[1024];
  size_t len =
      read_hex(TG_SOURCE_DIR "/vectors/rfc8448/sec3-simple-1rtt/client_hello.hex", in, sizeof in);
  size_t outlen = 0;
  if (round_trip(in, len, out, sizeof out, &outlen) != 0 || outlen != len ||
      memcmp(in, out, len) != 0) {
    fprintf(stderr, "bench_parse: the RFC 8448 ClientHello does not round-trip\n");
    return 1;
  }
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    for (int i = 0; i < 1000; i++)
      if (round_trip(in, len, out, sizeof out, &outlen) != 0)
        return 1;
    n += 1000;
    elapsed = now() - start;
  } while (elapsed < seconds);
  printf("ClientHello decode+encode (RFC 8448 3, %zu bytes): %.0f per second (%lu in %.2f s)\n",
         len, n / elapsed, n, elapsed);
  return 0;
}
