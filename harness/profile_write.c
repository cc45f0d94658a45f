/* Target profiles as YAML (profile.h): every field that is set, so that a profile loaded and
 * written again says the same thing, in the order a reader checks them (who, versions and
 * algorithms, certificates, what happens after the handshake, timing).
 *
 * What a field cannot say is a comment: a trust anchor nobody knows (`trust_anchor: ~`), the CA
 * a server trusts for client certificates, and the per-scenario settings of a command target,
 * which follow from the command's placeholders ({cert}, {?alpn:...}, ...) and so are not keys
 * of their own. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "profile.h"
#include "profile_write.h"
#include "tg/names.h"

/* ---- Scalars ------------------------------------------------------------------------------ */

/* Whether s can be written as a plain scalar that every YAML reader takes as this string (and
 * not as a number, a boolean, null, or the start of a mapping or flow collection): a letter or
 * '/' first, then only letters, digits and _ . / : + @ -, and not one of YAML 1.1's words. */
static bool plain_ok(const char *s) {
  static const char *const words[] = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"};
  if (!isalpha((unsigned char)s[0]) && s[0] != '/')
    return false;
  for (const char *c = s; *c; c++)
    if (!isalnum((unsigned char)*c) && strchr("_./:+@-", *c) == NULL)
      return false;
  if (s[strlen(s) - 1] == ':')
    return false;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcasecmp(s, words[i]) == 0)
      return false;
  return true;
}

/* s as a YAML scalar: plain when that is safe, else double-quoted with escapes. */
static void put_scalar(FILE *f, const char *s) {
  if (plain_ok(s)) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\')
      fprintf(f, "\\%c", *c);
    else if (*c == '\n')
      fputs("\\n", f);
    else if (*c == '\t')
      fputs("\\t", f);
    else if (c[0] == 0xc2 && c[1] == 0x85) /* U+0085 NEL: a line break to YAML */
      fputs("\\N", f), c++;
    else if (*c < 0x20 || *c == 0x7f)
      fprintf(f, "\\x%02x", *c);
    else
      fputc(*c, f); /* UTF-8 passes as is */
  }
  fputc('"', f);
}

static void put_str(FILE *f, const char *key, const char *value) {
  if (value == NULL)
    return;
  fprintf(f, "%s: ", key);
  put_scalar(f, value);
  fputc('\n', f);
}

static void put_bool(FILE *f, const char *key, bool value) {
  fprintf(f, "%s: %s\n", key, value ? "true" : "false");
}

/* A list of code points by their IANA names, as the scenario format writes them (a value the
 * name tables lack as its number). n 0 is "not known": the key is left out. */
static void put_codes(FILE *f, const char *key, const sc_u16_list *l,
                      const char *(*name)(unsigned)) {
  if (l->n == 0)
    return;
  fprintf(f, "%s: [", key);
  for (size_t i = 0; i < l->n; i++) {
    const char *s = name(l->v[i]);
    fputs(i ? ", " : "", f);
    if (s != NULL)
      put_scalar(f, s);
    else
      fprintf(f, "%u", l->v[i]);
  }
  fputs("]\n", f);
}

/* The comma-separated ALPN protocols as a list; NULL is the empty list (none). */
static void put_alpn(FILE *f, const char *alpn) {
  fputs("alpn: [", f);
  for (const char *p = alpn; p != NULL && *p;) {
    size_t len = strcspn(p, ",");
    char one[256];
    snprintf(one, sizeof one, "%.*s", (int)len, p);
    fputs(p == alpn ? "" : ", ", f);
    put_scalar(f, one);
    p += len + (p[len] == ',');
  }
  fputs("]\n", f);
}

/* ---- Comments ----------------------------------------------------------------------------- */

static void put_comment(FILE *f, const char *text) {
  for (const char *p = text; *p;) {
    size_t len = strcspn(p, "\n");
    fprintf(f, "#%s%.*s\n", len ? " " : "", (int)len, p);
    p += len + (p[len] == '\n');
  }
}

/* The notes for key, in the order given. */
static void notes_for(FILE *f, const char *key, const profile_note *notes, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (notes[i].key != NULL && notes[i].text != NULL && strcmp(notes[i].key, key) == 0)
      put_comment(f, notes[i].text);
}

/* A certificate setting: its name, a per-scenario comment, or what to fill in when asked. */
static void put_cert(FILE *f, const char *key, const tp_cert *c, const char *placeholder,
                     const char *unknown) {
  if (c->name != NULL)
    put_str(f, key, c->name);
  else if (c->per_scenario)
    fprintf(f, "# %s: per scenario (the command takes %s)\n", key, placeholder);
  else if (unknown != NULL)
    fprintf(f, "# %s: not known (%s)\n", key, unknown);
}

/* ---- The profile -------------------------------------------------------------------------- */

static void put_versions(FILE *f, const target_profile *p) {
  fprintf(f, "versions: [%s%s%s]\n", p->tls12 ? "\"1.2\"" : "", p->tls12 && p->tls13 ? ", " : "",
          p->tls13 ? "\"1.3\"" : "");
  if (p->tls12_only_per_scenario || p->tls13_only_per_scenario)
    fprintf(f, "# versions: restricted per scenario (the command takes%s%s)\n",
            p->tls12_only_per_scenario ? " {?tls12_only:...}" : "",
            p->tls13_only_per_scenario ? " {?tls13_only:...}" : "");
}

