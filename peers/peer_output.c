/* The peer protocol's output: the JSON outcome line every adapter prints, the error classes, and
 * the --info line. */
#include "peer_common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tg/error.h"
#include "tg/names.h"

/* ---- Outcome --------------------------------------------------------------------------------- */

const char *peer_error_class_for_alert(int alert) {
  switch (alert) {
  case TG_ALERT_bad_certificate:
  case TG_ALERT_unsupported_certificate:
  case TG_ALERT_certificate_revoked:
  case TG_ALERT_certificate_expired:
  case TG_ALERT_certificate_unknown:
  case TG_ALERT_unknown_ca:
  case TG_ALERT_certificate_required:
  case TG_ALERT_bad_certificate_status_response:
  case TG_ALERT_certificate_unobtainable:
  case TG_ALERT_bad_certificate_hash_value: return PEER_EC_CERTIFICATE;
  case TG_ALERT_handshake_failure:
  case TG_ALERT_insufficient_security:
  case TG_ALERT_no_application_protocol:
  case TG_ALERT_unrecognized_name:
  case TG_ALERT_unknown_psk_identity:
  case TG_ALERT_access_denied: return PEER_EC_HANDSHAKE_FAILURE;
  case TG_ALERT_protocol_version:
  case TG_ALERT_inappropriate_fallback: return PEER_EC_VERSION;
  case TG_ALERT_internal_error:
  case TG_ALERT_user_canceled: return PEER_EC_INTERNAL;
  default: return PEER_EC_PROTOCOL; /* decode_error, illegal_parameter, bad_record_mac, ... */
  }
}

