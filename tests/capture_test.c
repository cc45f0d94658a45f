/* Captures (harness/capture.c): the pcap is parsed back here field by field (record headers,
 * IPv4 and TCP checksums, sequence numbers), and a real engine handshake is captured and handed
 * to tshark, which must decrypt it with the key log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "engine_pair.h"

/* ---- Files ---------------------------------------------------------------------------------- */

static void make_dir(char *out, size_t cap) {
  snprintf(out, cap, "/tmp/tg-capture-XXXXXX");
  cr_assert_not_null(mkdtemp(out), "mkdtemp: %s", strerror(errno));
}

static tt_buf slurp(const char *dir, const char *name, const char *ext) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  tt_buf b = {NULL, 0};
  size_t cap = 0, n;
  uint8_t chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b.len + n > cap) {
      cap = 2 * (b.len + n);
      b.p = realloc(b.p, cap);
    }
    memcpy(b.p + b.len, chunk, n);
    b.len += n;
  }
  fclose(f);
  return b;
}

/* Removes what a test left in dir (only on success: a failing test keeps it for a look). */
static void remove_dir(const char *dir) {
  static const char *const names[] = {"structure.pcap", "structure.keys", "keylog.pcap",
                                      "keylog.keys",    "tls.pcap",       "tls.keys",
                                      "tshark.err"};
  char path[512];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
}

/* ---- Reading the pcap back ------------------------------------------------------------------ */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)be16(p) << 16 | be16(p + 2); }
static uint32_t host32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint16_t host16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}

/* The RFC 1071 sum of a header that carries its own checksum is 0xffff. */
static uint16_t ones_sum(uint32_t sum, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    sum += i % 2 == 0 ? (uint32_t)p[i] << 8 : p[i];
  while (sum > 0xffff)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)sum;
}

typedef struct packet {
  uint64_t usec; /* timestamp */
  bool from_client;
  uint16_t sport, dport;
  uint32_t seq, ack;
  uint8_t flags;
  const uint8_t *payload;
  size_t len;
} packet;

#define SYN 0x02
#define FIN 0x01
#define PSH 0x08
#define ACK 0x10

/* One record: the pcap record header, then IPv4 and TCP, every length and checksum checked. */
static packet parse_packet(const uint8_t *rec, size_t left, size_t *used) {
  cr_assert_geq(left, 16, "truncated record header");
  uint32_t incl = host32(rec + 8), orig = host32(rec + 12);
  cr_assert_eq(incl, orig, "packet truncated in the capture");
  cr_assert_leq(incl, left - 16, "record runs past the end of the file");
  *used = 16 + incl;
  const uint8_t *ip = rec + 16;
  packet pk = {.usec = (uint64_t)host32(rec) * 1000000 + host32(rec + 4)};
  cr_assert_geq(incl, 40);
  cr_assert_eq(ip[0], 0x45, "IPv4 without options");
  cr_assert_eq(be16(ip + 2), incl, "IPv4 total length is the packet's");
  cr_assert_eq(ip[9], 6, "protocol TCP");
  cr_assert_eq(ones_sum(0, ip, 20), 0xffff, "IPv4 header checksum");
  static const uint8_t lo1[4] = {127, 0, 0, 1}, lo2[4] = {127, 0, 0, 2};
  pk.from_client = memcmp(ip + 12, lo1, 4) == 0;
  cr_assert(memcmp(ip + 12, pk.from_client ? lo1 : lo2, 4) == 0, "source address");
  cr_assert(memcmp(ip + 16, pk.from_client ? lo2 : lo1, 4) == 0, "destination address");
  const uint8_t *tcp = ip + 20;
  size_t tcp_len = incl - 20, hdr = (size_t)(tcp[12] >> 4) * 4;
  cr_assert(hdr >= 20 && hdr <= tcp_len, "TCP data offset %zu", hdr);
  uint8_t pseudo[12] = {0};
  memcpy(pseudo, ip + 12, 8);
  pseudo[9] = 6;
  pseudo[10] = (uint8_t)(tcp_len >> 8);
  pseudo[11] = (uint8_t)tcp_len;
  cr_assert_eq(ones_sum(ones_sum(0, pseudo, 12), tcp, tcp_len), 0xffff, "TCP checksum");
  pk.sport = be16(tcp);
  pk.dport = be16(tcp + 2);
  pk.seq = be32(tcp + 4);
  pk.ack = be32(tcp + 8);
  pk.flags = tcp[13];
  pk.payload = tcp + hdr;
  pk.len = tcp_len - hdr;
  return pk;
}

