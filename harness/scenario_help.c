/* `tlsgauntlet run --help-scenario`: the scenario vocabulary of docs/scenarios.md in short, and
 * every deviation of the engine's table, read from the table itself so the list is never stale. */
#include <stdio.h>

#include "scenario_cli.h"
#include "tg/deviations.h"

static const char vocabulary[] =
    "Scenario files (vectors/scenarios/SUITE/*.yaml; docs/scenarios.md has the details)\n"
    "\n"
    "A file is one scenario (a mapping with id), several YAML documents (---), or\n"
    "  include: _common.yaml | [FILES]   shared steps from files starting with '_'\n"
    "  defaults: {KEY: VALUE}            merged into each scenario (target_options and\n"
    "                                    endpoint one level deep)\n"
    "  steps: {NAME: [STEPS]}            shared steps, used as '- use: NAME'\n"
    "  scenarios: [SCENARIOS]\n"
    "\n"
    "Scenario keys\n"
    "  id: SUITE/NAME (required, unique)   rfc: RFC 8446 4.1.2 (required)   title: TEXT\n"
    "  tags: [WORDS]   target: server|client (required)   timeout: SECONDS (default 5)\n"
    "  target_options: min_version, max_version (\"1.2\"|\"1.3\"), ciphers, groups, sigalgs,\n"
    "      cert, trust, verify_name, no_verify, require_client_cert, request_client_cert,\n"
    "      alpn, sni, key_update, require_ems, ems_optional, x509_profile\n"
    "  endpoint: min_version, max_version, cipher_suites, groups, key_shares, sigalgs,\n"
    "      cert (NAME|none), server_name, alpn, middlebox_compat, request_client_cert,\n"
    "      hrr_cookie (hex), verify, record_padding, record_size_limit, rng_seed (hex),\n"
    "      deviations: [SPEC]\n"
    "  matrix: {KEY: [VALUES]}   one scenario per combination, id suffixed [k=v,...];\n"
    "      version (tls12|tls13), cipher_suite, group, sigalg set both sides;\n"
    "      any key is substituted as ${KEY} in string values\n"
    "  script: [STEPS] (required)\n"
    "\n"
    "Steps\n"
    "  - send: client_hello | MESSAGE      with the edits below (MESSAGE: a handshake\n"
    "                                      message name; edits apply when it is sent)\n"
    "  - send: hello_retry_request         the edits below, of the scripted server's\n"
    "                                      HelloRetryRequest only\n"
    "  - send: application_data            data: TEXT | hex: HEX, repeat: N\n"
    "  - send: alert                       alert: NAME, level: warning|fatal, repeat: N\n"
    "  - send: change_cipher_spec          hex: HEX (default 01)\n"
    "  - send: key_update                  request: BOOL, repeat: N\n"
    "  - send: close_notify | shutdown\n"
    "  - send: record                      type: NAME|N, hex: HEX, version: \"0303\",\n"
    "                                      protect: BOOL, repeat: N\n"
    "  - send: raw                         hex: HEX (bytes with no framing)\n"
    "  - expect: alert                     alert: NAME | [NAMES] (the ones the RFC allows)\n"
    "                                      level: warning (a warning that leaves the\n"
    "                                      connection up; or_alert: fatal ones allowed)\n"
    "  - expect: close | established\n"
    "  - expect: MESSAGE | hello_retry_request\n"
    "  - expect: client_hello              after: hello_retry_request (a target client's\n"
    "                                      second ClientHello), check: [unchanged, cookie,\n"
    "                                      key_share, no_early_data]\n"
    "  - expect: data                      data: TEXT | hex: HEX\n"
    "  - use: NAME                         shared steps, spliced in place\n"
    "\n"
    "Edits of a send: MESSAGE step (each becomes a deviation limited to MESSAGE)\n"
    "  set: {FIELD: VALUE}          set_field:MESSAGE.FIELD:HEX; fields: client_hello\n"
    "      legacy_version, legacy_session_id, cipher_suites, legacy_compression_methods;\n"
    "      server_hello legacy_version, legacy_session_id_echo, cipher_suite,\n"
    "      legacy_compression_method; certificate_verify algorithm; key_update\n"
    "      request_update\n"
    "  extensions: {drop: [EXT], duplicate: [EXT], add: [{type: EXT, hex: HEX}]}\n"
    "  skip: true   duplicate: true   truncate: N   patch: {offset: N, hex: HEX}\n"
    "  append: HEX   deviations: [SPEC]\n"
    "  premaster: {version: HEX4, length: N, padding: block_type|no_separator|first_byte|\n"
    "      short_ps}   (send: client_key_exchange: the RSA premaster, RFC 5246 7.4.7.1)\n"
    "  after: hello_retry_request   (client_hello, server_hello) only the message sent after\n"
    "      a HelloRetryRequest: the specs get /retry (send: hello_retry_request: /hrr)\n"
    "\n"
    "Names are IANA names (TLS_AES_128_GCM_SHA256, x25519, ecdsa_secp256r1_sha256,\n"
    "decode_error); a number is taken as a raw code point (0x0a0a).\n"
    "\n";

static const char *param_name(tg_dev_param p) {
  switch (p) {
  case TG_DEV_PARAM_NONE: return "";
  case TG_DEV_PARAM_MESSAGE: return ":MESSAGE";
  case TG_DEV_PARAM_TWO_MESSAGES: return ":MESSAGE:MESSAGE";
  case TG_DEV_PARAM_HEX: return ":HEX";
  case TG_DEV_PARAM_NUMBER: return ":N";
  case TG_DEV_PARAM_EXTENSION: return ":EXTENSION";
  case TG_DEV_PARAM_EXT_HEX: return ":EXTENSION:HEX";
  case TG_DEV_PARAM_FIELD_HEX: return ":MESSAGE.FIELD:HEX";
  case TG_DEV_PARAM_MESSAGE_NUMBER: return ":MESSAGE:N";
  case TG_DEV_PARAM_MESSAGE_NUMBER_HEX: return ":MESSAGE:OFFSET:HEX";
  case TG_DEV_PARAM_MESSAGE_HEX: return ":MESSAGE:HEX";
  case TG_DEV_PARAM_NUMBER_HEX: return ":N:HEX";
  default: return ":PARAM"; /* a kind added to the table after this list */
  }
}

void scenario_help(FILE *f) {
  size_t n;
  const tg_dev_def *d = tg_deviation_list(&n);
  fputs(vocabulary, f);
  fprintf(f, "Deviations (%zu; record deviations also take @MESSAGE)\n", n);
  for (size_t i = 0; i < n; i++) {
    char spell[64];
    snprintf(spell, sizeof spell, "%s%s", d[i].name, param_name(d[i].param));
    fprintf(f, "  %-34s %s\n", spell, d[i].description);
  }
}