void peer_outcome_init(peer_outcome *out, const char *implementation, const char *version,
                       peer_role role) {
  memset(out, 0, sizeof *out);
  out->implementation = implementation;
  out->version = version;
  out->role = role;
  out->alert_sent = -1;
  out->alert_received = -1;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* An alert by its RFC name; a value without one as "unknown(N)" so it is never lost. */
static json_t *alert_json(int alert) {
  if (alert < 0)
    return json_null();
  const char *name = tg_alert_name((unsigned)alert);
  if (name)
    return json_string(name);
  char buf[32];
  snprintf(buf, sizeof buf, "unknown(%d)", alert);
  return json_string(buf);
}

/* Bytes as a JSON string when they are UTF-8 (jansson refuses anything else), else null. */
static json_t *bytes_json(const void *p, size_t len) {
  if (p == NULL)
    return json_null();
  json_t *s = json_stringn((const char *)p, len);
  return s ? s : json_null();
}

void peer_outcome_print(FILE *f, const peer_outcome *o) {
  json_t *j = json_object();
  /* json_object_set_new keeps insertion order when dumped with JSON_PRESERVE_ORDER. */
  json_object_set_new(j, "implementation", json_string(o->implementation));
  json_object_set_new(j, "version", json_string(o->version));
  json_object_set_new(j, "role", json_string(o->role == PEER_ROLE_SERVER ? "server" : "client"));
  json_object_set_new(j, "result", json_string(o->established ? "established" : "failed"));
  json_object_set_new(j, "protocol", str_or_null(o->protocol));
  json_object_set_new(j, "cipher", str_or_null(o->cipher));
  json_object_set_new(j, "group", str_or_null(o->group));
  json_object_set_new(j, "alpn", o->alpn_len ? bytes_json(o->alpn, o->alpn_len) : json_null());
  json_object_set_new(j, "alert_sent", alert_json(o->alert_sent));
  json_object_set_new(j, "alert_received", alert_json(o->alert_received));
  json_object_set_new(j, "error_class", str_or_null(o->error_class));
  json_object_set_new(j, "error", str_or_null(o->error));
  json_object_set_new(j, "bytes_sent", json_integer((json_int_t)o->bytes_sent));
  json_object_set_new(j, "bytes_received", json_integer((json_int_t)o->bytes_received));
  json_object_set_new(j, "received", bytes_json(o->received, o->received_len));
  json_object_set_new(j, "resumed", json_boolean(o->resumed));
  char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(j);
  if (line) {
    fprintf(f, "%s\n", line);
    free(line);
  }
  fflush(f);
}

/* ---- --info --------------------------------------------------------------------------------- */

static bool probe_one(peer_info_takes takes, peer_probe_kind kind, uint16_t v) {
  static peer_opts o; /* three PEER_MAX_LIST lists: not on the stack for each of 65,536 calls */
  memset(&o, 0, sizeof o);
  peer_u16_list *l = kind == PEER_PROBE_SUITE   ? &o.ciphers
                     : kind == PEER_PROBE_GROUP ? &o.groups
                                                : &o.sigalgs;
  if (kind == PEER_PROBE_VERSION) {
    o.min_version = o.max_version = v;
  } else {
    l->n = 1;
    l->v[0] = v;
    l->wire[0] = (uint8_t)(v >> 8);
    l->wire[1] = (uint8_t)v;
  }
  return takes(&o, kind, v);
}

static void probe_list(peer_info_list *list, const char *(*name)(unsigned), peer_info_takes takes,
                       peer_probe_kind kind) {
  for (unsigned v = 0; v <= 0xffff && list->n < PEER_INFO_MAX; v++)
    if (name(v) != NULL && probe_one(takes, kind, (uint16_t)v))
      list->v[list->n++] = (uint16_t)v;
}

void peer_info_probe_flags(peer_info *in, peer_info_takes takes) {
  for (unsigned v = TG_VERSION_TLS10; v <= TG_VERSION_TLS13; v++)
    if (probe_one(takes, PEER_PROBE_VERSION, (uint16_t)v))
      in->versions.v[in->versions.n++] = (uint16_t)v;
  probe_list(&in->cipher_suites, tg_cipher_suite_name, takes, PEER_PROBE_SUITE);
  probe_list(&in->groups, tg_group_name, takes, PEER_PROBE_GROUP);
  probe_list(&in->signature_schemes, tg_sig_scheme_name, takes, PEER_PROBE_SIGALG);
}

static json_t *names_json(const peer_info_list *l, const char *(*name)(unsigned)) {
  json_t *a = json_array();
  for (size_t i = 0; i < l->n; i++)
    json_array_append_new(a, json_string(name(l->v[i])));
  return a;
}

static const char *version_name(unsigned v) { return peer_version_name((uint16_t)v); }

void peer_info_print(FILE *f, const peer_info *in) {
  json_t *j = json_object();
  json_object_set_new(j, "implementation", json_string(in->implementation));
  json_object_set_new(j, "version", str_or_null(in->version));
  json_t *roles = json_array();
  json_array_append_new(roles, json_string("client"));
  json_array_append_new(roles, json_string("server"));
  json_object_set_new(j, "roles", roles);
  json_object_set_new(j, "versions", names_json(&in->versions, version_name));
  json_object_set_new(j, "cipher_suites", names_json(&in->cipher_suites, tg_cipher_suite_name));
  json_object_set_new(j, "groups", names_json(&in->groups, tg_group_name));
  json_object_set_new(j, "signature_schemes",
                      names_json(&in->signature_schemes, tg_sig_scheme_name));
  json_t *feat = json_object();
  json_object_set_new(feat, "alpn", json_boolean(in->alpn));
  json_object_set_new(feat, "sni", json_boolean(in->sni));
  json_object_set_new(feat, "client_auth", json_boolean(in->client_auth));
  json_object_set_new(feat, "resumption", json_boolean(in->resumption));
  json_object_set_new(feat, "key_update", json_boolean(in->key_update));
  json_object_set_new(feat, "require_ems", json_boolean(in->require_ems));
  json_object_set_new(feat, "ems_optional", json_boolean(in->ems_optional));
  json_object_set_new(feat, "ticket_key", json_boolean(in->ticket_key));
  json_object_set_new(j, "features", feat);
  char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(j);
  if (line) {
    fprintf(f, "%s\n", line);
    free(line);
  }
  fflush(f);
}

/* ---- --verify -------------------------------------------------------------------------------- */

x509_check_in peer_check_in(const peer_opts *o) {
  return (x509_check_in){.name = o->verify_name,
                         .client = o->purpose_client,
                         .now = o->has_time ? o->verify_time : (int64_t)time(NULL),
                         .profile = o->profile};
}

void peer_verify_print(const char *implementation, const char *version, const char *verdict,
                       const char *reason, const char *error, const char *flags) {
  json_t *j = json_object();
  json_object_set_new(j, "implementation", json_string(implementation));
  json_object_set_new(j, "version", json_string(version));
  json_object_set_new(j, "verdict", json_string(verdict));
  json_object_set_new(j, "reason", str_or_null(reason));
  json_object_set_new(j, "error", str_or_null(error));
  json_object_set_new(j, "flags", str_or_null(flags));
  char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(j);
  if (line != NULL)
    printf("%s\n", line);
  free(line);
  fflush(stdout);
}
