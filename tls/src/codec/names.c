/* IANA names of TLS code points. One table per registry, searched linearly: these are printed,
 * not looked up on a hot path. */
#include <string.h>

#include "tg/error.h"
#include "tg/names.h"

typedef struct {
  unsigned value;
  const char *name;
} name_row;

#define ROW(prefix, x)                                                                             \
  { prefix##x, #x }
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static const name_row alerts[] = {
    ROW(TG_ALERT_, close_notify),
    ROW(TG_ALERT_, unexpected_message),
    ROW(TG_ALERT_, bad_record_mac),
    ROW(TG_ALERT_, decryption_failed),
    ROW(TG_ALERT_, record_overflow),
    ROW(TG_ALERT_, decompression_failure),
    ROW(TG_ALERT_, handshake_failure),
    ROW(TG_ALERT_, no_certificate),
    ROW(TG_ALERT_, bad_certificate),
    ROW(TG_ALERT_, unsupported_certificate),
    ROW(TG_ALERT_, certificate_revoked),
    ROW(TG_ALERT_, certificate_expired),
    ROW(TG_ALERT_, certificate_unknown),
    ROW(TG_ALERT_, illegal_parameter),
    ROW(TG_ALERT_, unknown_ca),
    ROW(TG_ALERT_, access_denied),
    ROW(TG_ALERT_, decode_error),
    ROW(TG_ALERT_, decrypt_error),
    ROW(TG_ALERT_, export_restriction),
    ROW(TG_ALERT_, protocol_version),
    ROW(TG_ALERT_, insufficient_security),
    ROW(TG_ALERT_, internal_error),
    ROW(TG_ALERT_, inappropriate_fallback),
    ROW(TG_ALERT_, user_canceled),
    ROW(TG_ALERT_, no_renegotiation),
    ROW(TG_ALERT_, missing_extension),
    ROW(TG_ALERT_, unsupported_extension),
    ROW(TG_ALERT_, certificate_unobtainable),
    ROW(TG_ALERT_, unrecognized_name),
    ROW(TG_ALERT_, bad_certificate_status_response),
    ROW(TG_ALERT_, bad_certificate_hash_value),
    ROW(TG_ALERT_, unknown_psk_identity),
    ROW(TG_ALERT_, certificate_required),
    ROW(TG_ALERT_, no_application_protocol),
};

static const name_row alert_levels[] = {ROW(TG_ALERT_LEVEL_, warning), ROW(TG_ALERT_LEVEL_, fatal)};

static const name_row content_types[] = {
    ROW(TG_CT_, invalid),   ROW(TG_CT_, change_cipher_spec), ROW(TG_CT_, alert),
    ROW(TG_CT_, handshake), ROW(TG_CT_, application_data),
};

static const name_row versions[] = {
    {0x0300, "SSL 3.0"}, {0x0301, "TLS 1.0"}, {0x0302, "TLS 1.1"},
    {0x0303, "TLS 1.2"}, {0x0304, "TLS 1.3"},
};

static const name_row hs_types[] = {
    ROW(TG_HS_, hello_request),
    ROW(TG_HS_, client_hello),
    ROW(TG_HS_, server_hello),
    ROW(TG_HS_, new_session_ticket),
    ROW(TG_HS_, end_of_early_data),
    ROW(TG_HS_, encrypted_extensions),
    ROW(TG_HS_, certificate),
    ROW(TG_HS_, server_key_exchange),
    ROW(TG_HS_, certificate_request),
    ROW(TG_HS_, server_hello_done),
    ROW(TG_HS_, certificate_verify),
    ROW(TG_HS_, client_key_exchange),
    ROW(TG_HS_, finished),
    ROW(TG_HS_, certificate_url),
    ROW(TG_HS_, certificate_status),
    ROW(TG_HS_, key_update),
    ROW(TG_HS_, message_hash),
};

static const name_row ext_types[] = {
    ROW(TG_EXT_, server_name),
    ROW(TG_EXT_, max_fragment_length),
    ROW(TG_EXT_, status_request),
    ROW(TG_EXT_, supported_groups),
    ROW(TG_EXT_, ec_point_formats),
    ROW(TG_EXT_, signature_algorithms),
    ROW(TG_EXT_, use_srtp),
    ROW(TG_EXT_, heartbeat),
    ROW(TG_EXT_, application_layer_protocol_negotiation),
    ROW(TG_EXT_, signed_certificate_timestamp),
    ROW(TG_EXT_, client_certificate_type),
    ROW(TG_EXT_, server_certificate_type),
    ROW(TG_EXT_, padding),
    ROW(TG_EXT_, encrypt_then_mac),
    ROW(TG_EXT_, extended_master_secret),
    ROW(TG_EXT_, record_size_limit),
    ROW(TG_EXT_, session_ticket),
    ROW(TG_EXT_, pre_shared_key),
    ROW(TG_EXT_, early_data),
    ROW(TG_EXT_, supported_versions),
    ROW(TG_EXT_, cookie),
    ROW(TG_EXT_, psk_key_exchange_modes),
    ROW(TG_EXT_, certificate_authorities),
    ROW(TG_EXT_, oid_filters),
    ROW(TG_EXT_, post_handshake_auth),
    ROW(TG_EXT_, signature_algorithms_cert),
    ROW(TG_EXT_, key_share),
    ROW(TG_EXT_, renegotiation_info),
};

static const name_row cipher_suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
    {0x0000, "TLS_NULL_WITH_NULL_NULL"},
    {0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x5600, "TLS_FALLBACK_SCSV"},
};

