/* Captures: a classic pcap of synthetic TCP/IPv4 around the bytes each side wrote, and an
 * NSS key log beside it (see capture.h).
 *
 * The pcap is LINKTYPE_RAW (101): each packet starts at the IPv4 header, so there is no
 * invented Ethernet framing. Every field a dissector checks is real: IPv4 and TCP checksums,
 * sequence and acknowledgement numbers, the three-way handshake and the FINs, so tshark
 * reassembles the TCP stream and decrypts TLS with the key log without any "decode as". */
#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define PCAP_MAGIC 0xa1b2c3d4u
#define PCAP_SNAPLEN 262144u
#define LINKTYPE_RAW 101u

#define IP_HDR_LEN 20
#define TCP_HDR_LEN 20
#define TCP_SYN_HDR_LEN 24 /* with NOP + window scale, on SYN and SYN-ACK */
#define SEGMENT_MAX 16000  /* payload bytes per synthetic segment */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define SERVER_PORT 443
/* Windows are scaled by 2^7 (announced in the SYNs): a flight of certificates larger than
 * 64 KiB sent before the peer answers is then not flagged "window full" by tshark. */
#define WINDOW_SCALE 7

enum { CLIENT = 0, SERVER = 1 };

/* 127.0.0.1 and 127.0.0.2 */
static const uint8_t ip_addr[2][4] = {{127, 0, 0, 1}, {127, 0, 0, 2}};

struct capture {
  FILE *pcap, *keys;
  uint16_t port[2];
  uint32_t next_seq[2]; /* the sequence number of each side's next byte */
  uint16_t ip_id;
  struct timeval last; /* of the last packet written: timestamps must increase */
  uint8_t pkt[IP_HDR_LEN + TCP_SYN_HDR_LEN + SEGMENT_MAX];
};

/* FNV-1a: a stable port and initial sequence numbers per name, so two captures of the same
 * scenario look alike and different scenarios do not share a TCP stream id in a merged view. */
static uint32_t fnv1a_step(uint32_t h, const char *s) {
  for (; *s != '\0'; s++)
    h = (h ^ (uint8_t)*s) * 16777619u;
  /* The terminator counts, so ("ab", "c") and ("a", "bc") differ. */
  return h * 16777619u;
}

static uint32_t fnv1a(const char *s) { return fnv1a_step(2166136261u, s); }

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v) {
  put16(p, (uint16_t)(v >> 16));
  put16(p + 2, (uint16_t)v);
}

/* RFC 1071 one's-complement sum, folded; continues from `sum`. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n) {
  for (size_t i = 0; i + 1 < n; i += 2)
    sum += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (n % 2 == 1)
    sum += (uint32_t)(p[n - 1] << 8);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

static uint16_t csum_finish(uint32_t sum) { return (uint16_t)~csum_add(sum, NULL, 0); }

/* The pcap file header and record headers are in host byte order; the magic tells readers
 * which order that is. */
static void write_host(capture *c, const void *p, size_t n) { fwrite(p, 1, n, c->pcap); }

static void write_global_header(capture *c) {
  uint32_t magic = PCAP_MAGIC, zone = 0, sigfigs = 0, snaplen = PCAP_SNAPLEN, link = LINKTYPE_RAW;
  uint16_t major = 2, minor = 4;
  write_host(c, &magic, 4);
  write_host(c, &major, 2);
  write_host(c, &minor, 2);
  write_host(c, &zone, 4);
  write_host(c, &sigfigs, 4);
  write_host(c, &snaplen, 4);
  write_host(c, &link, 4);
}

/* Real time, but strictly after the previous packet even if the clock stands still or steps
 * back, so tshark's relative times and TCP analysis see an ordered stream. */
static struct timeval next_time(capture *c) {
  struct timeval now;
  gettimeofday(&now, NULL);
  if (now.tv_sec < c->last.tv_sec ||
      (now.tv_sec == c->last.tv_sec && now.tv_usec <= c->last.tv_usec)) {
    now = c->last;
    if (++now.tv_usec == 1000000) {
      now.tv_usec = 0;
      now.tv_sec++;
    }
  }
  c->last = now;
  return now;
}

