/* profile_check (harness/profile.c): each rule once skipping the scenario with its reason and
 * once letting it through, the scripted endpoint configured as the runner configures it
 * (endpoint_init). The loader, placeholders and writer: profile_test.c. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "runner_internal.h"
#include "scenario.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const char *shown(const char *s) { return s ? s : "(null)"; }

/* ---- profile_check ---------------------------------------------------------------------------
 * Each row: a profile (name: and role: added), a scenario (its target the profile's role), the
 * scripted endpoint configured from both by endpoint_init, and what profile_check must say. */

static const run_env env = {.certs_dir = TG_SOURCE_DIR "/vectors/scenarios/certs"};

#define HANDSHAKE "  - send: client_hello\n  - expect: established\n"
/* What scenarios assume of a server (target_options cert: server by default) and of a client
 * (trust root, verify_name and sni server.test by default). */
#define CERT "certificate: server\n"
#define SNI "sni: server.test\n"
#define TRUSTS "trust: root\nverify_name: server.test\n"
#define CLIENT_KNOWN TRUSTS SNI

typedef struct check_row {
  const char *target;   /* the scenario's target and the profile's role */
  const char *profile;  /* the profile's other keys */
  const char *options;  /* target_options (a flow mapping); NULL: {} */
  const char *endpoint; /* endpoint (a flow mapping); NULL: {} */
  const char *script;   /* NULL: the handshake */
  const char *skip;     /* NULL: it goes through; else a part of the reason */
} check_row;

static bool check(const check_row *r, char *why, size_t cap) {
  bool server = strcmp(r->target, "server") == 0;
  char ptext[1024], stext[2048], err[600] = "";
  snprintf(ptext, sizeof ptext, "name: t\nrole: %s\n%s", r->target, r->profile);
  snprintf(stext, sizeof stext,
           "id: t/check\nrfc: RFC 8446 4\ntarget: %s\ntarget_options: %s\nendpoint: %s\n"
           "script:\n%s",
           r->target, r->options ? r->options : "{}", r->endpoint ? r->endpoint : "{}",
           r->script ? r->script
           : server  ? HANDSHAKE
                     : "  - expect: established\n");
  target_profile p;
  cr_assert(profile_load_text(&p, "p.yaml", ptext, strlen(ptext), err, sizeof err), "%s\n%s", err,
            ptext);
  sc_suite suite;
  sc_error serr = {{0}};
  sc_suite_init(&suite);
  cr_assert(sc_load_text(&suite, "s.yaml", NULL, (const uint8_t *)stext, strlen(stext), &serr),
            "%s\n%s", serr.text, stext);
  endpoint e;
  cr_assert(endpoint_init(&e, &suite.v[0], &env, &p, err, sizeof err), "%s", err);
  why[0] = '\0';
  bool ok = profile_check(&p, &suite.v[0], &e.cfg, why, cap);
  endpoint_free(&e);
  sc_suite_free(&suite);
  profile_free(&p);
  return ok;
}

/* Every row as it says; a rule's rows show it both skipping and letting through. */
static void expect_rows(const check_row *rows, size_t n) {
  size_t skips = 0;
  for (size_t i = 0; i < n; i++) {
    const check_row *r = &rows[i];
    char why[512];
    bool ok = check(r, why, sizeof why);
    if (r->skip == NULL)
      cr_expect(ok, "row %zu: skipped: %s\n(%s profile: %s; options %s; endpoint %s)", i, why,
                r->target, r->profile, shown(r->options), shown(r->endpoint));
    else
      cr_expect(!ok && strstr(why, r->skip) != NULL,
                "row %zu: want a skip with '%s', got %s '%s'\n(%s profile: %s; options %s; "
                "endpoint %s)",
                i, r->skip, ok ? "through" : "a skip:", why, r->target, r->profile,
                shown(r->options), shown(r->endpoint));
    cr_expect(ok || why[0] != '\0', "row %zu: a skip without a reason", i);
    skips += r->skip != NULL;
  }
  cr_expect(skips > 0 && skips < n, "%zu skips in %zu rows: a rule shows both", skips, n);
}

