/* The second ClientHello against the first and the HelloRetryRequest (hello_check.h).
 *
 * RFC 8446 4.1.2: after a HelloRetryRequest "the client MUST send the same ClientHello without
 * modification, except as follows": key_share replaced by one share for the selected group
 * (4.2.8), early_data removed (4.2.10), the cookie added (4.2.2), pre_shared_key updated, and
 * padding optionally added, removed or changed. Everything else stays, in the same order. */
#include "hello_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/codec.h"
#include "tg/extensions.h"
#include "tg/hs/server_hello.h"
#include "tg/names.h"

static const char *const names[HC_COUNT] = {"unchanged", "cookie", "key_share", "no_early_data"};

const char *hello_check_name(unsigned check) { return check < HC_COUNT ? names[check] : NULL; }

int hello_check_find(const char *name) {
  for (int i = 0; i < HC_COUNT; i++)
    if (strcmp(names[i], name) == 0)
      return i;
  return -1;
}

void hello_watch_free(hello_watch *w) {
  free(w->first);
  *w = (hello_watch){0};
}

void hello_watch_sent(hello_watch *w, const tg_handshake *m) {
  /* The engine builds a HelloRetryRequest by its random; is_hrr is what a decoder sets. */
  if (m->msg_type != TG_HS_server_hello ||
      (!m->u.server_hello.is_hrr &&
       memcmp(m->u.server_hello.random, tg_hrr_random, sizeof tg_hrr_random) != 0))
    return;
  tg_bytes ext = m->u.server_hello.extensions, body;
  w->hrr_sent = true;
  w->hrr_group = 0;
  if (tg_ext_find(ext, TG_EXT_key_share, &body) && body.len == 2)
    w->hrr_group = (uint16_t)(body.p[0] << 8 | body.p[1]);
  w->has_cookie = tg_ext_find(ext, TG_EXT_cookie, &body) && body.len <= sizeof w->cookie;
  w->cookie_len = w->has_cookie ? body.len : 0;
  if (w->cookie_len)
    memcpy(w->cookie, body.p, body.len);
}

/* Copies the first ClientHello's variable fields into one allocation; ch1 points into it. */
static void keep_first(hello_watch *w, const tg_client_hello *ch) {
  const tg_bytes *parts[] = {&ch->legacy_session_id, &ch->cipher_suites,
                             &ch->legacy_compression_methods, &ch->extensions};
  size_t total = 0;
  for (size_t i = 0; i < 4; i++)
    total += parts[i]->len;
  free(w->first);
  w->first = malloc(total ? total : 1);
  if (w->first == NULL)
    return;
  w->ch1 = *ch;
  tg_bytes *out[] = {&w->ch1.legacy_session_id, &w->ch1.cipher_suites,
                     &w->ch1.legacy_compression_methods, &w->ch1.extensions};
  size_t at = 0;
  for (size_t i = 0; i < 4; i++) {
    if (parts[i]->len)
      memcpy(w->first + at, parts[i]->p, parts[i]->len);
    *out[i] = tg_bytes_of(w->first + at, parts[i]->len);
    at += parts[i]->len;
  }
  w->first_len = total;
  w->have_first = true;
}

/* The extensions 4.1.2 lets the second ClientHello change. */
static bool may_change(uint16_t type) {
  return type == TG_EXT_key_share || type == TG_EXT_early_data || type == TG_EXT_cookie ||
         type == TG_EXT_pre_shared_key || type == TG_EXT_padding;
}

static const char *ext_str(uint16_t type, char *buf, size_t cap) {
  const char *n = tg_ext_type_name(type);
  if (n == NULL)
    snprintf(buf, cap, "extension %u", type);
  return n ? n : buf;
}

/* Appends " LABEL: 0,10,43,..." (the ExtensionTypes of a block, in order) to out. */
static void list_types(char *out, size_t cap, const char *label, tg_bytes block) {
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  size_t n = strlen(out);
  n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s:", label);
  tg_ext_iter_init(&it, block);
  for (bool first = true; n < cap && tg_ext_next(&it, &type, &data); first = false)
    n += (size_t)snprintf(out + n, cap - n, "%s%u", first ? " " : ",", type);
}

/* The next extension that may not change, or false at the end. */
static bool next_fixed(tg_ext_iter *it, uint16_t *type, tg_bytes *data) {
  while (tg_ext_next(it, type, data))
    if (!may_change(*type))
      return true;
  return false;
}

