/* The groups added for RFC 7919 and RFC 7748's second curve: x448, secp521r1, ffdhe2048 ..
 * ffdhe8192. The known answers are not this code's output: x448 is RFC 7748 §6.2; secp521r1 was
 * computed with OpenSSL through Python's `cryptography` (ec.derive_private_key(d).exchange(ECDH)
 * with a generated peer); ffdhe2048 with Python's pow(2, x, p) and pow(peer, x, p). Every rejected
 * share is illegal_parameter (RFC 8446 §4.2.8.1, §4.2.8.2). */
#include <criterion/criterion.h>
#include <gmp.h>
#include <stdio.h>
#include <string.h>

#include "tg/kex.h"
#include "tg/names.h"

static const char X448_A_PUB[] = "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
                                 "c836647241d953d40c5b12da88120d53177f80e532c41fa0";
static const char X448_B_PUB[] = "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
                                 "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609";
static const char X448_K[] = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
                             "fd2464c335543936521c24403085d59a449a5037514a879d";
static const char P521_D[] = "01a52df68476a500f3e07e2c582a4131bc3f337f60dd3546880fd1abf530a98e"
                             "f9f3dd0e904fff3d6a9f5f3d871b6af86c0bcd425669d5c1adebf34f7aad56e2"
                             "041c";
static const char P521_PUB[] = "04008e071045c6bd07cc15350f482f7e6a9c9b2b935f401a62d36764db1ccd7b"
                               "a4221adb37fb81c3abd3347df8adf384b7ebc04d2bdc9eb954c89991a7fa2a39"
                               "eae8d901aec31d2062456c7832811a193ba9a3a2f0e384e5fb7617f4ee7e674a"
                               "8f2bf30852eef2b8cb9b696323c7ff7652006ac479e9cbd177240d70950c5b2f"
                               "2dfe1b1d41";
static const char P521_PEER[] = "04012dd90b0e04201bbc5fc92fdd7632289e0b249faee3963faf8e25f341e7e9"
                                "b6d8d1cbf982f1b76dd3361987ae2c784999e21abb85aa923c929f64f704761b"
                                "45752c011cc940f24f4433eb5c401d0ff0a59df35a4411e48d3036d6a83dfe15"
                                "dd7c56c1daf7b0f435aefd75bd52695655a309f15a7e9379d80a1674ed7e5761"
                                "c40ec40572";
static const char P521_K[] = "01f1ccf7b113de7f9aed79917925e5b022f2555501efbc466e4e80c68abf258f"
                             "9f992796312b388374442aa975dd8806d563017e73d7758b980d8a064391d71b"
                             "2356";
static const char FF_X[] = "7ab673c5c37544515235e01247341d23955ffa6ecab7f66bcec30a7b24";
static const char FF_Y[] = "d95dd0bd282d63dfa5a16f8ef001816c29607e8b72dc282b6ccb391fa9b02073"
                           "aabea97010f4801b57c13abb62845be896f7340594e91422ab889fd068a7eacd"
                           "13f838e835ea889d3814adae5900444014afcf5b9e3b57bbda200b7bad3c2c2f"
                           "44cd0a59e30ea14da3a12e7c8a1ee409a54bd904a95c2b1da1d8be7d4de7ed8c"
                           "4f2f65e9fd33359a5e971b08f6b387fd25d79556bdbd08529e96c72dd377d8db"
                           "ab6b890b2c0a522bdc40223579aa8a977f381f5c9e9c541b83f5c8354ebd8757"
                           "143dcd63ebe08865f5406c22e4ad83b94ce9ec654ee2c94ad01aac4a1a0b9e3d"
                           "0c4d4f8c6a0b1327e1406af317098e9b9133e65edc1b7f6b7854c41de247d5ee";
static const char FF_PEER[] = "f4d843d2c4b854067ec577cced0de90a185272a37aeb40a90c42cb82d60f2269"
                              "70e5e932bd9186b3eb7856c2380ded1f4df672220b19aa61b24ce85d8b61b473"
                              "be2e180405fc76fd55295ccdcad3483413eab2cbffe1aed4fe83e307cddf322d"
                              "c62413e1b2cb2ff31757a1689dfe5d19a173a5fc07efe114e3c96c2fe0197f52"
                              "732ad620d46f8aa5ca7dedfe273caf2ad38b539ac5cc03355f0f65836ee356cb"
                              "bb3a4fba7b702fba85c1c6a993522f86101e4baff2cd231aaaa0f378f37495ef"
                              "c22006da11e5cd035e91505202db61e2f30dabca4b0ae25cb3bcc7c55fdd798d"
                              "36eb386dbb3877a10f643839c211dbf365ea6430563eac6598bfd4d8d50ec281";