Test(profile_check, versions_among_what_the_endpoint_offers) {
  static const check_row rows[] = {
      {"server", CERT "versions: [1.2, 1.3]\n", "{min_version: \"1.3\"}",
       "{min_version: \"1.2\", max_version: \"1.3\"}", NULL,
       "needs a target with TLS 1.3 only (the profile: TLS 1.2 and 1.3)"},
      /* The endpoint offers TLS 1.3 alone: the target's TLS 1.2 is not seen. */
      {"server", CERT "versions: [1.2, 1.3]\n", "{min_version: \"1.3\"}", NULL, NULL, NULL},
      {"server", CERT "versions: [1.2]\n", NULL, NULL, NULL,
       "needs a target with TLS 1.2 and 1.3 (the profile: TLS 1.2)"},
      {"server", CERT "versions: [1.2]\n", "{max_version: \"1.2\"}", "{max_version: \"1.2\"}", NULL,
       NULL},
      {"server", CERT "versions: [1.3]\n", "{max_version: \"1.2\"}", "{max_version: \"1.2\"}", NULL,
       "needs a target with TLS 1.2 only (the profile: TLS 1.3)"},
      {"client", CLIENT_KNOWN "versions: [1.3]\n", NULL, "{min_version: \"1.2\"}", NULL,
       "needs a target with TLS 1.2 and 1.3 (the profile: TLS 1.3)"},
      {"client", CLIENT_KNOWN "versions: [1.3]\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* A ClientHello in raw bytes offers what its bytes say: every version, as far as the check
 * knows. */
Test(profile_check, a_raw_client_hello_offers_every_version) {
  static const check_row rows[] = {
      {"server", CERT "versions: [1.3]\n", NULL, NULL,
       "  - send: raw\n    hex: \"16030100020100\"\n  - expect: alert\n",
       "needs a target with TLS 1.2 and 1.3 (the profile: TLS 1.3)"},
      {"server", CERT "versions: [1.3]\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define BOTH_PIECES "command: srv {?tls12_only:-tls1_2} {?tls13_only:-tls1_3}\n"

Test(profile_check, versions_per_scenario) {
  static const check_row rows[] = {
      {"server", CERT "versions: [1.2, 1.3]\n" BOTH_PIECES, "{min_version: \"1.3\"}",
       "{min_version: \"1.2\"}", NULL, NULL},
      {"server", CERT "versions: [1.2, 1.3]\n" BOTH_PIECES, "{max_version: \"1.2\"}",
       "{min_version: \"1.2\"}", NULL, NULL},
      /* The command can limit itself, but not to a version the profile does not have. */
      {"server", CERT "versions: [1.2]\n" BOTH_PIECES, "{min_version: \"1.3\"}",
       "{min_version: \"1.2\"}", NULL, "needs a target with TLS 1.3 only (the profile: TLS 1.2)"},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* Each direction has its own piece: a command that can limit itself to TLS 1.3 only
 * ({?tls13_only:}) does not let through a scenario that needs a TLS 1.2-only target. */
Test(profile_check, versions_per_scenario_in_one_direction_only) {
  static const check_row rows[] = {
      {"server", CERT "versions: [1.2, 1.3]\ncommand: srv {?tls13_only:-tls1_3}\n",
       "{max_version: \"1.2\"}", "{min_version: \"1.2\"}", NULL,
       "needs a target with TLS 1.2 only (the profile: TLS 1.2 and 1.3)"},
      {"server", CERT "versions: [1.2, 1.3]\ncommand: srv {?tls13_only:-tls1_3}\n",
       "{min_version: \"1.3\"}", "{min_version: \"1.2\"}", NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define TWO_SUITES "cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]\n"

Test(profile_check, cipher_suites_restricted) {
  static const check_row rows[] = {
      /* The endpoint offers the three TLS 1.3 suites: the profile's second is one of them. */
      {"server", CERT TWO_SUITES, "{ciphers: [TLS_AES_128_GCM_SHA256]}", NULL, NULL,
       "needs a target limited to the cipher suites TLS_AES_128_GCM_SHA256 (the profile: "
       "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384)"},
      {"server", CERT TWO_SUITES, "{ciphers: [TLS_AES_128_GCM_SHA256]}",
       "{cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256]}", NULL, NULL},
      {"server", CERT, "{ciphers: [TLS_AES_128_GCM_SHA256]}", NULL, NULL,
       "needs a target limited to the cipher suites TLS_AES_128_GCM_SHA256 (the profile does "
       "not list its cipher suites)"},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, cipher_suites_unrestricted) {
  static const check_row rows[] = {
      {"server", CERT "cipher_suites: [TLS_AES_256_GCM_SHA384]\n", NULL,
       "{cipher_suites: [TLS_AES_128_GCM_SHA256]}", NULL,
       "the scenario offers none of the target's cipher suites (the profile: "
       "TLS_AES_256_GCM_SHA384)"},
      {"server", CERT "cipher_suites: [TLS_AES_256_GCM_SHA384]\n", NULL, NULL, NULL, NULL},
      {"server", CERT, NULL, "{cipher_suites: [TLS_AES_128_GCM_SHA256]}", NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, groups_restricted) {
  static const check_row rows[] = {
      {"server", CERT "groups: [x25519, secp256r1]\n", "{groups: [secp256r1]}",
       "{groups: [x25519, secp256r1]}", NULL,
       "needs a target limited to the groups secp256r1 (the profile: x25519, secp256r1)"},
      {"server", CERT "groups: [x25519, secp256r1]\n", "{groups: [secp256r1]}",
       "{groups: [secp256r1, secp384r1]}", NULL, NULL},
      {"server", CERT, "{groups: [secp256r1]}", NULL, NULL,
       "(the profile does not list its groups)"},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, groups_unrestricted) {
  static const check_row rows[] = {
      /* The endpoint offers x25519, secp256r1 and secp384r1. */
      {"server", CERT "groups: [x448]\n", NULL, NULL, NULL,
       "the scenario offers none of the target's groups (the profile: x448)"},
      {"server", CERT "groups: [secp384r1, x25519]\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define NO_X25519 "groups: [secp256r1, secp384r1]\n"

Test(profile_check, a_key_share_the_target_does_not_take) {
  static const check_row rows[] = {
      /* The endpoint's one key share is x25519. */
      {"server", CERT NO_X25519, NULL, NULL, NULL,
       "the target takes none of the key shares the scenario sends; it would answer with a "
       "HelloRetryRequest"},
      {"server", CERT NO_X25519, NULL, "{groups: [x25519, secp256r1], key_shares: [secp256r1]}",
       NULL, NULL},
      /* A scenario that restricts the groups has said what it wants of them. */
      {"server", CERT NO_X25519, "{groups: [secp256r1, secp384r1]}", NULL, NULL, NULL},
      /* A TLS 1.2 target has no HelloRetryRequest. */
      {"server", CERT NO_X25519 "versions: [1.2]\n", NULL,
       "{min_version: \"1.2\", max_version: \"1.2\"}", NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* The HelloRetryRequest rule applies only when the endpoint offers TLS 1.3: a TLS 1.2-only
 * ClientHello carries no key_share, so a TLS 1.2 scenario against a TLS 1.2+1.3 server without
 * x25519 runs. */
Test(profile_check, a_tls12_client_hello_has_no_key_share) {
  static const check_row rows[] = {
      {"server", CERT NO_X25519, NULL, "{max_version: \"1.2\"}", NULL, NULL},
      {"server", CERT NO_X25519, NULL, NULL, NULL, "HelloRetryRequest"},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define TWO_SCHEMES "signature_schemes: [ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256]\n"

Test(profile_check, signature_schemes) {
  static const check_row rows[] = {
      {"server", CERT TWO_SCHEMES, "{sigalgs: [ecdsa_secp256r1_sha256]}", NULL, NULL,
       "needs a target limited to the signature schemes ecdsa_secp256r1_sha256 (the profile: "
       "ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256)"},
      {"server", CERT TWO_SCHEMES, "{sigalgs: [rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256]}", NULL,
       NULL, NULL},
      {"server", CERT, "{sigalgs: [ecdsa_secp256r1_sha256]}", NULL, NULL,
       "(the profile does not list its signature schemes)"},
      {"server", CERT TWO_SCHEMES, NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, alpn_of_a_server) {
  static const check_row rows[] = {
      {"server", CERT "alpn: [h2]\n", "{alpn: [http/1.1]}", "{alpn: [http/1.1]}", NULL,
       "needs a target whose ALPN protocols are http/1.1 (the profile: h2)"},
      {"server", CERT "alpn: [h2]\n", NULL, "{alpn: [h2]}", NULL,
       "needs a target whose ALPN protocols are none (the profile: h2)"},
      /* They agree on what the endpoint offers. */
      {"server", CERT "alpn: [h2, http/1.1]\n", "{alpn: [h2]}", "{alpn: [h2]}", NULL, NULL},
      {"server", CERT "alpn: [h2]\n", NULL, NULL, NULL, NULL},
      {"server", CERT "alpn: [h2]\ncommand: srv {?alpn:--alpn {alpn}}\n", "{alpn: [http/1.1]}",
       "{alpn: [http/1.1]}", NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* A client's ALPN list is its offer: the scenario's, exactly. */
Test(profile_check, alpn_of_a_client) {
  static const check_row rows[] = {
      {"client", CLIENT_KNOWN "alpn: [h2]\n", NULL, NULL, NULL,
       "needs a client that offers the ALPN protocols none (the profile: h2)"},
      {"client", CLIENT_KNOWN "alpn: [h2, http/1.1]\n", "{alpn: [h2]}", "{alpn: [h2]}", NULL,
       "needs a client that offers the ALPN protocols h2 (the profile: h2,http/1.1)"},
      {"client", CLIENT_KNOWN "alpn: [h2]\n", "{alpn: [h2]}", NULL, NULL, NULL},
      {"client", CLIENT_KNOWN "command: cli {?alpn:--alpn {alpn}}\n", "{alpn: [h2]}", NULL, NULL,
       NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, server_certificate) {
  static const check_row rows[] = {
      {"server", "certificate: server\n", "{cert: server-rsa}", NULL, NULL,
       "needs a server presenting certs/server-rsa.pem (the profile: server)"},
      {"server", "", "{cert: server-rsa}", NULL, NULL,
       "needs a server presenting certs/server-rsa.pem (the profile: another certificate)"},
      /* A scenario that names no certificate takes the target's own. */
      {"server", "", NULL, NULL, NULL, NULL},
      {"server", "certificate: server\n", "{cert: server}", NULL, NULL, NULL},
      {"server", "", "{cert: server}", NULL, NULL,
       "needs a server presenting certs/server.pem (the profile: another certificate)"},
      {"server", "certificate: server\n", NULL, NULL, NULL, NULL},
      {"server", "certificate: server-rsa\n", "{cert: server-rsa}", NULL, NULL, NULL},
      {"server", "command: srv --cert {cert}\n", "{cert: server-rsa}", NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define REQUIRE_ROOT "client_auth: require\nclient_ca: root\n"

Test(profile_check, client_auth) {
  static const check_row rows[] = {
      {"server", CERT "client_auth: request\nclient_ca: root\n", "{require_client_cert: true}",
       "{cert: client}", NULL,
       "needs a server that requires client certificates (the profile: requests them)"},
      {"server", CERT, "{require_client_cert: true}", "{cert: client}", NULL,
       "needs a server that requires client certificates (the profile: does not ask)"},
      {"server", CERT REQUIRE_ROOT, "{require_client_cert: true}", "{cert: client}", NULL, NULL},
      {"server", CERT REQUIRE_ROOT, NULL, NULL, NULL,
       "the server requires a client certificate; the scenario sends none"},
      {"server", CERT REQUIRE_ROOT, NULL, "{cert: client}", NULL,
       "the server requires a client certificate; the scenario is about a server that does not"},
      {"server", CERT "client_auth: request\nclient_ca: root\n", NULL, "{cert: client}", NULL,
       NULL},
      {"server", CERT, NULL, "{cert: client}", NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_auth_per_scenario) {
  static const check_row rows[] = {
      {"server", CERT "command: srv {?require_client_cert:--verify --ca {ca}}\n",
       "{require_client_cert: true}", "{cert: client}", NULL, NULL},
      {"server", CERT "client_auth: require\ncommand: srv {!require_client_cert:--no-auth} {ca}\n",
       NULL, NULL, NULL, NULL},
      /* Per scenario, but the CA it trusts is not known. */
      {"server", CERT "command: srv {?require_client_cert:--verify}\n",
       "{require_client_cert: true}", "{cert: client}", NULL,
       "needs a server that trusts certs/root.pem for client certificates (the profile: not "
       "known)"},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_ca) {
  static const check_row rows[] = {
      {"server", CERT "client_auth: require\nclient_ca: root2\n", "{require_client_cert: true}",
       "{cert: client}", NULL,
       "needs a server that trusts certs/root.pem for client certificates (the profile: root2)"},
      {"server", CERT "client_auth: require\nclient_ca: root2\n",
       "{require_client_cert: true, trust: root2}", "{cert: client}", NULL, NULL},
      /* A server that asks and a client that answers: its CA matters. */
      {"server", CERT "client_auth: request\n", NULL, "{cert: client}", NULL,
       "needs a server that trusts certs/root.pem for client certificates (the profile: not "
       "known)"},
      {"server", CERT "client_auth: request\n", NULL, NULL, NULL, NULL},
      {"server", CERT "client_auth: request\ncommand: srv --ca {ca}\n", NULL, "{cert: client}",
       NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_verify) {
  static const check_row rows[] = {
      {"client", CLIENT_KNOWN, "{no_verify: true}", NULL, NULL,
       "needs a client that does not verify the server's certificate"},
      {"client", CLIENT_KNOWN "verify: false\n", NULL, NULL, NULL,
       "needs a client that verifies the server's certificate (the profile: verify: false)"},
      {"client", CLIENT_KNOWN "verify: false\n", "{no_verify: true}", NULL, NULL, NULL},
      {"client", CLIENT_KNOWN, NULL, NULL, NULL, NULL},
      {"client", CLIENT_KNOWN "command: cli {?no_verify:--insecure}\n", "{no_verify: true}", NULL,
       NULL, NULL},
      {"client", CLIENT_KNOWN "verify: false\ncommand: cli {!no_verify:--verify}\n", NULL, NULL,
       NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_trust) {
  static const check_row rows[] = {
      {"client", SNI "trust: root2\nverify_name: server.test\n", NULL, NULL, NULL,
       "needs a client that trusts certs/root.pem (the profile: root2)"},
      {"client", SNI "verify_name: server.test\n", NULL, NULL, NULL,
       "needs a client that trusts certs/root.pem (the profile: not known)"},
      {"client", SNI "trust: root2\nverify_name: server.test\n", "{trust: root2}", NULL, NULL,
       NULL},
      {"client", SNI "verify_name: server.test\ncommand: cli --ca {ca}\n", "{trust: root2}", NULL,
       NULL, NULL},
      /* A client that does not verify trusts nothing in particular. */
      {"client", SNI "verify: false\n", "{no_verify: true}", NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_verify_name) {
  static const check_row rows[] = {
      {"client", SNI "trust: root\nverify_name: other.test\n", NULL, NULL, NULL,
       "needs a client that checks the name server.test (the profile: other.test)"},
      {"client", SNI "trust: root\n", "{verify_name: wild.test}", NULL, NULL,
       "needs a client that checks the name wild.test (the profile: not known)"},
      {"client", SNI "trust: root\nverify_name: other.test\n", "{verify_name: other.test}", NULL,
       NULL, NULL},
      {"client", SNI "trust: root\ncommand: cli --name {name}\n", "{verify_name: wild.test}", NULL,
       NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_sni) {
  static const check_row rows[] = {
      {"client", TRUSTS, "{sni: a.test}", NULL, NULL,
       "needs a client that sends the server_name a.test (the profile: none)"},
      {"client", TRUSTS "sni: b.test\n", "{sni: a.test}", NULL, NULL,
       "needs a client that sends the server_name a.test (the profile: b.test)"},
      {"client", TRUSTS "sni: a.test\n", "{sni: a.test}", NULL, NULL, NULL},
      {"client", TRUSTS "command: cli --sni {sni}\n", "{sni: a.test}", NULL, NULL, NULL},
      /* A scenario that names no server_name takes the one the client sends. */
      {"client", TRUSTS "sni: b.test\n", NULL, NULL, NULL, NULL},
      {"client", TRUSTS "sni: b.test\n", "{sni: server.test}", NULL, NULL,
       "needs a client that sends the server_name server.test (the profile: b.test)"},
      {"client", TRUSTS SNI, NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, client_certificate) {
  static const check_row rows[] = {
      {"client", CLIENT_KNOWN, "{cert: client}", NULL, NULL,
       "needs a client presenting certs/client.pem (the profile: no certificate)"},
      {"client", CLIENT_KNOWN "client_certificate: client-rsa\n", "{cert: client}", NULL, NULL,
       "needs a client presenting certs/client.pem (the profile: client-rsa)"},
      {"client", CLIENT_KNOWN "client_certificate: client\n", "{cert: client}", NULL, NULL, NULL},
      {"client", CLIENT_KNOWN "command: cli {?cert:--cert {cert}}\n", "{cert: client}", NULL, NULL,
       NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, require_ems) {
  static const check_row rows[] = {
      {"server", CERT "require_ems: true\n", NULL, "{min_version: \"1.2\"}", NULL,
       "needs a target that does not require extended_master_secret (the profile: requires it)"},
      {"server", CERT, "{require_ems: true}", "{min_version: \"1.2\"}", NULL,
       "needs a target that requires extended_master_secret (the profile: does not)"},
      {"server", CERT "require_ems: true\n", "{require_ems: true}", "{min_version: \"1.2\"}", NULL,
       NULL},
      /* An endpoint that offers TLS 1.3 alone never meets it. */
      {"server", CERT "require_ems: true\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, key_update) {
  static const check_row rows[] = {
      {"server", CERT, "{key_update: true}", NULL, NULL,
       "needs a target that sends a KeyUpdate after the handshake"},
      {"server", CERT "key_update: true\n", "{key_update: true}", NULL, NULL, NULL},
      {"server", CERT "key_update: true\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

#define DATA_STEPS "  - send: application_data\n    data: ping\n  - expect: data\n    data: ping\n"
#define QUIET "after_handshake: handshake_only\n"

/* Data the target answers before the end of the script. */
Test(profile_check, handshake_only_data_before_the_end) {
  static const check_row rows[] = {
      {"server", CERT QUIET, NULL, NULL,
       HANDSHAKE DATA_STEPS "  - send: close_notify\n  - expect: close\n",
       "needs a target that answers application data (step 4; the profile: handshake_only)"},
      /* The closing exchange: a handshake-only target concludes before it. */
      {"server", CERT QUIET, NULL, NULL, HANDSHAKE DATA_STEPS, NULL},
      {"server", CERT "after_handshake: echo\n", NULL, NULL,
       HANDSHAKE DATA_STEPS "  - send: close_notify\n  - expect: close\n", NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, handshake_only_key_update) {
  static const check_row rows[] = {
      {"server", CERT QUIET, NULL, NULL,
       HANDSHAKE "  - send: key_update\n    request: true\n  - expect: key_update\n",
       "needs a target that echoes application data (its KeyUpdate comes before its next data; "
       "the profile: handshake_only)"},
      {"server", CERT "after_handshake: speaks_first\n", NULL, NULL,
       HANDSHAKE "  - send: key_update\n    request: true\n  - expect: key_update\n",
       "(its KeyUpdate comes before its next data; the profile: speaks_first)"},
      {"server", CERT "after_handshake: echo_lines\n", NULL, NULL,
       HANDSHAKE "  - send: key_update\n    request: true\n  - expect: key_update\n", NULL},
      {"server", CERT QUIET, NULL, NULL, HANDSHAKE "  - send: key_update\n", NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* A send whose effect only the closing data would show. */
Test(profile_check, handshake_only_send_before_the_closing_data) {
  static const check_row rows[] = {
      {"server", CERT QUIET, NULL, NULL, HANDSHAKE "  - send: key_update\n" DATA_STEPS,
       "needs a target that answers application data (only the data after step 3 shows whether "
       "it took that step; the profile: handshake_only)"},
      {"server", CERT "after_handshake: http\n", NULL, NULL,
       HANDSHAKE "  - send: key_update\n" DATA_STEPS, NULL},
      {"server", CERT QUIET, NULL, NULL, "  - send: client_hello\n" DATA_STEPS,
       "(only the data after step 1 shows"},
      {"server", CERT QUIET, NULL, NULL, HANDSHAKE DATA_STEPS, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

/* A client target's lists are its offer: the scenario's exactly, whatever the endpoint takes;
 * a server target's compare on what the endpoint offers. */
Test(profile_check, the_lists_of_a_client_compare_exactly) {
  static const check_row rows[] = {
      {"client", CLIENT_KNOWN TWO_SUITES, "{ciphers: [TLS_AES_128_GCM_SHA256]}",
       "{cipher_suites: [TLS_AES_128_GCM_SHA256]}", NULL,
       "needs a target limited to the cipher suites TLS_AES_128_GCM_SHA256 (the profile: "
       "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384)"},
      {"server", CERT TWO_SUITES, "{ciphers: [TLS_AES_128_GCM_SHA256]}",
       "{cipher_suites: [TLS_AES_128_GCM_SHA256]}", NULL, NULL},
      {"client", CLIENT_KNOWN TWO_SUITES,
       "{ciphers: [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]}", NULL, NULL, NULL},
      {"client", CLIENT_KNOWN "groups: [x25519]\n", "{groups: [x25519, secp256r1]}", NULL, NULL,
       "needs a target limited to the groups x25519, secp256r1 (the profile: x25519)"},
      {"client", CLIENT_KNOWN "groups: [x25519]\n", "{groups: [x25519]}", NULL, NULL, NULL},
      /* Unrestricted: nothing to compare (the server's "offers none" is not a client's). */
      {"client", CLIENT_KNOWN "groups: [x448]\n", NULL, NULL, NULL, NULL},
  };
  expect_rows(rows, N_ROWS(rows));
}

Test(profile_check, the_confirmation_tail) {
  static const struct {
    const char *script;
    size_t tail;
  } rows[] = {
      {HANDSHAKE, 2},
      {HANDSHAKE DATA_STEPS, 2},
      {HANDSHAKE DATA_STEPS "  - send: close_notify\n  - expect: close\n", 6},
      {HANDSHAKE "  - send: key_update\n" DATA_STEPS, 3},
  };
  for (size_t i = 0; i < N_ROWS(rows); i++) {
    char text[1024];
    snprintf(text, sizeof text, "id: t/tail\nrfc: R\ntarget: server\nscript:\n%s", rows[i].script);
    sc_suite s;
    sc_error err = {{0}};
    sc_suite_init(&s);
    cr_assert(sc_load_text(&s, "s.yaml", NULL, (const uint8_t *)text, strlen(text), &err), "%s",
              err.text);
    cr_expect_eq(profile_confirmation_tail(&s.v[0]), rows[i].tail, "row %zu", i);
    sc_suite_free(&s);
  }
}