static const name_row groups[] = {
    {0x0017, "secp256r1"}, {0x0018, "secp384r1"}, {0x0019, "secp521r1"},      {0x001d, "x25519"},
    {0x001e, "x448"},      {0x0100, "ffdhe2048"}, {0x0101, "ffdhe3072"},      {0x0102, "ffdhe4096"},
    {0x0103, "ffdhe6144"}, {0x0104, "ffdhe8192"}, {0x11ec, "X25519MLKEM768"},
};

static const name_row sig_schemes[] = {
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},
    {0x080b, "rsa_pss_pss_sha512"},
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0203, "ecdsa_sha1"},
    /* Reserved by RFC 8446 §4.2.3 for TLS 1.2's DSA, still offered by some clients. */
    {0x0202, "dsa_sha1_RESERVED"},
    {0x0402, "dsa_sha256_RESERVED"},
    {0x0502, "dsa_sha384_RESERVED"},
    {0x0602, "dsa_sha512_RESERVED"},
};

static const name_row psk_modes[] = {{0, "psk_ke"}, {1, "psk_dhe_ke"}};

static const char *lookup(const name_row *t, size_t n, unsigned v) {
  for (size_t i = 0; i < n; i++)
    if (t[i].value == v)
      return t[i].name;
  return NULL;
}

static bool rlookup(const name_row *t, size_t n, const char *name, unsigned *v) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].name, name) == 0) {
      *v = t[i].value;
      return true;
    }
  return false;
}

const char *tg_alert_name(unsigned v) { return lookup(alerts, COUNT(alerts), v); }
const char *tg_alert_level_name(unsigned v) { return lookup(alert_levels, COUNT(alert_levels), v); }
const char *tg_content_type_name(unsigned v) {
  return lookup(content_types, COUNT(content_types), v);
}
const char *tg_version_name(unsigned v) { return lookup(versions, COUNT(versions), v); }
const char *tg_hs_type_name(unsigned v) { return lookup(hs_types, COUNT(hs_types), v); }
const char *tg_ext_type_name(unsigned v) { return lookup(ext_types, COUNT(ext_types), v); }
const char *tg_cipher_suite_name(unsigned v) {
  return lookup(cipher_suites, COUNT(cipher_suites), v);
}
const char *tg_group_name(unsigned v) { return lookup(groups, COUNT(groups), v); }
const char *tg_sig_scheme_name(unsigned v) { return lookup(sig_schemes, COUNT(sig_schemes), v); }
const char *tg_psk_ke_mode_name(unsigned v) { return lookup(psk_modes, COUNT(psk_modes), v); }

bool tg_alert_by_name(const char *n, unsigned *v) { return rlookup(alerts, COUNT(alerts), n, v); }
bool tg_cipher_suite_by_name(const char *n, unsigned *v) {
  return rlookup(cipher_suites, COUNT(cipher_suites), n, v);
}
bool tg_group_by_name(const char *n, unsigned *v) { return rlookup(groups, COUNT(groups), n, v); }
bool tg_sig_scheme_by_name(const char *n, unsigned *v) {
  return rlookup(sig_schemes, COUNT(sig_schemes), n, v);
}
bool tg_ext_type_by_name(const char *n, unsigned *v) {
  return rlookup(ext_types, COUNT(ext_types), n, v);
}