static void write_record(capture *c, size_t len) {
  struct timeval t = next_time(c);
  uint32_t sec = (uint32_t)t.tv_sec, usec = (uint32_t)t.tv_usec, caplen = (uint32_t)len;
  write_host(c, &sec, 4);
  write_host(c, &usec, 4);
  write_host(c, &caplen, 4); /* incl_len */
  write_host(c, &caplen, 4); /* orig_len: nothing is truncated */
  write_host(c, c->pkt, len);
}

static void build_ip(capture *c, int from, size_t total) {
  uint8_t *ip = c->pkt;
  memset(ip, 0, IP_HDR_LEN);
  ip[0] = 0x45; /* version 4, IHL 5 */
  put16(ip + 2, (uint16_t)total);
  put16(ip + 4, c->ip_id++);
  put16(ip + 6, 0x4000); /* don't fragment */
  ip[8] = 64;            /* TTL */
  ip[9] = 6;             /* TCP */
  memcpy(ip + 12, ip_addr[from], 4);
  memcpy(ip + 16, ip_addr[!from], 4);
  put16(ip + 10, csum_finish(csum_add(0, ip, IP_HDR_LEN)));
}

/* The TCP checksum covers the RFC 793 pseudo-header, the header and the payload. */
static uint16_t tcp_checksum(int from, const uint8_t *tcp, size_t tcp_len) {
  uint8_t pseudo[12];
  memcpy(pseudo, ip_addr[from], 4);
  memcpy(pseudo + 4, ip_addr[!from], 4);
  pseudo[8] = 0;
  pseudo[9] = 6;
  put16(pseudo + 10, (uint16_t)tcp_len);
  return csum_finish(csum_add(csum_add(0, pseudo, sizeof pseudo), tcp, tcp_len));
}

/* One segment from side `from`: seq is that side's next byte, ack the other side's (none on
 * the first SYN). SYN and FIN each take one sequence number. */
static void segment(capture *c, int from, uint8_t flags, const uint8_t *p, size_t n) {
  size_t hdr = (flags & TCP_SYN) ? TCP_SYN_HDR_LEN : TCP_HDR_LEN;
  uint8_t *tcp = c->pkt + IP_HDR_LEN;
  memset(tcp, 0, hdr);
  put16(tcp, c->port[from]);
  put16(tcp + 2, c->port[!from]);
  put32(tcp + 4, c->next_seq[from]);
  put32(tcp + 8, (flags & TCP_ACK) ? c->next_seq[!from] : 0);
  tcp[12] = (uint8_t)((hdr / 4) << 4);
  tcp[13] = flags;
  put16(tcp + 14, 0xffff);
  if (flags & TCP_SYN) {
    const uint8_t wscale[4] = {1, 3, 3, WINDOW_SCALE}; /* NOP, kind 3 len 3 */
    memcpy(tcp + TCP_HDR_LEN, wscale, sizeof wscale);
  }
  if (n > 0)
    memcpy(tcp + hdr, p, n);
  put16(tcp + 16, tcp_checksum(from, tcp, hdr + n));
  build_ip(c, from, IP_HDR_LEN + hdr + n);
  write_record(c, IP_HDR_LEN + hdr + n);
  c->next_seq[from] += (uint32_t)n + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
}

/* Opens DIR/NAME.EXT for writing; NULL with err filled on failure. */
static FILE *open_one(const char *dir, const char *name, const char *ext, char *err,
                      size_t errlen) {
  char path[4096];
  int n = snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
  if (n < 0 || (size_t)n >= sizeof path) {
    snprintf(err, errlen, "capture: path too long: %s/%s.%s", dir, name, ext);
    return NULL;
  }
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
  return f;
}

