/* IANA names of TLS code points. One table per registry, searched linearly: these are printed,
 * not looked up on a hot path. */
#include <string.h>

#include "tg/error.h"
#include "tg/extensions.h"
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

/* The ExtensionType registry without the extensions the engine implements, for printing what
 * others send. Those are named by their descriptors (tg_ext_desc.name, tls/src/extensions/),
 * which tg_ext_type_name and tg_ext_type_by_name ask first: their names live in one place. A row
 * here whose extension gets a descriptor is never read again; delete it in the same change. */
static const name_row ext_types[] = {
    ROW(TG_EXT_, client_certificate_url),
    ROW(TG_EXT_, trusted_ca_keys),
    ROW(TG_EXT_, truncated_hmac),
    ROW(TG_EXT_, user_mapping),
    ROW(TG_EXT_, client_authz),
    ROW(TG_EXT_, server_authz),
    ROW(TG_EXT_, cert_type),
    ROW(TG_EXT_, srp),
    ROW(TG_EXT_, use_srtp),
    ROW(TG_EXT_, heartbeat),
    ROW(TG_EXT_, status_request_v2),
    ROW(TG_EXT_, signed_certificate_timestamp),
    ROW(TG_EXT_, client_certificate_type),
    ROW(TG_EXT_, server_certificate_type),
    ROW(TG_EXT_, token_binding),
    ROW(TG_EXT_, cached_info),
    ROW(TG_EXT_, tls_lts),
    ROW(TG_EXT_, compress_certificate),
    ROW(TG_EXT_, pwd_protect),
    ROW(TG_EXT_, pwd_clear),
    ROW(TG_EXT_, password_salt),
    ROW(TG_EXT_, ticket_pinning),
    ROW(TG_EXT_, tls_cert_with_extern_psk),
    ROW(TG_EXT_, delegated_credential),
    ROW(TG_EXT_, TLMSP),
    ROW(TG_EXT_, TLMSP_proxying),
    ROW(TG_EXT_, TLMSP_delegate),
    ROW(TG_EXT_, supported_ekt_ciphers),
    ROW(TG_EXT_, oid_filters),
    ROW(TG_EXT_, transparency_info),
    ROW(TG_EXT_, connection_id_deprecated),
    ROW(TG_EXT_, connection_id),
    ROW(TG_EXT_, external_id_hash),
    ROW(TG_EXT_, external_session_id),
    ROW(TG_EXT_, quic_transport_parameters),
    ROW(TG_EXT_, ticket_request),
    ROW(TG_EXT_, dnssec_chain),
    ROW(TG_EXT_, sequence_number_encryption_algorithms),
    ROW(TG_EXT_, rrc),
    ROW(TG_EXT_, application_settings_old),
    ROW(TG_EXT_, application_settings),
    ROW(TG_EXT_, ech_outer_extensions),
    ROW(TG_EXT_, encrypted_client_hello),
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
    {0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
    {0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
    {0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
    {0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
    {0xc09c, "TLS_RSA_WITH_AES_128_CCM"},
    {0xc09d, "TLS_RSA_WITH_AES_256_CCM"},
    {0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8"},
    {0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8"},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
    {0x0000, "TLS_NULL_WITH_NULL_NULL"},
    {0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x5600, "TLS_FALLBACK_SCSV"},
};

static const name_row groups[] = {
    {0x0017, "secp256r1"},
    {0x0018, "secp384r1"},
    {0x0019, "secp521r1"},
    {0x001d, "x25519"},
    {0x001e, "x448"},
    {0x0100, "ffdhe2048"},
    {0x0101, "ffdhe3072"},
    {0x0102, "ffdhe4096"},
    {0x0103, "ffdhe6144"},
    {0x0104, "ffdhe8192"},
    {0x11ec, "X25519MLKEM768"},
    /* The rest of the IANA TLS Supported Groups registry. */
    {0x0001, "sect163k1"},
    {0x0002, "sect163r1"},
    {0x0003, "sect163r2"},
    {0x0004, "sect193r1"},
    {0x0005, "sect193r2"},
    {0x0006, "sect233k1"},
    {0x0007, "sect233r1"},
    {0x0008, "sect239k1"},
    {0x0009, "sect283k1"},
    {0x000a, "sect283r1"},
    {0x000b, "sect409k1"},
    {0x000c, "sect409r1"},
    {0x000d, "sect571k1"},
    {0x000e, "sect571r1"},
    {0x000f, "secp160k1"},
    {0x0010, "secp160r1"},
    {0x0011, "secp160r2"},
    {0x0012, "secp192k1"},
    {0x0013, "secp192r1"},
    {0x0014, "secp224k1"},
    {0x0015, "secp224r1"},
    {0x0016, "secp256k1"},
    {0x001a, "brainpoolP256r1"},
    {0x001b, "brainpoolP384r1"},
    {0x001c, "brainpoolP512r1"},
    {0x001f, "brainpoolP256r1tls13"},
    {0x0020, "brainpoolP384r1tls13"},
    {0x0021, "brainpoolP512r1tls13"},
    {0x0022, "GC256A"},
    {0x0023, "GC256B"},
    {0x0024, "GC256C"},
    {0x0025, "GC256D"},
    {0x0026, "GC512A"},
    {0x0027, "GC512B"},
    {0x0028, "GC512C"},
    {0x0029, "curveSM2"},
    {0x0200, "MLKEM512"},
    {0x0201, "MLKEM768"},
    {0x0202, "MLKEM1024"},
    {0x11eb, "SecP256r1MLKEM768"},
    {0x11ed, "SecP384r1MLKEM1024"},
    {0x6399, "X25519Kyber768Draft00"},
    {0x639a, "SecP256r1Kyber768Draft00"},
    {0xff01, "arbitrary_explicit_prime_curves"},
    {0xff02, "arbitrary_explicit_char2_curves"},
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
    /* The rest of the IANA TLS SignatureScheme registry. */
    {0x0420, "rsa_pkcs1_sha256_legacy"},
    {0x0520, "rsa_pkcs1_sha384_legacy"},
    {0x0620, "rsa_pkcs1_sha512_legacy"},
    {0x0704, "eccsi_sha256"},
    {0x0705, "iso_ibs1"},
    {0x0706, "iso_ibs2"},
    {0x0707, "iso_chinese_ibs"},
    {0x0708, "sm2sig_sm3"},
    {0x0709, "gostr34102012_256a"},
    {0x070a, "gostr34102012_256b"},
    {0x070b, "gostr34102012_256c"},
    {0x070c, "gostr34102012_256d"},
    {0x070d, "gostr34102012_512a"},
    {0x070e, "gostr34102012_512b"},
    {0x070f, "gostr34102012_512c"},
    {0x081a, "ecdsa_brainpoolP256r1tls13_sha256"},
    {0x081b, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081c, "ecdsa_brainpoolP512r1tls13_sha512"},
    {0x0904, "mldsa44"},
    {0x0905, "mldsa65"},
    {0x0906, "mldsa87"},
};

static const name_row psk_modes[] = {{0, "psk_ke"}, {1, "psk_dhe_ke"}};

/* RFC 8701 reserves 0x0a0a, 0x1a1a, ..., 0xfafa in the cipher suite, extension, group,
 * signature scheme and version registries: GREASE, which a client sends so that a peer that
 * chokes on unknown values shows it. Each has its own name (GREASE_1a1a), so that a name read
 * back is the same value. */
static const char *const grease[16] = {
    "GREASE_0a0a", "GREASE_1a1a", "GREASE_2a2a", "GREASE_3a3a", "GREASE_4a4a", "GREASE_5a5a",
    "GREASE_6a6a", "GREASE_7a7a", "GREASE_8a8a", "GREASE_9a9a", "GREASE_aaaa", "GREASE_baba",
    "GREASE_caca", "GREASE_dada", "GREASE_eaea", "GREASE_fafa",
};

static bool is_grease(unsigned v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 12) == ((v >> 4) & 0xf);
}

const char *tg_grease_name(unsigned v) { return is_grease(v) ? grease[v >> 12] : NULL; }

static const char *lookup(const name_row *t, size_t n, unsigned v) {
  for (size_t i = 0; i < n; i++)
    if (t[i].value == v)
      return t[i].name;
  return NULL;
}

/* A registry that RFC 8701 reserves GREASE values in. */
static const char *lookup_greased(const name_row *t, size_t n, unsigned v) {
  return is_grease(v) ? grease[v >> 12] : lookup(t, n, v);
}

static bool rlookup(const name_row *t, size_t n, const char *name, unsigned *v) {
  for (unsigned i = 0; i < 16; i++)
    if (strcmp(grease[i], name) == 0) {
      *v = i << 12 | 0x0a00 | i << 4 | 0x0a;
      return true;
    }
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
const char *tg_version_name(unsigned v) { return lookup_greased(versions, COUNT(versions), v); }
const char *tg_hs_type_name(unsigned v) { return lookup(hs_types, COUNT(hs_types), v); }
const char *tg_ext_type_name(unsigned v) {
  const tg_ext_desc *d = v <= 0xffff ? tg_ext_desc_of((uint16_t)v) : NULL;
  return d != NULL ? d->name : lookup_greased(ext_types, COUNT(ext_types), v);
}
const char *tg_cipher_suite_name(unsigned v) {
  return lookup_greased(cipher_suites, COUNT(cipher_suites), v);
}
const char *tg_group_name(unsigned v) { return lookup_greased(groups, COUNT(groups), v); }
const char *tg_sig_scheme_name(unsigned v) {
  return lookup_greased(sig_schemes, COUNT(sig_schemes), v);
}
const char *tg_psk_ke_mode_name(unsigned v) { return lookup(psk_modes, COUNT(psk_modes), v); }

bool tg_alert_by_name(const char *n, unsigned *v) {
  return strncmp(n, "GREASE_", 7) != 0 && rlookup(alerts, COUNT(alerts), n, v);
}
bool tg_cipher_suite_by_name(const char *n, unsigned *v) {
  return rlookup(cipher_suites, COUNT(cipher_suites), n, v);
}
bool tg_group_by_name(const char *n, unsigned *v) { return rlookup(groups, COUNT(groups), n, v); }
bool tg_sig_scheme_by_name(const char *n, unsigned *v) {
  return rlookup(sig_schemes, COUNT(sig_schemes), n, v);
}
bool tg_ext_type_by_name(const char *n, unsigned *v) {
  const tg_ext_desc *d;
  for (size_t i = 0; (d = tg_ext_desc_at(i)) != NULL; i++)
    if (strcmp(d->name, n) == 0) {
      *v = d->type;
      return true;
    }
  return rlookup(ext_types, COUNT(ext_types), n, v);
}
