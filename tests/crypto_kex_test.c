/* Key-exchange groups against RFC 7748 and RFC 8448, and the share validation of RFC 8446
 * §4.2.8.2 (every rejected share is illegal_parameter). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/kex.h"
#include "tg/names.h"

#define VEC TG_SOURCE_DIR "/vectors/rfc8448/"

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  unsigned v;
  while (*hex && sscanf(hex, "%2x", &v) == 1) {
    cr_assert_lt(n, cap);
    out[n++] = (uint8_t)v;
    hex += 2;
  }
  return n;
}

static size_t hex_file(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "%s", path);
  char buf[1024] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return unhex(buf, out, cap);
}

/* A deterministic test RNG (xorshift64*): enough for keygen, not for production. */
static void test_fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
    out[i] = (uint8_t)((*s * 0x2545F4914F6CDD1DULL) >> 56);
  }
}

static void expect_illegal(tg_status st, const tg_err *err, const char *what, const char *name) {
  cr_expect_neq(st, TG_OK, "%s accepted", name);
  cr_expect_eq(err->alert, TG_ALERT_illegal_parameter, "%s: alert %d (%s)", name, err->alert,
               err->what);
  cr_expect(strstr(err->what, what) != NULL, "%s: \"%s\" lacks \"%s\"", name, err->what, what);
}

Test(kex, find_groups) {
  cr_assert_eq(tg_group_find(TG_GROUP_x25519), &tg_group_x25519);
  cr_assert_eq(tg_group_find(TG_GROUP_secp256r1), &tg_group_secp256r1);
  cr_assert_eq(tg_group_find(TG_GROUP_secp384r1), &tg_group_secp384r1);
  cr_assert_null(tg_group_find(0x0a0a)); /* GREASE */
  cr_assert_eq(tg_group_secp384r1.share_len, 97);
  cr_assert_str_eq(tg_group_secp256r1.name, tg_group_name(TG_GROUP_secp256r1));
}

/* RFC 7748 §5.2: X25519(scalar, u) for two single inputs (scalars not yet clamped). */
Test(kex, x25519_rfc7748_section5_2) {
  static const char *const rows[][3] = {
      {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
       "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
       "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
      {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
       "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
       "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"}};
  for (size_t i = 0; i < 2; i++) {
    uint8_t scalar[32], u[32], want[32], got[32], share[32];
    tg_kex_private key;
    tg_err err = {0};
    unhex(rows[i][0], scalar, 32);
    unhex(rows[i][1], u, 32);
    unhex(rows[i][2], want, 32);
    cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, scalar, &key, share, &err), TG_OK);
    cr_assert_eq(tg_kex_derive(&key, tg_bytes_of(u, 32), got, &err), TG_OK, "%s", err.what);
    cr_expect_arr_eq(got, want, 32, "row %zu", i);
  }
}

/* RFC 7748 §5.2: k = u = 9, then k, u = X25519(k, u), k: after 1 and 1000 iterations. */
Test(kex, x25519_rfc7748_iterated) {
  uint8_t k[32] = {9}, u[32] = {9}, out[32], share[32], want1[32], want1000[32];
  unhex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", want1, 32);
  unhex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want1000, 32);
  for (int i = 1; i <= 1000; i++) {
    tg_kex_private key;
    tg_err err = {0};
    cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, k, &key, share, &err), TG_OK);
    cr_assert_eq(tg_kex_derive(&key, tg_bytes_of(u, 32), out, &err), TG_OK, "%s", err.what);
    memcpy(u, k, 32);
    memcpy(k, out, 32);
    if (i == 1)
      cr_assert_arr_eq(k, want1, 32);
  }
  cr_assert_arr_eq(k, want1000, 32);
}

/* RFC 7748 §6.1: Alice and Bob. */
Test(kex, x25519_rfc7748_section6_1) {
  uint8_t a[32], a_pub[32], b[32], b_pub[32], k[32], share[32], got[32];
  tg_kex_private ka, kb;
  tg_err err = {0};
  unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a, 32);
  unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", a_pub, 32);
  unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b, 32);
  unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pub, 32);
  unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", k, 32);
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, a, &ka, share, &err), TG_OK);
  cr_assert_arr_eq(share, a_pub, 32);
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, b, &kb, share, &err), TG_OK);
  cr_assert_arr_eq(share, b_pub, 32);
  cr_assert_eq(tg_kex_derive(&ka, tg_bytes_of(b_pub, 32), got, &err), TG_OK);
  cr_assert_arr_eq(got, k, 32);
  cr_assert_eq(tg_kex_derive(&kb, tg_bytes_of(a_pub, 32), got, &err), TG_OK);
  cr_assert_arr_eq(got, k, 32);
}