/* The global header, then every record into out; returns the number of packets. */
static size_t parse_pcap(tt_buf f, packet *out, size_t cap) {
  cr_assert_geq(f.len, 24, "no pcap global header");
  cr_assert_eq(host32(f.p), 0xa1b2c3d4u, "magic");
  cr_assert_eq(host16(f.p + 4), 2, "version major");
  cr_assert_eq(host16(f.p + 6), 4, "version minor");
  cr_assert_eq(host32(f.p + 8), 0, "thiszone");
  cr_assert_eq(host32(f.p + 16), 262144, "snaplen");
  cr_assert_eq(host32(f.p + 20), 101, "LINKTYPE_RAW");
  size_t off = 24, n = 0, used;
  while (off < f.len) {
    cr_assert_lt(n, cap, "more packets than expected");
    out[n++] = parse_packet(f.p + off, f.len - off, &used);
    off += used;
  }
  return n;
}

/* ---- The pcap's structure ------------------------------------------------------------------- */

static void fill(uint8_t *p, size_t n, unsigned salt) {
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t)(i * 31 + salt + (i >> 9));
}

Test(capture, pcap_structure) {
  char dir[64], err[256];
  make_dir(dir, sizeof dir);
  capture *c = capture_open(dir, "structure", err, sizeof err);
  cr_assert_not_null(c, "%s", err);
  static uint8_t from_client[301], from_server[40000];
  fill(from_client, sizeof from_client, 1);
  fill(from_server, sizeof from_server, 2);
  capture_data(c, true, from_client, 300);
  capture_data(c, false, from_server, sizeof from_server); /* 16000 + 16000 + 8000 */
  capture_data(c, false, from_server, 0);                  /* nothing: no packet */
  capture_data(c, true, from_client + 300, 1);
  capture_close(c);

  static const uint8_t flags[] = {SYN,       SYN | ACK, ACK,       PSH | ACK, PSH | ACK, PSH | ACK,
                                  PSH | ACK, PSH | ACK, FIN | ACK, FIN | ACK, ACK};
  static const size_t lens[] = {0, 0, 0, 300, 16000, 16000, 8000, 1, 0, 0, 0};
  static const bool client[] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1};
  tt_buf f = slurp(dir, "structure", "pcap");
  packet pk[16];
  size_t n = parse_pcap(f, pk, 16);
  cr_assert_eq(n, 11, "packets: %zu", n);

  uint32_t next[2] = {0, 0}; /* next sequence number: [0] client, [1] server */
  size_t got[2] = {0, 0};
  uint16_t port = pk[0].sport;
  cr_expect(port >= 40000 && port < 60000, "client port %u", port);
  for (size_t i = 0; i < n; i++) {
    int s = pk[i].from_client ? 0 : 1;
    cr_assert_eq(pk[i].from_client, client[i], "packet %zu direction", i);
    cr_assert_eq(pk[i].flags, flags[i], "packet %zu flags %02x", i, pk[i].flags);
    cr_assert_eq(pk[i].len, lens[i], "packet %zu payload %zu", i, pk[i].len);
    cr_assert_eq(pk[i].sport, s == 0 ? port : 443, "packet %zu source port", i);
    cr_assert_eq(pk[i].dport, s == 0 ? 443 : port, "packet %zu destination port", i);
    if (i > 0)
      cr_assert_gt(pk[i].usec, pk[i - 1].usec, "packet %zu timestamp does not increase", i);
    if (pk[i].flags & SYN)
      next[s] = pk[i].seq; /* the initial sequence number */
    cr_assert_eq(pk[i].seq, next[s], "packet %zu seq %u, want %u", i, pk[i].seq, next[s]);
    if (pk[i].flags & ACK)
      cr_assert_eq(pk[i].ack, next[!s], "packet %zu ack %u, want %u", i, pk[i].ack, next[!s]);
    next[s] += (uint32_t)pk[i].len + ((pk[i].flags & (SYN | FIN)) ? 1 : 0);
    const uint8_t *want = (s == 0 ? from_client : from_server) + got[s];
    cr_assert(memcmp(pk[i].payload, want, pk[i].len) == 0, "packet %zu payload", i);
    got[s] += pk[i].len;
  }
  cr_expect_eq(got[0], sizeof from_client);
  cr_expect_eq(got[1], sizeof from_server);
  tt_free(&f);
  remove_dir(dir);
}