/* The keys of a server target; own: the profile's role is server (else only what is set). */
static void put_server_keys(FILE *f, const target_profile *p, bool own, const profile_note *notes,
                            size_t n) {
  static const char *const auth[] = {"none", "request", "require"};
  notes_for(f, "certificate", notes, n);
  put_cert(f, "certificate", &p->certificate, "{cert}",
           own ? "the name of the chain it presents in vectors/scenarios/certs, if it is one"
               : NULL);
  notes_for(f, "trust_anchor", notes, n);
  if (p->trust_anchor != NULL)
    put_str(f, "trust_anchor", p->trust_anchor);
  else if (own)
    fputs("trust_anchor: ~ # fill in: the PEM file (or vectors/scenarios/certs name) its chain "
          "verifies against\n",
          f);
  notes_for(f, "server_name", notes, n);
  put_str(f, "server_name", p->server_name);
  notes_for(f, "client_auth", notes, n);
  if (p->client_auth_per_scenario)
    fputs("# client_auth: per scenario (the command takes {?require_client_cert:...})\n", f);
  put_str(f, "client_auth", auth[p->client_auth]);
  notes_for(f, "client_ca", notes, n);
  put_cert(f, "client_ca", &p->client_ca, "{ca}",
           own && p->client_auth != TP_AUTH_NONE
               ? "which CA it trusts for client certificates: a vectors/scenarios/certs name"
               : NULL);
}

/* The keys of a client target; own: the profile's role is client. */
static void put_client_keys(FILE *f, const target_profile *p, bool own, const profile_note *notes,
                            size_t n) {
  notes_for(f, "trust", notes, n);
  put_cert(f, "trust", &p->trust, "{ca}", own ? "the CA it trusts for the server's chain" : NULL);
  notes_for(f, "verify", notes, n);
  put_bool(f, "verify", p->verifies);
  notes_for(f, "verify_name", notes, n);
  put_cert(f, "verify_name", &p->verify_name, "{name}", NULL);
  notes_for(f, "sni", notes, n);
  put_str(f, "sni", p->sni);
  notes_for(f, "client_certificate", notes, n);
  put_cert(f, "client_certificate", &p->client_cert, "{cert}", NULL);
}

void profile_write_notes(FILE *f, const target_profile *p, const profile_note *notes, size_t n) {
  bool server = p->role == SC_TARGET_SERVER;
  notes_for(f, "", notes, n);
  notes_for(f, "name", notes, n);
  put_str(f, "name", p->name);
  fprintf(f, "role: %s\n", server ? "server" : "client");
  notes_for(f, "target", notes, n);
  put_str(f, "target", p->target);
  notes_for(f, "command", notes, n);
  put_str(f, "command", p->command);
  notes_for(f, "library", notes, n);
  put_str(f, "library", p->library);
  notes_for(f, "versions", notes, n);
  put_versions(f, p);
  notes_for(f, "cipher_suites", notes, n);
  put_codes(f, "cipher_suites", &p->cipher_suites, tg_cipher_suite_name);
  notes_for(f, "groups", notes, n);
  put_codes(f, "groups", &p->groups, tg_group_name);
  notes_for(f, "signature_schemes", notes, n);
  put_codes(f, "signature_schemes", &p->sigalgs, tg_sig_scheme_name);
  notes_for(f, "alpn", notes, n);
  if (p->alpn_per_scenario)
    fputs("# alpn: per scenario (the command takes {?alpn:...})\n", f);
  put_alpn(f, p->alpn);
  /* Each role's keys; the other role's too when a profile sets them. */
  bool client_set = p->trust.name || p->trust.per_scenario || p->verify_name.name ||
                    p->verify_name.per_scenario || p->sni || p->client_cert.name ||
                    p->client_cert.per_scenario;
  bool server_set = p->certificate.name || p->certificate.per_scenario || p->trust_anchor ||
                    p->server_name || p->client_auth != TP_AUTH_NONE || p->client_ca.name ||
                    p->client_ca.per_scenario;
  if (server || server_set)
    put_server_keys(f, p, server, notes, n);
  if (!server || client_set)
    put_client_keys(f, p, !server, notes, n);
  notes_for(f, "after_handshake", notes, n);
  put_str(f, "after_handshake", profile_after_name(p->after));
  notes_for(f, "require_ems", notes, n);
  put_bool(f, "require_ems", p->require_ems);
  notes_for(f, "key_update", notes, n);
  put_bool(f, "key_update", p->key_update);
  if (!server || p->post_handshake_auth) {
    notes_for(f, "post_handshake_auth", notes, n);
    put_bool(f, "post_handshake_auth", p->post_handshake_auth);
  }
  notes_for(f, "timeout_ms", notes, n);
  if (p->timeout_ms > 0)
    fprintf(f, "timeout_ms: %d\n", p->timeout_ms);
  notes_for(f, "quiet_ms", notes, n);
  if (p->quiet_ms != TP_DEFAULT_QUIET_MS)
    fprintf(f, "quiet_ms: %d\n", p->quiet_ms);
}

void profile_write(FILE *f, const target_profile *p) { profile_write_notes(f, p, NULL, 0); }