/* RFC 8448 §3: both ephemeral pairs, and the shared secret in both directions. */
Test(kex, x25519_rfc8448_section3) {
  uint8_t c[32], c_pub[32], s[32], s_pub[32], k[32], share[32], got[32];
  tg_kex_private kc, ks;
  tg_err err = {0};
  hex_file(VEC "sec3-simple-1rtt/client_x25519_private.hex", c, 32);
  hex_file(VEC "sec3-simple-1rtt/client_x25519_public.hex", c_pub, 32);
  hex_file(VEC "sec3-simple-1rtt/server_x25519_private.hex", s, 32);
  hex_file(VEC "sec3-simple-1rtt/server_x25519_public.hex", s_pub, 32);
  cr_assert_eq(hex_file(VEC "sec3-simple-1rtt/shared_secret.hex", k, 32), 32);
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, c, &kc, share, &err), TG_OK);
  cr_assert_arr_eq(share, c_pub, 32, "client public = X25519(private, 9)");
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, s, &ks, share, &err), TG_OK);
  cr_assert_arr_eq(share, s_pub, 32, "server public = X25519(private, 9)");
  cr_assert_eq(tg_kex_derive(&kc, tg_bytes_of(s_pub, 32), got, &err), TG_OK);
  cr_assert_arr_eq(got, k, 32);
  cr_assert_eq(tg_kex_derive(&ks, tg_bytes_of(c_pub, 32), got, &err), TG_OK);
  cr_assert_arr_eq(got, k, 32);
}

/* RFC 8446 §7.4.2, RFC 7748 §6.1: low-order points give an all-zero secret: illegal_parameter. */
Test(kex, x25519_low_order_points_rejected) {
  static const char *const low_order[] = {
      "0000000000000000000000000000000000000000000000000000000000000000", /* 0 */
      "0100000000000000000000000000000000000000000000000000000000000000", /* 1 */
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", /* order 8 */
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
  };
  uint8_t priv[32], share[32], u[32], out[32];
  uint64_t seed = 7;
  tg_kex_private key;
  tg_err err = {0};
  test_fill(&seed, priv, sizeof priv);
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, priv, &key, share, &err), TG_OK);
  for (size_t i = 0; i < sizeof low_order / sizeof low_order[0]; i++) {
    tg_err e = {0};
    unhex(low_order[i], u, 32);
    expect_illegal(tg_kex_derive(&key, tg_bytes_of(u, 32), out, &e), &e, "all zeros", low_order[i]);
  }
}

Test(kex, x25519_wrong_length_rejected) {
  uint8_t share[33] = {9}, out[32];
  tg_kex_private key;
  tg_err err = {0};
  cr_assert_eq(tg_group_x25519.keygen(&tg_group_x25519, NULL, share, &key, out, &err), TG_OK);
  for (size_t len = 0; len <= 33; len += 1) {
    if (len == 32)
      continue;
    tg_err e = {0};
    expect_illegal(tg_kex_derive(&key, tg_bytes_of(share, len), out, &e), &e, "length", "len");
    e = (tg_err){0};
    expect_illegal(tg_group_x25519.check_share(&tg_group_x25519, tg_bytes_of(share, len), &e), &e,
                   "length", "check");
  }
}

/* RFC 8448 §5: the P-256 pairs and the shared secret (the x-coordinate). */
Test(kex, p256_rfc8448_section5) {
  uint8_t c[32], c_pub[65], s[32], s_pub[65], k[32], share[65], got[32];
  tg_kex_private kc, ks;
  tg_err err = {0};
  const tg_group_desc *g = &tg_group_secp256r1;
  hex_file(VEC "sec5-hrr/client_p256_private.hex", c, 32);
  hex_file(VEC "sec5-hrr/client_p256_public.hex", c_pub, 65);
  hex_file(VEC "sec5-hrr/server_p256_private.hex", s, 32);
  cr_assert_eq(hex_file(VEC "sec5-hrr/server_p256_public.hex", s_pub, 65), 65);
  cr_assert_eq(hex_file(VEC "sec5-hrr/shared_secret.hex", k, 32), 32);
  cr_assert_eq(g->keygen(g, NULL, c, &kc, share, &err), TG_OK, "%s", err.what);
  cr_assert_arr_eq(share, c_pub, 65, "client public = private * G");
  cr_assert_eq(g->keygen(g, NULL, s, &ks, share, &err), TG_OK, "%s", err.what);
  cr_assert_arr_eq(share, s_pub, 65, "server public = private * G");
  cr_assert_eq(tg_kex_derive(&kc, tg_bytes_of(s_pub, 65), got, &err), TG_OK, "%s", err.what);
  cr_assert_arr_eq(got, k, 32);
  cr_assert_eq(tg_kex_derive(&ks, tg_bytes_of(c_pub, 65), got, &err), TG_OK, "%s", err.what);
  cr_assert_arr_eq(got, k, 32);
}

