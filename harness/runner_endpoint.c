/* The scripted endpoint's configuration: a tg_config from a scenario's `endpoint:` keys, with its
 * certificate chain and key from vectors/scenarios/certs, real randomness and the real clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "runner_internal.h"
#include "tg/pem.h"

/* ---- Text buffers ------------------------------------------------------------------------- */

void sb_vprintf(strbuf *b, const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, again);
  va_end(again);
  if (n < 0)
    return;
  if (b->len + (size_t)n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + (size_t)n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL)
      return;
    b->p = p;
    b->cap = cap;
  }
  vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  b->len += (size_t)n;
}

void sb_append(strbuf *b, const void *p, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *q = realloc(b->p, cap);
    if (q == NULL)
      return;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void sb_printf(strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
}

void sb_free(strbuf *b) {
  free(b->p);
  *b = (strbuf){0};
}

/* ---- Randomness and time ------------------------------------------------------------------ */

static void rng_fill(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  while (len > 0) {
    ssize_t n = getrandom(out, len, 0);
    if (n <= 0)
      abort(); /* the kernel's RNG does not fail on a booted system */
    out += n;
    len -= (size_t)n;
  }
}

/* endpoint.rng_seed: the engine draws its randomness in a fixed order (tg/engine.h), so the same
 * seed gives the same key shares and randoms on every run. */
static void seeded_fill(void *ctx, uint8_t *out, size_t len) {
  endpoint *e = ctx;
  while (len > 0) {
    if (e->seeded.used == 0 || e->seeded.used == sizeof e->seeded.block) {
      tg_hash_ctx h;
      uint8_t counter[8];
      for (size_t i = 0; i < 8; i++)
        counter[i] = (uint8_t)(e->seeded.counter >> (56 - 8 * i));
      e->seeded.counter++;
      tg_hash_init(&h, &tg_sha256);
      tg_hash_update(&h, e->seeded.seed);
      tg_hash_update(&h, tg_bytes_of(counter, sizeof counter));
      tg_hash_peek(&h, e->seeded.block);
      e->seeded.used = 0;
    }
    size_t n = sizeof e->seeded.block - e->seeded.used;
    n = n < len ? n : len;
    memcpy(out, e->seeded.block + e->seeded.used, n);
    e->seeded.used += n;
    out += n;
    len -= n;
  }
}

static int64_t clock_now(void *ctx) {
  (void)ctx;
  return (int64_t)time(NULL);
}

int64_t runner_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- Credentials -------------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len, char *msg, size_t msglen) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(msg, msglen, "cannot open %s", path);
    return NULL;
  }
  size_t cap = 8192, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf != NULL && (n += fread(buf + n, 1, cap - n, f)) == cap) {
    uint8_t *bigger = realloc(buf, cap *= 2);
    if (bigger == NULL)
      free(buf);
    buf = bigger;
  }
  fclose(f);
  if (buf == NULL)
    snprintf(msg, msglen, "out of memory reading %s", path);
  *len = n;
  return buf;
}