Test(capture, keylog_line_format) {
  char dir[64], err[256];
  make_dir(dir, sizeof dir);
  capture *c = capture_open(dir, "keylog", err, sizeof err);
  cr_assert_not_null(c, "%s", err);
  uint8_t random[32], secret[3] = {0xde, 0xad, 0xbe};
  for (int i = 0; i < 32; i++)
    random[i] = (uint8_t)i;
  capture_keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", tg_bytes_of(random, 32),
                 tg_bytes_of(secret, 3));
  /* Flushed at once: a run that crashes later still leaves its keys. */
  tt_buf k = slurp(dir, "keylog", "keys");
  static const char want[] = "CLIENT_HANDSHAKE_TRAFFIC_SECRET "
                             "000102030405060708090a0b0c0d0e0f"
                             "101112131415161718191a1b1c1d1e1f deadbe\n";
  cr_assert_eq(k.len, strlen(want), "%.*s", (int)k.len, (char *)k.p);
  cr_assert(memcmp(k.p, want, k.len) == 0, "%.*s", (int)k.len, (char *)k.p);
  tt_free(&k);
  capture_close(c);
  capture_close(NULL); /* allowed */
  remove_dir(dir);
}

Test(capture, open_failure_names_the_file) {
  char err[256] = "";
  capture *c = capture_open("/nonexistent-tg-dir", "x", err, sizeof err);
  cr_assert_null(c);
  cr_expect(strstr(err, "/nonexistent-tg-dir/x.pcap") != NULL, "%s", err);
  cr_expect(strstr(err, "No such file") != NULL, "%s", err);
  cr_expect_null(capture_open(NULL, "x", err, sizeof err));
  /* No error buffer: still no crash. */
  cr_expect_null(capture_open("/nonexistent-tg-dir", "x", NULL, 0));
}

Test(capture, safe_name) {
  char out[256];
  capture_safe_name(out, sizeof out, "client-hello/x[group=x25519]", "builtin");
  cr_expect_str_eq(out, "client-hello_x_group_x25519_-builtin");
  capture_safe_name(out, sizeof out, "../..", "a b");
  cr_expect_str_eq(out, "_____-a_b");
  capture_safe_name(out, sizeof out, "id.with.dots", NULL);
  cr_expect_str_eq(out, "id_with_dots");
  capture_safe_name(out, 8, "client-hello/x", "gnutls");
  cr_expect_str_eq(out, "client-");

  /* Too long for a file name: a prefix plus a hash of the whole, so ids that differ only at
   * the end stay apart. */
  char id[400], a[256], b[256];
  memset(id, 'a', sizeof id - 1);
  id[sizeof id - 1] = '\0';
  capture_safe_name(a, sizeof a, id, "openssl");
  id[sizeof id - 2] = 'b';
  capture_safe_name(b, sizeof b, id, "openssl");
  cr_expect_eq(strlen(a), 200, "%zu", strlen(a));
  cr_expect_eq(strlen(b), 200);
  cr_expect_str_neq(a, b);
  cr_expect(strncmp(a, b, 191) == 0 && a[191] == '-', "%s", a);
}