/* RFC 8446 §4.2.8.2: the share must be a valid uncompressed point of the right length. */
Test(kex, p256_invalid_shares_rejected) {
  uint8_t s[32], pub[65], bad[66], out[32], share[65];
  tg_kex_private key;
  tg_err err = {0};
  const tg_group_desc *g = &tg_group_secp256r1;
  hex_file(VEC "sec5-hrr/server_p256_private.hex", s, 32);
  hex_file(VEC "sec5-hrr/client_p256_public.hex", pub, 65);
  cr_assert_eq(g->keygen(g, NULL, s, &key, share, &err), TG_OK);
  static const struct {
    const char *name;
    int mutation;
    size_t len;
    const char *what;
  } rows[] = {
      {"off curve (y flipped)", 1, 65, "not a point on secp256r1"},
      {"compressed form byte", 2, 65, "point form 0x02"},
      {"compressed point", 3, 33, "length 33"},
      {"infinity byte", 4, 1, "length 1"},
      {"infinity form, full length", 5, 65, "point form 0x00"},
      {"x = p", 6, 65, "not a point"},
      {"one byte short", 0, 64, "length 64"},
      {"one byte long", 0, 66, "length 66"},
      {"empty", 0, 0, "length 0"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    memcpy(bad, pub, 65);
    bad[65] = 0;
    switch (rows[i].mutation) {
    case 1: bad[64] ^= 1; break;
    case 2: bad[0] = 2; break;
    case 3: bad[0] = 2 + (pub[64] & 1); break;
    case 4:
    case 5: memset(bad, 0, sizeof bad); break;
    case 6:
      unhex("04ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", bad, 33);
      break;
    }
    tg_err e = {0};
    expect_illegal(tg_kex_derive(&key, tg_bytes_of(bad, rows[i].len), out, &e), &e, rows[i].what,
                   rows[i].name);
    e = (tg_err){0};
    expect_illegal(g->check_share(g, tg_bytes_of(bad, rows[i].len), &e), &e, rows[i].what,
                   rows[i].name);
  }
  tg_err e = {0};
  cr_assert_eq(g->check_share(g, tg_bytes_of(pub, 65), &e), TG_OK, "the valid share passes");
}

Test(kex, p256_given_scalar_out_of_range) {
  static const char *const bad[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", /* n */
  };
  for (size_t i = 0; i < 2; i++) {
    uint8_t s[32], share[65];
    tg_kex_private key;
    tg_err err = {0};
    unhex(bad[i], s, 32);
    cr_expect_eq(tg_group_secp256r1.keygen(&tg_group_secp256r1, NULL, s, &key, share, &err),
                 TG_E_USAGE);
    cr_expect_eq(err.alert, TG_ALERT_internal_error);
  }
}

static void round_trip(const tg_group_desc *g, uint64_t seed_a, uint64_t seed_b) {
  uint8_t sa[TG_KEX_MAX_SHARE], sb[TG_KEX_MAX_SHARE], ka[TG_KEX_MAX_SECRET], kb[TG_KEX_MAX_SECRET];
  tg_rng ra = {test_fill, &seed_a}, rb = {test_fill, &seed_b};
  tg_kex_private a, b;
  tg_err err = {0};
  cr_assert_eq(tg_kex_keygen(g, &ra, &a, sa, &err), TG_OK, "%s", err.what);
  cr_assert_eq(tg_kex_keygen(g, &rb, &b, sb, &err), TG_OK, "%s", err.what);
  cr_assert(memcmp(sa, sb, g->share_len) != 0, "two keys from different seeds");
  cr_assert_eq(g->check_share(g, tg_bytes_of(sa, g->share_len), &err), TG_OK, "%s", err.what);
  cr_assert_eq(tg_kex_derive(&a, tg_bytes_of(sb, g->share_len), ka, &err), TG_OK, "%s", err.what);
  cr_assert_eq(tg_kex_derive(&b, tg_bytes_of(sa, g->share_len), kb, &err), TG_OK, "%s", err.what);
  cr_assert_arr_eq(ka, kb, g->secret_len, "%s: both sides agree", g->name);
}

Test(kex, round_trips_with_rng) {
  round_trip(&tg_group_x25519, 1, 2);
  round_trip(&tg_group_secp256r1, 3, 4);
  round_trip(&tg_group_secp384r1, 5, 6);
}

Test(kex, p384_off_curve_and_length_rejected) {
  uint8_t share[97], out[48];
  uint64_t seed = 11;
  tg_rng rng = {test_fill, &seed};
  tg_kex_private key;
  tg_err err = {0};
  const tg_group_desc *g = &tg_group_secp384r1;
  cr_assert_eq(tg_kex_keygen(g, &rng, &key, share, &err), TG_OK);
  share[96] ^= 0x80;
  expect_illegal(tg_kex_derive(&key, tg_bytes_of(share, 97), out, &err), &err,
                 "not a point on secp384r1", "p384 off curve");
  tg_err e = {0};
  expect_illegal(tg_kex_derive(&key, tg_bytes_of(share, 65), out, &e), &e, "length 65",
                 "a P-256 sized share");
}

Test(kex, keygen_needs_rng) {
  uint8_t share[32];
  tg_kex_private key;
  tg_err err = {0};
  cr_assert_eq(tg_kex_keygen(&tg_group_x25519, NULL, &key, share, &err), TG_E_USAGE);
}