static const char FF_K[] = "4d14e0074260a5df40dd6c284fffa0b9db2434ce7415f813becb68ca798f4a41"
                           "82246c1bd227ad2b672c00bd57666c76e3fe295a9de723319d41040fbecdda60"
                           "ae7b5838e0f1d91533aef5926469534fe1697753be15f4c32d88fdf087aaf705"
                           "1b7862eddddb62ce71fc7d35b4be17a63ec564fd55f792f21937c8ab6f99f3bc"
                           "736ded83daac4d3f02702885b8b3cca045acd842351acc5f4ebb78e8a4761c44"
                           "fe59c618566d677c608cf6cd531b5fe5c53cb84373fa685f205b5ee4a574b052"
                           "526ed37b07fbc3abb177cd08eca6750d458f7cd3e882b489da75bd09d84082ab"
                           "610341eedc6f9d29fcfd257e443760641cec518b816e0be630a48a1d10988509";

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

static const tg_group_desc *const ffdhe[] = {&tg_group_ffdhe2048, &tg_group_ffdhe3072,
                                             &tg_group_ffdhe4096, &tg_group_ffdhe6144,
                                             &tg_group_ffdhe8192};

Test(kex_groups, found_by_name_and_number) {
  const tg_group_desc *all[] = {&tg_group_x448,      &tg_group_secp521r1, &tg_group_ffdhe2048,
                                &tg_group_ffdhe3072, &tg_group_ffdhe4096, &tg_group_ffdhe6144,
                                &tg_group_ffdhe8192};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    cr_expect_eq(tg_group_find(all[i]->group), all[i], "%s", all[i]->name);
    cr_expect_str_eq(all[i]->name, tg_group_name(all[i]->group));
    cr_expect_leq(all[i]->share_len, TG_KEX_MAX_SHARE);
    cr_expect_leq(all[i]->private_len, TG_KEX_MAX_PRIVATE);
    cr_expect_eq(all[i]->finite_field, all[i]->group >= 0x0100, "%s", all[i]->name);
  }
  cr_expect_null(tg_ffdhe_prime_hex(TG_GROUP_x448));
}

/* RFC 7919 Appendix A: each p is a safe prime of exactly b bits whose top and bottom 64 bits
 * are all ones (the construction 2^b - 2^{b-64} + {...} * 2^64 - 1). */
Test(kex_groups, ffdhe_primes_are_safe_primes) {
  for (size_t i = 0; i < sizeof ffdhe / sizeof ffdhe[0]; i++) {
    const tg_group_desc *g = ffdhe[i];
    mpz_t p, q, t;
    cr_assert_eq(mpz_init_set_str(p, tg_ffdhe_prime_hex(g->group), 16), 0, "%s", g->name);
    mpz_init(q);
    mpz_init(t);
    cr_expect_eq(mpz_sizeinbase(p, 2), 8 * g->share_len, "%s", g->name);
    cr_expect_geq(mpz_scan0(p, 0), 64, "%s: low 64 bits", g->name);
    mpz_tdiv_q_2exp(t, p, 8 * g->share_len - 64);
    cr_expect_eq(mpz_popcount(t), 64, "%s: high 64 bits", g->name);
    cr_expect_neq(mpz_probab_prime_p(p, 25), 0, "%s: p is composite", g->name);
    mpz_sub_ui(q, p, 1);
    mpz_tdiv_q_2exp(q, q, 1);
    cr_expect_neq(mpz_probab_prime_p(q, 25), 0, "%s: (p-1)/2 is composite", g->name);
    mpz_clear(p);
    mpz_clear(q);
    mpz_clear(t);
  }
}

/* Both sides of every new group agree, over the descriptor's keygen and derive. */
Test(kex_groups, round_trips) {
  const tg_group_desc *all[] = {&tg_group_x448,      &tg_group_secp521r1, &tg_group_ffdhe2048,
                                &tg_group_ffdhe3072, &tg_group_ffdhe4096, &tg_group_ffdhe6144,
                                &tg_group_ffdhe8192};
  static uint8_t sa[TG_KEX_MAX_SHARE], sb[TG_KEX_MAX_SHARE], ka[TG_KEX_MAX_SECRET],
      kb[TG_KEX_MAX_SECRET];
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    const tg_group_desc *g = all[i];
    uint64_t seed_a = 7 + i, seed_b = 100 + i;
    tg_rng ra = {test_fill, &seed_a}, rb = {test_fill, &seed_b};
    tg_kex_private a, b;
    tg_err err = {0};
    cr_assert_eq(tg_kex_keygen(g, &ra, &a, sa, &err), TG_OK, "%s: %s", g->name, err.what);
    cr_assert_eq(tg_kex_keygen(g, &rb, &b, sb, &err), TG_OK, "%s: %s", g->name, err.what);
    cr_assert_eq(g->check_share(g, tg_bytes_of(sb, g->share_len), &err), TG_OK, "%s", g->name);
    cr_assert_eq(tg_kex_derive(&a, tg_bytes_of(sb, g->share_len), ka, &err), TG_OK, "%s: %s",
                 g->name, err.what);
    cr_assert_eq(tg_kex_derive(&b, tg_bytes_of(sa, g->share_len), kb, &err), TG_OK, "%s: %s",
                 g->name, err.what);
    cr_expect_arr_eq(ka, kb, g->secret_len, "%s: the two sides differ", g->name);
    cr_expect_arr_neq(sa, sb, g->share_len, "%s: two seeds, one share", g->name);
  }
}

