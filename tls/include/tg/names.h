/* Code points of the TLS registries and their IANA names, for printing and for the command line
 * and scenario files (which take the names). Lookups return NULL / false for unknown values. */
#ifndef TG_NAMES_H
#define TG_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* ContentType, RFC 8446 §5.1. */
enum tg_content_type {
  TG_CT_invalid = 0,
  TG_CT_change_cipher_spec = 20,
  TG_CT_alert = 21,
  TG_CT_handshake = 22,
  TG_CT_application_data = 23,
};

/* ProtocolVersion values. */
enum tg_version {
  TG_VERSION_SSL30 = 0x0300,
  TG_VERSION_TLS10 = 0x0301,
  TG_VERSION_TLS11 = 0x0302,
  TG_VERSION_TLS12 = 0x0303,
  TG_VERSION_TLS13 = 0x0304,
};

/* HandshakeType, RFC 8446 §4 and RFC 5246 §7.4. */
enum tg_hs_type {
  TG_HS_hello_request = 0,
  TG_HS_client_hello = 1,
  TG_HS_server_hello = 2,
  TG_HS_new_session_ticket = 4,
  TG_HS_end_of_early_data = 5,
  TG_HS_encrypted_extensions = 8,
  TG_HS_certificate = 11,
  TG_HS_server_key_exchange = 12,
  TG_HS_certificate_request = 13,
  TG_HS_server_hello_done = 14,
  TG_HS_certificate_verify = 15,
  TG_HS_client_key_exchange = 16,
  TG_HS_finished = 20,
  TG_HS_certificate_url = 21,
  TG_HS_certificate_status = 22,
  TG_HS_key_update = 24,
  TG_HS_message_hash = 254,
};

/* ExtensionType: the IANA registry (RFC 8446 §4.2 and later RFCs), and a few drafts deployed
 * code sends. Names: tg_ext_type_name. */
enum tg_ext_type {
  TG_EXT_server_name = 0,
  TG_EXT_max_fragment_length = 1,
  TG_EXT_client_certificate_url = 2,
  TG_EXT_trusted_ca_keys = 3,
  TG_EXT_truncated_hmac = 4,
  TG_EXT_status_request = 5,
  TG_EXT_user_mapping = 6,
  TG_EXT_client_authz = 7,
  TG_EXT_server_authz = 8,
  TG_EXT_cert_type = 9,
  TG_EXT_supported_groups = 10,
  TG_EXT_ec_point_formats = 11,
  TG_EXT_srp = 12,
  TG_EXT_signature_algorithms = 13,
  TG_EXT_use_srtp = 14,
  TG_EXT_heartbeat = 15,
  TG_EXT_application_layer_protocol_negotiation = 16,
  TG_EXT_status_request_v2 = 17,
  TG_EXT_signed_certificate_timestamp = 18,
  TG_EXT_client_certificate_type = 19,
  TG_EXT_server_certificate_type = 20,
  TG_EXT_padding = 21,
  TG_EXT_encrypt_then_mac = 22,
  TG_EXT_extended_master_secret = 23,
  TG_EXT_token_binding = 24,
  TG_EXT_cached_info = 25,
  TG_EXT_tls_lts = 26,
  TG_EXT_compress_certificate = 27, /* RFC 8879 */
  TG_EXT_record_size_limit = 28,
  TG_EXT_pwd_protect = 29,
  TG_EXT_pwd_clear = 30,
  TG_EXT_password_salt = 31,
  TG_EXT_ticket_pinning = 32,
  TG_EXT_tls_cert_with_extern_psk = 33,
  TG_EXT_delegated_credential = 34,
  TG_EXT_session_ticket = 35,
  TG_EXT_TLMSP = 36,
  TG_EXT_TLMSP_proxying = 37,
  TG_EXT_TLMSP_delegate = 38,
  TG_EXT_supported_ekt_ciphers = 39,
  TG_EXT_pre_shared_key = 41,
  TG_EXT_early_data = 42,
  TG_EXT_supported_versions = 43,
  TG_EXT_cookie = 44,
  TG_EXT_psk_key_exchange_modes = 45,
  TG_EXT_certificate_authorities = 47,
  TG_EXT_oid_filters = 48,
  TG_EXT_post_handshake_auth = 49,
  TG_EXT_signature_algorithms_cert = 50,
  TG_EXT_key_share = 51,
  TG_EXT_transparency_info = 52,
  TG_EXT_connection_id_deprecated = 53,
  TG_EXT_connection_id = 54,
  TG_EXT_external_id_hash = 55,
  TG_EXT_external_session_id = 56,
  TG_EXT_quic_transport_parameters = 57,
  TG_EXT_ticket_request = 58,
  TG_EXT_dnssec_chain = 59,
  TG_EXT_sequence_number_encryption_algorithms = 60,
  TG_EXT_rrc = 61,
  /* ALPS (draft-vvv-tls-alps), not in the registry but in every Chrome ClientHello: the first
   * code point and the one that replaced it (BoringSSL's names). */
  TG_EXT_application_settings_old = 17513,
  TG_EXT_application_settings = 17613,
  TG_EXT_ech_outer_extensions = 0xfd00,   /* draft-ietf-tls-esni */
  TG_EXT_encrypted_client_hello = 0xfe0d, /* draft-ietf-tls-esni */
  TG_EXT_renegotiation_info = 0xff01,
};

/* NamedGroup values used here. */
enum tg_group {
  TG_GROUP_secp256r1 = 0x0017,
  TG_GROUP_secp384r1 = 0x0018,
  TG_GROUP_secp521r1 = 0x0019,
  TG_GROUP_x25519 = 0x001d,
  TG_GROUP_x448 = 0x001e,
};

/* The names tables; NULL when the value is not in them. */
const char *tg_alert_name(unsigned alert);
const char *tg_alert_level_name(unsigned level);
const char *tg_content_type_name(unsigned type);
const char *tg_version_name(unsigned version);    /* "TLS 1.2" */
const char *tg_hs_type_name(unsigned type);       /* "client_hello" */
const char *tg_ext_type_name(unsigned type);      /* "server_name" */
const char *tg_cipher_suite_name(unsigned suite); /* "TLS_AES_128_GCM_SHA256" */
const char *tg_group_name(unsigned group);        /* "x25519" */
const char *tg_sig_scheme_name(unsigned scheme);  /* "rsa_pss_rsae_sha256" */
const char *tg_psk_ke_mode_name(unsigned mode);   /* "psk_dhe_ke" */
/* The version, extension, cipher suite, group and signature scheme names above include the
 * GREASE values of RFC 8701 (0x?a?a with both nibbles equal) as "GREASE_1a1a"; this is that
 * name alone, NULL for any other value. */
const char *tg_grease_name(unsigned value);

/* Reverse lookups by exact name; true when found. */
bool tg_alert_by_name(const char *name, unsigned *value);
bool tg_cipher_suite_by_name(const char *name, unsigned *value);
bool tg_group_by_name(const char *name, unsigned *value);
bool tg_sig_scheme_by_name(const char *name, unsigned *value);
bool tg_ext_type_by_name(const char *name, unsigned *value);

#endif