capture *capture_open(const char *dir, const char *name, char *err, size_t errlen) {
  char scratch[1];
  if (err == NULL) { /* the caller does not want the message; snprintf still needs a buffer */
    err = scratch;
    errlen = sizeof scratch;
  }
  if (dir == NULL || name == NULL || name[0] == '\0') {
    snprintf(err, errlen, "capture: no directory or name given");
    return NULL;
  }
  capture *c = calloc(1, sizeof *c);
  if (c == NULL) {
    snprintf(err, errlen, "capture: out of memory");
    return NULL;
  }
  c->pcap = open_one(dir, name, "pcap", err, errlen);
  c->keys = c->pcap != NULL ? open_one(dir, name, "keys", err, errlen) : NULL;
  if (c->keys == NULL) {
    if (c->pcap != NULL)
      fclose(c->pcap);
    free(c);
    return NULL;
  }
  uint32_t h = fnv1a(name);
  c->port[CLIENT] = (uint16_t)(40000 + h % 20000);
  c->port[SERVER] = SERVER_PORT;
  c->next_seq[CLIENT] = h * 2654435761u;
  c->next_seq[SERVER] = ~h * 2246822519u;
  write_global_header(c);
  segment(c, CLIENT, TCP_SYN, NULL, 0);
  segment(c, SERVER, TCP_SYN | TCP_ACK, NULL, 0);
  segment(c, CLIENT, TCP_ACK, NULL, 0);
  fflush(c->pcap);
  return c;
}

void capture_data(capture *c, bool from_client, const uint8_t *p, size_t n) {
  if (c == NULL)
    return;
  int from = from_client ? CLIENT : SERVER;
  while (n > 0) {
    size_t k = n < SEGMENT_MAX ? n : SEGMENT_MAX;
    segment(c, from, TCP_PSH | TCP_ACK, p, k);
    p += k;
    n -= k;
  }
  /* A run that crashes the process still leaves a readable capture up to here. */
  fflush(c->pcap);
}

static void write_hex(FILE *f, tg_bytes b) {
  for (size_t i = 0; i < b.len; i++)
    fprintf(f, "%02x", b.p[i]);
}

void capture_keylog(void *ctx, const char *label, tg_bytes client_random, tg_bytes secret) {
  capture *c = ctx;
  if (c == NULL || label == NULL)
    return;
  fprintf(c->keys, "%s ", label);
  write_hex(c->keys, client_random);
  fputc(' ', c->keys);
  write_hex(c->keys, secret);
  fputc('\n', c->keys);
  fflush(c->keys);
}

void capture_close(capture *c) {
  if (c == NULL)
    return;
  /* The client closes first; the server's FIN acknowledges it; the client acknowledges that. */
  segment(c, CLIENT, TCP_FIN | TCP_ACK, NULL, 0);
  segment(c, SERVER, TCP_FIN | TCP_ACK, NULL, 0);
  segment(c, CLIENT, TCP_ACK, NULL, 0);
  fclose(c->pcap);
  fclose(c->keys);
  free(c);
}

/* Appends s to out[*len..] with every byte outside [A-Za-z0-9_-] replaced by '_'; stops at
 * `limit`. Dots go too: no name can be "." or "..", or hide an extension. */
static void append_safe(char *out, size_t *len, size_t limit, const char *s) {
  for (; *s != '\0' && *len < limit; s++) {
    char ch = *s;
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_';
    out[(*len)++] = ok ? ch : '_';
  }
}

/* Longest name produced: file systems allow 255 bytes per component, and the caller appends
 * ".pcap" / ".keys". */
#define SAFE_NAME_MAX 200

void capture_safe_name(char *out, size_t cap, const char *scenario_id, const char *impl) {
  if (out == NULL || cap == 0)
    return;
  const char *id = scenario_id != NULL ? scenario_id : "";
  bool has_impl = impl != NULL && impl[0] != '\0';
  size_t limit = cap - 1 < SAFE_NAME_MAX ? cap - 1 : SAFE_NAME_MAX;
  size_t want = strlen(id) + (has_impl ? 1 + strlen(impl) : 0);
  /* Too long: a prefix and a hash of the whole, so long ids that share a prefix stay apart. */
  bool hashed = want > limit && limit >= 9;
  size_t len = 0, stop = hashed ? limit - 9 : limit;
  append_safe(out, &len, stop, id);
  if (has_impl) {
    append_safe(out, &len, stop, "-");
    append_safe(out, &len, stop, impl);
  }
  if (hashed) {
    uint32_t h = fnv1a_step(fnv1a_step(2166136261u, id), has_impl ? impl : "");
    snprintf(out + len, cap - len, "-%08x", (unsigned)h);
  } else {
    out[len] = '\0';
  }
}