/* ---- The real thing: tshark decrypts a captured engine handshake ----------------------------- */

/* pump() of engine_pair.h, with every byte each side sends captured on the way. */
static void pump_captured(pair *p, capture *cap) {
  for (int round = 0; round < 64; round++) {
    tg_bytes co = tg_conn_output(p->c), so = tg_conn_output(p->s);
    if (co.len == 0 && so.len == 0)
      return;
    if (co.len) {
      tt_buf copy = take_output(p->c);
      capture_data(cap, true, copy.p, copy.len);
      p->sst = tg_conn_feed(p->s, tt_view(copy));
      tt_free(&copy);
    }
    if (so.len) {
      tt_buf copy = take_output(p->s);
      capture_data(cap, false, copy.p, copy.len);
      p->cst = tg_conn_feed(p->c, tt_view(copy));
      tt_free(&copy);
    }
  }
  cr_assert_fail("the connections never went quiet");
}

static const char client_text[] = "tlsgauntlet capture probe: client to server";
static const char server_text[] = "tlsgauntlet capture probe: server to client";
#define BULK_LEN 40000 /* server to client: TLS records split across TCP segments */

static size_t drain(tg_conn *c) {
  uint8_t buf[4096];
  size_t total = 0, k;
  while ((k = tg_conn_read(c, buf, sizeof buf)) > 0)
    total += k;
  return total;
}

/* A handshake, text both ways, a bulk transfer and close_notify both ways, all captured. */
static void capture_session(const char *dir) {
  char err[256];
  capture *cap = capture_open(dir, "tls", err, sizeof err);
  cr_assert_not_null(cap, "%s", err);
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.keylog = capture_keylog;
  p.ccfg.keylog_ctx = cap;
  pair_start(&p);
  pump_captured(&p, cap);
  expect_established(&p);
  cr_assert_eq(tg_conn_write(p.c, tg_bytes_of(client_text, strlen(client_text))), TG_OK);
  pump_captured(&p, cap);
  cr_assert_eq(drain(p.s), strlen(client_text));
  cr_assert_eq(tg_conn_write(p.s, tg_bytes_of(server_text, strlen(server_text))), TG_OK);
  uint8_t *bulk = malloc(BULK_LEN);
  memset(bulk, 'z', BULK_LEN);
  cr_assert_eq(tg_conn_write(p.s, tg_bytes_of(bulk, BULK_LEN)), TG_OK);
  free(bulk);
  pump_captured(&p, cap);
  cr_assert_eq(drain(p.c), strlen(server_text) + BULK_LEN);
  cr_assert_eq(tg_conn_close(p.c), TG_OK);
  cr_assert_eq(tg_conn_close(p.s), TG_OK);
  pump_captured(&p, cap);
  capture_close(cap);
  pair_free(&p);
}

/* Runs tshark on dir/tls.pcap (with the key log if keys) and returns its stdout. */
static tt_buf run_tshark(const char *dir, bool keys, const char *args) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "tshark -n -r '%s/tls.pcap' %s%s%s -Y tls %s 2>'%s/tshark.err'", dir,
           keys ? "-o 'tls.keylog_file:" : "", keys ? dir : "", keys ? "/tls.keys'" : "", args,
           dir);
  FILE *f = popen(cmd, "r");
  cr_assert_not_null(f, "popen: %s", strerror(errno));
  tt_buf out = {malloc(1), 0};
  uint8_t chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    out.p = realloc(out.p, out.len + n + 1);
    memcpy(out.p + out.len, chunk, n);
    out.len += n;
  }
  out.p[out.len] = '\0';
  int status = pclose(f);
  tt_buf e = slurp(dir, "tshark", "err");
  cr_assert_eq(status, 0, "%s: exit status %d\n%.*s", cmd, status, (int)e.len, (char *)e.p);
  tt_free(&e);
  return out;
}