static bool load_chain(endpoint *e, const char *path, char *msg, size_t msglen) {
  size_t len, line = 0, offs[EP_MAX_CERTS + 1], n = 0;
  e->chain_text = read_file(path, &len, msg, msglen);
  if (e->chain_text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_writer_init_dynamic(&e->chain_der, &err);
  tg_reader r;
  tg_reader_init(&r, e->chain_text, len, &err);
  for (;;) {
    tg_pem_block b;
    bool found;
    if (tg_pem_next(&r, &line, &b, &found, &err) != TG_OK)
      break;
    if (!found || n == EP_MAX_CERTS)
      break;
    if (!tg_pem_label_is(&b, "CERTIFICATE"))
      continue;
    offs[n] = e->chain_der.len;
    if (tg_pem_decode(&b, &e->chain_der, &err) != TG_OK)
      break;
    offs[++n] = e->chain_der.len;
  }
  if (err.code != TG_OK || n == 0) {
    char buf[256];
    snprintf(msg, msglen, "%s: %s", path,
             n == 0 && err.code == TG_OK ? "no CERTIFICATE" : tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  for (size_t i = 0; i < n; i++)
    e->certs[i] = tg_bytes_of(e->chain_der.buf + offs[i], offs[i + 1] - offs[i]);
  e->chain = (tg_cert_chain){e->certs, n, NULL};
  return true;
}

static bool load_key(endpoint *e, const char *path, char *msg, size_t msglen) {
  size_t len;
  uint8_t *text = read_file(path, &len, msg, msglen);
  if (text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_status st = tg_private_key_load(tg_bytes_of(text, len), &e->key, &err);
  free(text);
  if (st != TG_OK) {
    char buf[256];
    snprintf(msg, msglen, "%s: %s", path, tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  e->chain.key = e->key;
  return true;
}

static bool load_anchors(endpoint *e, const char *path, char *msg, size_t msglen) {
  size_t len;
  uint8_t *text = read_file(path, &len, msg, msglen);
  if (text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_x509_store_init(&e->anchors);
  e->has_anchors = true;
  tg_status st = tg_x509_store_add_pem(&e->anchors, tg_bytes_of(text, len), &err);
  free(text);
  if (st != TG_OK) {
    char buf[256];
    snprintf(msg, msglen, "%s: %s", path, tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  tg_x509_validator_init(&e->validator, &e->anchors);
  e->cfg.validator = &e->validator;
  return true;
}

/* ---- The configuration -------------------------------------------------------------------- */

static tg_bytes wire_list(uint8_t *buf, const sc_u16_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    buf[2 * i] = (uint8_t)(l->v[i] >> 8);
    buf[2 * i + 1] = (uint8_t)l->v[i];
  }
  return tg_bytes_of(buf, 2 * l->n);
}

/* A certificate setting: a name of certs_dir, or a path (it has a '/'). */
static void cert_path(char *out, size_t cap, const run_env *env, const char *name) {
  if (strchr(name, '/') != NULL)
    snprintf(out, cap, "%s", name);
  else
    snprintf(out, cap, "%s/%s.pem", env->certs_dir, name);
}

bool endpoint_init(endpoint *e, const sc_scenario *s, const run_env *env,
                   const target_profile *profile, char *msg, size_t msglen) {
  memset(e, 0, sizeof *e);
  const sc_endpoint *ep = &s->endpoint;
  bool is_server = s->target == SC_TARGET_CLIENT;
  tg_config *c = &e->cfg;
  /* No minimum: only the maximum (the engine reads a zero minimum as the maximum). */
  c->min_version = ep->min_version;
  c->max_version = ep->max_version ? ep->max_version : TG_VERSION_TLS13;
  c->cipher_suites = wire_list(e->suites, &ep->cipher_suites);
  c->groups = wire_list(e->groups, &ep->groups);
  c->key_share_groups = wire_list(e->shares, &ep->key_shares);
  c->sig_schemes = wire_list(e->sigalgs, &ep->sigalgs);
  const char *name = profile != NULL ? profile->server_name : "server.test";
  c->server_name = ep->server_name ? ep->server_name : (is_server ? NULL : name);
  if (c->server_name != NULL && c->server_name[0] == '\0')
    c->server_name = NULL;
  c->alpn = tg_bytes_of(ep->alpn.p, ep->alpn.len);
  c->require_client_cert = ep->request_client_cert;
  c->record_padding = ep->record_padding;
  c->record_size_limit = (uint16_t)ep->record_size_limit;
  c->middlebox_compat = ep->middlebox_compat;
  c->ems_optional = ep->ems_optional;
  c->hrr_cookie = tg_bytes_of(ep->hrr_cookie.p, ep->hrr_cookie.len);
  c->rng = (tg_rng){rng_fill, NULL};
  if (ep->rng_seed.len > 0) {
    e->seeded.seed = tg_bytes_of(ep->rng_seed.p, ep->rng_seed.len);
    c->rng = (tg_rng){seeded_fill, e};
  }
  c->clock = (tg_clock){clock_now, NULL};
  c->num_tickets = -1; /* a scenario about tickets asks for them */
  /* The static RSA key exchange is off by default: a scenario that lists one of its suites
   * (TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_*_CBC_*, TLS_RSA_WITH_AES_128_CCM, ...) asks for it. */
  for (size_t i = 0; i < ep->cipher_suites.n; i++) {
    const tg_cipher_suite *cs = tg_cipher_suite_find(ep->cipher_suites.v[i]);
    if (cs != NULL && cs->kx == TG_SUITE_KX_RSA)
      c->rsa_key_exchange = true;
  }

  const char *cert = ep->cert ? ep->cert : (is_server ? "server" : NULL);
  char path[4096];
  if (cert != NULL && strcmp(cert, "none") != 0) {
    snprintf(path, sizeof path, "%s/%s.pem", env->certs_dir, cert);
    if (!load_chain(e, path, msg, msglen))
      return false;
    snprintf(path, sizeof path, "%s/%s.key", env->certs_dir, cert);
    if (!load_key(e, path, msg, msglen))
      return false;
    c->chain = &e->chain;
  }
  if (ep->verify || (is_server && ep->request_client_cert)) {
    /* A server target's chain verifies against its profile's anchor; client certificates
     * against certs/root.pem (the scenario's client chains are issued there). */
    cert_path(path, sizeof path, env,
              profile != NULL && !is_server ? profile->trust_anchor : "root");
    if (!load_anchors(e, path, msg, msglen))
      return false;
  }
  return true;
}

void endpoint_free(endpoint *e) {
  free(e->chain_text);
  tg_writer_free(&e->chain_der);
  tg_private_key_free(e->key);
  if (e->has_anchors)
    tg_x509_store_free(&e->anchors);
}