/* Keygen from given private bytes, then derive against the peer: both checked against the
 * independent answer. */
static void known_answer(const tg_group_desc *g, const char *priv, const char *pub,
                         const char *peer, const char *secret) {
  uint8_t d[TG_KEX_MAX_PRIVATE], want_pub[TG_KEX_MAX_SHARE], peer_b[TG_KEX_MAX_SHARE];
  uint8_t want_k[TG_KEX_MAX_SECRET], share[TG_KEX_MAX_SHARE], k[TG_KEX_MAX_SECRET];
  cr_assert_eq(unhex(priv, d, sizeof d), g->private_len, "%s", g->name);
  cr_assert_eq(unhex(pub, want_pub, sizeof want_pub), g->share_len, "%s", g->name);
  size_t peer_len = unhex(peer, peer_b, sizeof peer_b);
  cr_assert_eq(unhex(secret, want_k, sizeof want_k), g->secret_len, "%s", g->name);
  tg_kex_private key;
  tg_err err = {0};
  cr_assert_eq(g->keygen(g, NULL, d, &key, share, &err), TG_OK, "%s: %s", g->name, err.what);
  cr_expect_arr_eq(share, want_pub, g->share_len, "%s: public value", g->name);
  cr_assert_eq(tg_kex_derive(&key, tg_bytes_of(peer_b, peer_len), k, &err), TG_OK, "%s: %s",
               g->name, err.what);
  cr_expect_arr_eq(k, want_k, g->secret_len, "%s: shared secret", g->name);
}

Test(kex_groups, x448_rfc7748_6_2) {
  /* Alice's private key of RFC 7748 §6.2; Bob's public key; K. */
  known_answer(&tg_group_x448,
               "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391"
               "006382a6f127ab1d9ac2d8c0a598726b",
               X448_A_PUB, X448_B_PUB, X448_K);
}

Test(kex_groups, secp521r1_matches_openssl) {
  known_answer(&tg_group_secp521r1, P521_D, P521_PUB, P521_PEER, P521_K);
}

Test(kex_groups, ffdhe2048_matches_python) {
  known_answer(&tg_group_ffdhe2048, FF_X, FF_Y, FF_PEER, FF_K);
}

/* The values outside 1 < Y < p-1 a b-bit p leaves: 0, 1, p-1, p, p+1, 2^b - 1. */
static void bad_y(int which, const mpz_t p, size_t bits, mpz_t v) {
  switch (which) {
  case 0: mpz_set_ui(v, 0); break;
  case 1: mpz_set_ui(v, 1); break;
  case 2: mpz_sub_ui(v, p, 1); break;
  case 3: mpz_set(v, p); break;
  case 4: mpz_add_ui(v, p, 1); break;
  default:
    mpz_set_ui(v, 0);
    mpz_setbit(v, bits);
    mpz_sub_ui(v, v, 1);
  }
}

/* RFC 8446 §4.2.8.1: 1 < Y < p-1, Y padded to the size of p; RFC 7919 §5.1 names 0, 1 and p-1
 * as the values a peer must refuse. */
Test(kex_groups, ffdhe_rejects_out_of_range_y) {
  for (size_t i = 0; i < sizeof ffdhe / sizeof ffdhe[0]; i++) {
    const tg_group_desc *g = ffdhe[i];
    static uint8_t y[TG_KEX_MAX_SHARE + 1];
    mpz_t p, v;
    mpz_init_set_str(p, tg_ffdhe_prime_hex(g->group), 16);
    mpz_init(v);
    for (int j = 0; j < 6; j++) {
      bad_y(j, p, 8 * g->share_len, v);
      memset(y, 0, sizeof y);
      mpz_export(y + g->share_len - (mpz_sizeinbase(v, 2) + 7) / 8, NULL, 1, 1, 1, 0, v);
      tg_err err = {0};
      expect_illegal(g->check_share(g, tg_bytes_of(y, g->share_len), &err), &err, "1 < Y < p-1",
                     g->name);
    }
    /* Y = 2 is the smallest allowed value. */
    memset(y, 0, sizeof y);
    y[g->share_len - 1] = 2;
    tg_err err = {0};
    cr_expect_eq(g->check_share(g, tg_bytes_of(y, g->share_len), &err), TG_OK, "%s: Y = 2",
                 g->name);
    /* One byte short or long (Y = 2 either way) is a length error. */
    tg_err e1 = {0}, e2 = {0};
    expect_illegal(g->check_share(g, tg_bytes_of(y + 1, g->share_len - 1), &e1), &e1, "length",
                   g->name);
    expect_illegal(g->check_share(g, tg_bytes_of(y, g->share_len + 1), &e2), &e2, "length",
                   g->name);
    mpz_clear(p);
    mpz_clear(v);
  }
}