static void check_unchanged(hello_watch *w, const tg_client_hello *ch2, char *out, size_t cap) {
  const tg_client_hello *ch1 = &w->ch1;
  const char *field =
      ch1->legacy_version != ch2->legacy_version                     ? "legacy_version"
      : memcmp(ch1->random, ch2->random, 32) != 0                    ? "random"
      : !tg_bytes_eq(ch1->legacy_session_id, ch2->legacy_session_id) ? "legacy_session_id"
      : !tg_bytes_eq(ch1->cipher_suites, ch2->cipher_suites)         ? "cipher_suites"
      : !tg_bytes_eq(ch1->legacy_compression_methods, ch2->legacy_compression_methods)
          ? "legacy_compression_methods"
          : NULL;
  if (field != NULL) {
    snprintf(out, cap, "%s differs from the first ClientHello's", field);
    return;
  }
  tg_ext_iter a, b;
  tg_ext_iter_init(&a, ch1->extensions);
  tg_ext_iter_init(&b, ch2->extensions);
  for (;;) {
    uint16_t ta, tb;
    tg_bytes da, db;
    bool more_a = next_fixed(&a, &ta, &da), more_b = next_fixed(&b, &tb, &db);
    char n1[32], n2[32];
    if (!more_a && !more_b)
      return;
    if (!more_b)
      snprintf(out, cap, "%s of the first ClientHello is missing", ext_str(ta, n1, sizeof n1));
    else if (!more_a)
      snprintf(out, cap, "%s was not in the first ClientHello", ext_str(tb, n2, sizeof n2));
    else if (ta != tb)
      snprintf(out, cap, "%s where the first ClientHello had %s", ext_str(tb, n2, sizeof n2),
               ext_str(ta, n1, sizeof n1));
    else if (!tg_bytes_eq(da, db))
      snprintf(out, cap, "%s differs from the first ClientHello's", ext_str(ta, n1, sizeof n1));
    else
      continue;
    list_types(out, cap, "; first", ch1->extensions);
    list_types(out, cap, "; second", ch2->extensions);
    return;
  }
}

static void check_cookie(hello_watch *w, const tg_client_hello *ch2, char *out, size_t cap) {
  tg_bytes body;
  bool has = tg_ext_find(ch2->extensions, TG_EXT_cookie, &body);
  if (w->has_cookie && !has)
    snprintf(out, cap, "no cookie: the HelloRetryRequest had one");
  else if (w->has_cookie && !tg_bytes_eq(body, tg_bytes_of(w->cookie, w->cookie_len)))
    snprintf(out, cap, "a cookie other than the HelloRetryRequest's");
  else if (!w->has_cookie && has)
    snprintf(out, cap, "a cookie, but the HelloRetryRequest had none");
}

/* client_shares: the groups of its entries into groups (at most cap), false if malformed. */
static bool share_groups(tg_bytes body, uint16_t *groups, size_t cap, size_t *n) {
  tg_reader r, list;
  tg_reader_init(&r, body.p, body.len, NULL);
  *n = 0;
  if (tg_read_vec(&r, 2, 0, 65535, &list, "client_shares") != TG_OK || tg_left(&r) != 0)
    return false;
  while (tg_left(&list) > 0) {
    uint16_t g;
    tg_reader kx;
    if (tg_read_u16(&list, &g, "group") != TG_OK ||
        tg_read_vec(&list, 2, 1, 65535, &kx, "key_exchange") != TG_OK)
      return false;
    if (*n < cap)
      groups[*n] = g;
    (*n)++;
  }
  return true;
}

static void check_key_share(hello_watch *w, const tg_client_hello *ch2, char *out, size_t cap) {
  tg_bytes body, first;
  bool has = tg_ext_find(ch2->extensions, TG_EXT_key_share, &body);
  bool had = tg_ext_find(w->ch1.extensions, TG_EXT_key_share, &first);
  uint16_t groups[8];
  size_t n;
  if (w->hrr_group == 0) { /* nothing asked for: the shares stay as they were */
    if (has != had || (has && !tg_bytes_eq(body, first)))
      snprintf(out, cap, "key_share changed, but the HelloRetryRequest selected no group");
    return;
  }
  const char *g = tg_group_name(w->hrr_group);
  if (!has)
    snprintf(out, cap, "no key_share: the HelloRetryRequest selected %s", g ? g : "a group");
  else if (!share_groups(body, groups, 8, &n))
    snprintf(out, cap, "a key_share that does not parse");
  else if (n != 1 || groups[0] != w->hrr_group)
    snprintf(out, cap, "%zu key shares (first 0x%04x); the HelloRetryRequest selected %s alone", n,
             n ? groups[0] : 0, g ? g : "a group");
}

void hello_watch_received(hello_watch *w, const tg_handshake *m) {
  if (m->msg_type != TG_HS_client_hello)
    return;
  const tg_client_hello *ch = &m->u.client_hello;
  if (!w->hrr_sent) {
    keep_first(w, ch);
    return;
  }
  if (w->second || !w->have_first)
    return;
  w->second = true;
  tg_bytes body;
  check_unchanged(w, ch, w->problem[HC_UNCHANGED], sizeof w->problem[0]);
  check_cookie(w, ch, w->problem[HC_COOKIE], sizeof w->problem[0]);
  check_key_share(w, ch, w->problem[HC_KEY_SHARE], sizeof w->problem[0]);
  if (tg_ext_find(ch->extensions, TG_EXT_early_data, &body))
    snprintf(w->problem[HC_NO_EARLY_DATA], sizeof w->problem[0],
             "early_data after a HelloRetryRequest");
}