/* The handshake types tshark printed ("1", "2", "8,11,15,20", ...), as a set. */
static void handshake_types(const tt_buf *out, bool seen[256]) {
  memset(seen, 0, 256 * sizeof *seen);
  for (const char *s = (const char *)out->p; *s != '\0';) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s) {
      s++;
      continue;
    }
    if (v >= 0 && v < 256)
      seen[v] = true;
    s = end;
  }
}

Test(capture, tshark_decrypts_the_handshake) {
  cr_assert_eq(system("command -v tshark >/dev/null 2>&1"), 0,
               "tshark not installed (scripts/setup installs it)");
  char dir[64];
  make_dir(dir, sizeof dir);
  capture_session(dir);

  bool seen[256];
  tt_buf out = run_tshark(dir, true, "-T fields -e tls.handshake.type");
  handshake_types(&out, seen);
  static const int want[] = {1, 2, 8, 11, 15, 20};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(seen[want[i]], "handshake type %d not shown; tshark printed:\n%s", want[i],
              (char *)out.p);
  tt_free(&out);

  /* Without the key log only the clear-text hellos are visible: the types above come from
   * decryption, not from a dissector guessing. */
  out = run_tshark(dir, false, "-T fields -e tls.handshake.type");
  handshake_types(&out, seen);
  cr_expect(seen[1] && seen[2], "hellos not shown without keys:\n%s", (char *)out.p);
  cr_expect(!seen[8] && !seen[11] && !seen[15] && !seen[20], "decrypted without keys?\n%s",
            (char *)out.p);
  tt_free(&out);
  remove_dir(dir);
}

/* Hex digits of out decoded in order, separators (tabs, commas, newlines) skipped. */
static tt_buf unhex(const tt_buf *out) {
  tt_buf b = {malloc(out->len / 2 + 1), 0};
  int hi = -1;
  for (size_t i = 0; i < out->len; i++) {
    char ch = (char)out->p[i];
    int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (v < 0)
      continue;
    if (hi < 0) {
      hi = v;
    } else {
      b.p[b.len++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  return b;
}

Test(capture, tshark_decrypts_application_data) {
  cr_assert_eq(system("command -v tshark >/dev/null 2>&1"), 0,
               "tshark not installed (scripts/setup installs it)");
  char dir[64];
  make_dir(dir, sizeof dir);
  capture_session(dir);

  /* Port 443 would hand the plaintext to the HTTP dissector, which holds non-HTTP bytes back
   * waiting for headers; without it the decrypted records are plain "data". Records split
   * across TCP segments (the bulk transfer) must come out whole. */
  tt_buf out = run_tshark(dir, true, "--disable-protocol http -T fields -e data.data");
  tt_buf got = unhex(&out);
  size_t want_len = strlen(client_text) + strlen(server_text) + BULK_LEN;
  uint8_t *want = malloc(want_len);
  memcpy(want, client_text, strlen(client_text));
  memcpy(want + strlen(client_text), server_text, strlen(server_text));
  memset(want + strlen(client_text) + strlen(server_text), 'z', BULK_LEN);
  cr_expect_eq(got.len, want_len, "decrypted %zu bytes, want %zu", got.len, want_len);
  cr_expect(got.len == want_len && memcmp(got.p, want, want_len) == 0,
            "decrypted application data differs; starts: %.60s", (char *)out.p);
  free(want);
  tt_free(&got);
  tt_free(&out);

  out = run_tshark(dir, false, "--disable-protocol http -T fields -e data.data");
  got = unhex(&out);
  cr_expect_eq(got.len, 0, "plaintext shown without keys: %.60s", (char *)out.p);
  tt_free(&got);
  tt_free(&out);
  remove_dir(dir);
}
