/* hunt's oracle (hunt_oracle.h): signatures, vectors, disagreements. */
#include "hunt_oracle.h"

#include <stdio.h>
#include <string.h>

void hunt_signature(const run_result *r, char *buf, size_t cap) {
  switch (r->raw) {
  case V_CRASH: snprintf(buf, cap, "crash"); return;
  case V_SKIP: snprintf(buf, cap, "skip"); return;
  case V_INCONCLUSIVE: snprintf(buf, cap, "inconclusive"); return;
  default: break;
  }
  /* A script that ends waiting for a message (a HelloRetryRequest) saw the target answer, and
   * watched nothing after: whether it would have gone on or rejected what came next is not
   * known. */
  const sc_scenario *sc = r->scenario;
  if (r->raw == V_PASS && sc != NULL && r->did_step > 0 && r->did_step <= sc->n_steps &&
      r->did_step == sc->n_steps && sc->steps[r->did_step - 1].kind == SC_STEP_EXPECT &&
      sc->steps[r->did_step - 1].expect == SC_EXPECT_MESSAGE) {
    snprintf(buf, cap, "answered");
    return;
  }
  if (r->did.b == B_NONE) {
    snprintf(buf, cap, "%s", r->raw == V_TIMEOUT ? "timeout" : "pass");
    return;
  }
  behaviour_format(&r->did, buf, cap);
}

bool hunt_signature_conclusive(const char *sig) {
  return strcmp(sig, "skip") != 0 && strcmp(sig, "inconclusive") != 0 &&
         strcmp(sig, "answered") != 0;
}

void hunt_vector(const run_result *r, size_t n, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < cap; i++) {
    char sig[HUNT_SIG_MAX];
    hunt_signature(&r[i], sig, sizeof sig);
    int k = snprintf(buf + used, cap - used, "%s%s=%s", i ? " " : "", r[i].implementation, sig);
    used += k > 0 ? (size_t)k : 0;
  }
}

hunt_diff hunt_disagreement(const run_result *r, size_t n) {
  char first[HUNT_SIG_MAX] = "";
  size_t conclusive = 0;
  bool differ = false, accepted = false, rejected = false, timeout = false, close = false;
  for (size_t i = 0; i < n; i++) {
    char sig[HUNT_SIG_MAX];
    hunt_signature(&r[i], sig, sizeof sig);
    if (strcmp(sig, "crash") == 0)
      return HD_CRASH;
    if (!hunt_signature_conclusive(sig))
      continue;
    if (conclusive++ == 0)
      snprintf(first, sizeof first, "%s", sig);
    else if (strcmp(first, sig) != 0)
      differ = true;
    bool acc = strcmp(sig, "accepted") == 0 || strcmp(sig, "pass") == 0;
    accepted |= acc;
    timeout |= strcmp(sig, "timeout") == 0;
    close |= strcmp(sig, "close") == 0;
    rejected |= !acc && strcmp(sig, "timeout") != 0;
  }
  if (!differ)
    return HD_NONE;
  if (accepted && rejected)
    return HD_ACCEPTANCE;
  if (timeout)
    return HD_TIMEOUT;
  return close ? HD_CLOSE : HD_ALERT;
}

const char *hunt_diff_name(hunt_diff d) {
  static const char *const names[] = {"",        "alert",      "silent-close",
                                      "timeout", "acceptance", "crash"};
  return (size_t)d < sizeof names / sizeof names[0] ? names[d] : "?";
}

/* Where the RFC speaks of what a mutation breaks: the deviation's name (or the inserted step's
 * kind) against the section. More specific prefixes first. */
const char *hunt_mut_rfc(const hunt_mut *m) {
  static const struct {
    const char *prefix, *rfc;
  } table[] = {
      {"set_field:client_hello.legacy_version", "RFC 8446 4.1.2, D.5"},
      {"set_field:client_hello.legacy_session_id", "RFC 8446 4.1.2"},
      {"set_field:client_hello.cipher_suites", "RFC 8446 4.1.2"},
      {"set_field:client_hello.legacy_compression_methods", "RFC 8446 4.1.2"},
      {"set_field:server_hello", "RFC 8446 4.1.3"},
      {"set_field:certificate_verify", "RFC 8446 4.4.3"},
      {"set_field:key_update", "RFC 8446 4.6.3"},
      {"drop_extension", "RFC 8446 4.2, 9.2"},
      {"duplicate_extension", "RFC 8446 4.2"},
      {"add_extension", "RFC 8446 4.2"},
      {"skip", "RFC 8446 4.4.1, 6.2 (unexpected_message)"},
      {"duplicate", "RFC 8446 4, 6.2 (unexpected_message)"},
      {"reorder", "RFC 8446 4, 6.2 (unexpected_message)"},
      {"inject", "RFC 8446 4, 6.2 (unexpected_message)"},
      {"corrupt_finished", "RFC 8446 4.4.4"},
      {"corrupt_signature", "RFC 8446 4.4.3"},
      {"corrupt_key_share", "RFC 8446 4.2.8"},
      {"record_type", "RFC 8446 5, 5.2"},
      {"record_version", "RFC 8446 5.1"},
      {"fragment", "RFC 8446 5.1"},
      {"zero_length_record", "RFC 8446 5.1, 5.4"},
      {"oversize_record", "RFC 8446 5.1, 5.2 (record_overflow)"},
      {"record_padding", "RFC 8446 5.4"},
      {"plaintext_after_keys", "RFC 8446 5"},
      {"skip_record", "RFC 8446 5"},
      {"truncate", "RFC 8446 4, 6 (decode_error)"},
      {"patch", "RFC 8446 4, 6 (decode_error)"},
      {"append", "RFC 8446 4, 6 (decode_error)"},
      {"inject_record", "RFC 8446 5"},
  };
  if (m->kind == HM_STEP) {
    switch (m->send) {
    case SC_SEND_ALERT: return "RFC 8446 6, 6.1";
    case SC_SEND_CHANGE_CIPHER_SPEC: return "RFC 8446 5, D.4";
    case SC_SEND_RECORD: return "RFC 8446 5";
    case SC_SEND_APPLICATION_DATA: return "RFC 8446 5, 2";
    case SC_SEND_KEY_UPDATE: return "RFC 8446 4.6.3";
    default: return NULL;
    }
  }
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    size_t len = strlen(table[i].prefix);
    if (strncmp(m->spec, table[i].prefix, len) == 0 &&
        (m->spec[len] == '\0' || strchr(":.@", m->spec[len]) != NULL))
      return table[i].rfc;
  }
  return NULL;
}

/* "vector | shape shape ..." with the shapes sorted, so that the order of mutations does not
 * make two classes of one. */
void hunt_class_key(const hunt_mutant *m, const char *vec, char *buf, size_t cap) {
  char shapes[HUNT_MAX_MUTS][128];
  for (size_t i = 0; i < m->n; i++)
    hunt_mut_shape(&m->m[i], shapes[i], sizeof shapes[i]);
  for (size_t i = 1; i < m->n; i++) /* insertion sort of at most four */
    for (size_t j = i; j > 0 && strcmp(shapes[j - 1], shapes[j]) > 0; j--) {
      char t[128];
      memcpy(t, shapes[j], sizeof t);
      memcpy(shapes[j], shapes[j - 1], sizeof t);
      memcpy(shapes[j - 1], t, sizeof t);
    }
  size_t used = (size_t)snprintf(buf, cap, "%s |", vec);
  for (size_t i = 0; i < m->n && used < cap; i++)
    used += (size_t)snprintf(buf + used, cap - used, " %s", shapes[i]);
}