/* RFC 7748 §6.2, RFC 8446 §7.4.2: u = 0 and u = 1 have low order, the X448 output is all
 * zeros, and the share is refused; 55 and 57 bytes are the wrong length. */
Test(kex_groups, x448_rejects_low_order_and_length) {
  const tg_group_desc *g = &tg_group_x448;
  uint8_t share[57] = {0}, k[56];
  uint64_t seed = 3;
  tg_rng rng = {test_fill, &seed};
  tg_kex_private key;
  tg_err err = {0};
  cr_assert_eq(tg_kex_keygen(g, &rng, &key, share, &err), TG_OK);
  for (uint8_t u = 0; u < 2; u++) {
    memset(share, 0, sizeof share);
    share[0] = u; /* little-endian u */
    tg_err e = {0};
    expect_illegal(tg_kex_derive(&key, tg_bytes_of(share, 56), k, &e), &e, "all zeros", "x448");
  }
  tg_err e1 = {0}, e2 = {0};
  expect_illegal(g->check_share(g, tg_bytes_of(share, 55), &e1), &e1, "length 55", "x448");
  expect_illegal(g->check_share(g, tg_bytes_of(share, 57), &e2), &e2, "length 57", "x448");
}

/* RFC 8446 §4.2.8.2: uncompressed form only, on the curve, 1 + 2 * 66 bytes. */
Test(kex_groups, secp521r1_rejects_bad_points) {
  const tg_group_desc *g = &tg_group_secp521r1;
  uint8_t pub[133];
  cr_assert_eq(unhex(P521_PEER, pub, sizeof pub), 133);
  tg_err e0 = {0};
  cr_expect_eq(g->check_share(g, tg_bytes_of(pub, 133), &e0), TG_OK, "%s", e0.what);
  /* 02/03 || X: the compressed form, 67 bytes. */
  uint8_t comp[67];
  comp[0] = (uint8_t)(2 | (pub[132] & 1));
  memcpy(comp + 1, pub + 1, 66);
  tg_err e1 = {0};
  expect_illegal(g->check_share(g, tg_bytes_of(comp, 67), &e1), &e1, "length 67", "compressed");
  /* The right length with form 0x03 instead of 0x04. */
  pub[0] = 3;
  tg_err e2 = {0};
  expect_illegal(g->check_share(g, tg_bytes_of(pub, 133), &e2), &e2, "point form", "form 03");
  pub[0] = 4;
  pub[132] ^= 1; /* y changed: off the curve */
  tg_err e3 = {0};
  expect_illegal(g->check_share(g, tg_bytes_of(pub, 133), &e3), &e3, "not a point on secp521r1",
                 "off curve");
  pub[132] ^= 1;
  /* A secp384r1-sized share. */
  tg_err e4 = {0};
  expect_illegal(g->check_share(g, tg_bytes_of(pub, 97), &e4), &e4, "length 97", "p384 size");
}

/* A given exponent below 2 is refused (tg_keygen in the engine then draws again). */
Test(kex_groups, ffdhe_keygen_refuses_tiny_exponent) {
  uint8_t x[TG_KEX_MAX_PRIVATE] = {0}, share[256];
  tg_kex_private key;
  for (uint8_t v = 0; v < 3; v++) {
    x[tg_group_ffdhe2048.private_len - 1] = v;
    tg_err err = {0};
    tg_status st = tg_group_ffdhe2048.keygen(&tg_group_ffdhe2048, NULL, x, &key, share, &err);
    cr_expect_eq(st == TG_OK, v == 2, "exponent %u: %s", v, err.what);
  }
  /* 2^2 = 4, left-padded to 256 bytes. */
  cr_expect_eq(share[255], 4);
  cr_expect_eq(share[0], 0);
  /* A key whose exponent was zeroed after keygen derives nothing (internal_error). */
  static uint8_t z[256];
  memset(key.scalar, 0, sizeof key.scalar);
  tg_err err = {0};
  cr_expect_eq(tg_kex_derive(&key, tg_bytes_of(share, 256), z, &err), TG_E_USAGE, "%s", err.what);
  cr_expect_eq(err.alert, TG_ALERT_internal_error);
}
