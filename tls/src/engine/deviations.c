/* The named deviation table and the hooks that run a set of deviations.
 *
 * Only the public tg_hooks API is used (tg/engine.h): the message hook edits structured
 * messages (skip, set_field, extension edits), the message_bytes hook corrupts encoded bytes
 * (Finished, CertificateVerify), the flight hook reorders, duplicates and injects messages, and
 * the record hook changes the framing. Every bytes a hook hands back to the engine live in the
 * set (its parameters or its two writers) until the next hook call, as the API requires.
 */
#include "tg/deviations.h"

#include <stdlib.h>
#include <string.h>

#include "tg/extensions.h"
#include "tg/hs/server_hello.h"
#include "tg/kex.h"
#include "tg/names.h"
#include "tg/protection.h"
#include "tg/record.h"

enum dev_kind {
  K_SKIP,
  K_DUPLICATE,
  K_REORDER,
  K_INJECT,
  K_CORRUPT_FINISHED,
  K_CORRUPT_SIGNATURE,
  K_CORRUPT_KEY_SHARE,
  K_SET_FIELD,
  K_DROP_EXT,
  K_DUP_EXT,
  K_ADD_EXT,
  K_RECORD_TYPE,
  K_RECORD_VERSION,
  K_FRAGMENT,
  K_ZERO_LENGTH,
  K_OVERSIZE,
  K_PADDING,
  K_PLAINTEXT,
  K_CBC_FLAW,
  K_SKIP_RECORD,
  K_TRUNCATE,
  K_PATCH,
  K_APPEND,
  K_INJECT_RECORD,
  K_PMS_VERSION,
  K_PMS_LENGTH,
  K_PMS_PADDING,
};

/* ---- Parameters ------------------------------------------------------------------------------ */

static tg_status bad_param(tg_err *err, const char *name, const char *param, const char *want) {
  if (param != NULL && strlen(param) > 2 * TG_DEV_MAX_HEX)
    return TG_FAIL(err, internal_error, TG_E_USAGE,
                   "deviation %s: a hex parameter holds at most %d bytes", name, TG_DEV_MAX_HEX);
  return TG_FAIL(err, internal_error, TG_E_USAGE, "deviation %s: '%s' is not %s", name,
                 param ? param : "", want);
}

static bool parse_message(const char *s, size_t len, uint8_t *out) {
  for (unsigned t = 0; t < 256; t++) {
    const char *name = tg_hs_type_name(t);
    if (name != NULL && strlen(name) == len && strncmp(name, s, len) == 0) {
      *out = (uint8_t)t;
      return true;
    }
  }
  return false;
}

static bool parse_number(const char *s, size_t len, unsigned long max, unsigned long *out) {
  if (len == 0 || len > 10)
    return false;
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (unsigned long)(s[i] - '0');
  }
  *out = v;
  return v <= max;
}

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* Even-length hex (possibly empty) into d->hex, allocated to its size (a deviation parses one
 * hex parameter). */
static bool parse_hex(const char *s, tg_deviation *d) {
  size_t len = strlen(s);
  if (len % 2 != 0 || len / 2 > TG_DEV_MAX_HEX || d->hex != NULL)
    return false;
  if (len > 0 && (d->hex = malloc(len / 2)) == NULL)
    return false;
  for (size_t i = 0; i < len; i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    d->hex[i / 2] = (uint8_t)(hi << 4 | lo);
  }
  d->hex_len = len / 2;
  return true;
}

/* An ExtensionType by IANA name or by number. */
static bool parse_ext(const char *s, size_t len, uint16_t *out) {
  char name[64];
  unsigned long v;
  if (parse_number(s, len, 65535, &v)) {
    *out = (uint16_t)v;
    return true;
  }
  if (len >= sizeof name)
    return false;
  memcpy(name, s, len);
  name[len] = '\0';
  unsigned type;
  if (!tg_ext_type_by_name(name, &type))
    return false;
  *out = (uint16_t)type;
  return true;
}

/* ---- Fields of set_field --------------------------------------------------------------------- */

enum field_form { F_U8, F_U16, F_BYTES };

typedef struct field_def {
  const char *name;
  uint8_t msg_type;
  enum field_form form;
} field_def;

static const field_def fields[] = {
    {"client_hello.legacy_version", TG_HS_client_hello, F_U16},
    {"client_hello.legacy_session_id", TG_HS_client_hello, F_BYTES},
    {"client_hello.cipher_suites", TG_HS_client_hello, F_BYTES},
    {"client_hello.legacy_compression_methods", TG_HS_client_hello, F_BYTES},
    {"server_hello.legacy_version", TG_HS_server_hello, F_U16},
    {"server_hello.legacy_session_id_echo", TG_HS_server_hello, F_BYTES},
    {"server_hello.cipher_suite", TG_HS_server_hello, F_U16},
    {"server_hello.legacy_compression_method", TG_HS_server_hello, F_U8},
    {"certificate_verify.algorithm", TG_HS_certificate_verify, F_U16},
    {"key_update.request_update", TG_HS_key_update, F_U8},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* ---- Install functions: one per parameter kind ----------------------------------------------- */

static tg_status install_none(tg_deviation *d, const char *param, tg_err *err) {
  if (param != NULL)
    return bad_param(err, d->def->name, param, "expected (this deviation takes no parameter)");
  return TG_OK;
}

static tg_status install_message(tg_deviation *d, const char *param, tg_err *err) {
  if (param == NULL || !parse_message(param, strlen(param), &d->msg[0]))
    return bad_param(err, d->def->name, param, "a HandshakeType name (e.g. finished)");
  return TG_OK;
}

static tg_status install_two_messages(tg_deviation *d, const char *param, tg_err *err) {
  const char *colon = param ? strchr(param, ':') : NULL;
  if (colon == NULL || !parse_message(param, (size_t)(colon - param), &d->msg[0]) ||
      !parse_message(colon + 1, strlen(colon + 1), &d->msg[1]) || d->msg[0] == d->msg[1])
    return bad_param(err, d->def->name, param, "two different HandshakeType names A:B");
  return TG_OK;
}

static tg_status install_hex(tg_deviation *d, const char *param, tg_err *err) {
  if (param == NULL || !parse_hex(param, d) || d->hex_len == 0)
    return bad_param(err, d->def->name, param, "non-empty hex bytes");
  return TG_OK;
}

static tg_status install_number(tg_deviation *d, const char *param, tg_err *err) {
  unsigned long v;
  /* record_type is a uint8; fragment sizes and paddings fit a record (2^14 + 256). */
  unsigned long max = d->def->kind == K_RECORD_TYPE ? 255 : TG_MAX_CIPHERTEXT13;
  bool positive = d->def->kind == K_FRAGMENT;
  if (param == NULL || !parse_number(param, strlen(param), max, &v) || (positive && v == 0))
    return bad_param(err, d->def->name, param, "a number in range");
  d->number = (uint16_t)v;
  return TG_OK;
}

static tg_status install_version(tg_deviation *d, const char *param, tg_err *err) {
  if (param == NULL || !parse_hex(param, d) || d->hex_len != 2)
    return bad_param(err, d->def->name, param, "a 2-byte hex version (e.g. 0301)");
  d->number = (uint16_t)(d->hex[0] << 8 | d->hex[1]);
  return TG_OK;
}

static tg_status install_ext(tg_deviation *d, const char *param, tg_err *err) {
  if (param == NULL || !parse_ext(param, strlen(param), &d->number))
    return bad_param(err, d->def->name, param, "an ExtensionType name or number");
  return TG_OK;
}

static tg_status install_ext_hex(tg_deviation *d, const char *param, tg_err *err) {
  const char *colon = param ? strchr(param, ':') : NULL;
  if (colon == NULL || !parse_ext(param, (size_t)(colon - param), &d->number) ||
      !parse_hex(colon + 1, d))
    return bad_param(err, d->def->name, param, "TYPE:HEX (an extension and its body)");
  return TG_OK;
}

static tg_status install_field(tg_deviation *d, const char *param, tg_err *err) {
  const char *colon = param ? strchr(param, ':') : NULL;
  for (size_t i = 0; colon != NULL && i < N_FIELDS; i++) {
    if (strlen(fields[i].name) != (size_t)(colon - param) ||
        strncmp(fields[i].name, param, (size_t)(colon - param)) != 0)
      continue;
    size_t want = fields[i].form == F_U8 ? 1 : fields[i].form == F_U16 ? 2 : SIZE_MAX;
    if (!parse_hex(colon + 1, d) || (want != SIZE_MAX && d->hex_len != want))
      return bad_param(err, d->def->name, param, "FIELD:HEX with a value of the field's size");
    d->number = (uint16_t)i;
    d->msg[0] = fields[i].msg_type;
    return TG_OK;
  }
  return bad_param(err, d->def->name, param, "MESSAGE.FIELD:HEX with a known field");
}

/* "MESSAGE:REST": the message into d->msg[0], REST returned (NULL when malformed). */
static const char *message_prefix(tg_deviation *d, const char *param) {
  const char *colon = param ? strchr(param, ':') : NULL;
  if (colon == NULL || !parse_message(param, (size_t)(colon - param), &d->msg[0]))
    return NULL;
  return colon + 1;
}

/* "NUMBER:HEX": the number (at most max) into d->number, the bytes into d->hex. */
static bool number_hex(tg_deviation *d, const char *s, unsigned long max) {
  const char *colon = s ? strchr(s, ':') : NULL;
  unsigned long v;
  if (colon == NULL || !parse_number(s, (size_t)(colon - s), max, &v) || !parse_hex(colon + 1, d))
    return false;
  d->number = (uint16_t)v;
  return true;
}

static tg_status install_message_number(tg_deviation *d, const char *param, tg_err *err) {
  const char *rest = message_prefix(d, param);
  unsigned long v;
  if (rest == NULL || !parse_number(rest, strlen(rest), 0xffff, &v))
    return bad_param(err, d->def->name, param, "MESSAGE:N (e.g. client_hello:10)");
  d->number = (uint16_t)v;
  return TG_OK;
}

static tg_status install_message_number_hex(tg_deviation *d, const char *param, tg_err *err) {
  const char *rest = message_prefix(d, param);
  if (rest == NULL || !number_hex(d, rest, 0xffff) || d->hex_len == 0)
    return bad_param(err, d->def->name, param, "MESSAGE:OFFSET:HEX (e.g. client_hello:4:0301)");
  return TG_OK;
}

static tg_status install_message_hex(tg_deviation *d, const char *param, tg_err *err) {
  const char *rest = message_prefix(d, param);
  if (rest == NULL || !parse_hex(rest, d) || d->hex_len == 0)
    return bad_param(err, d->def->name, param, "MESSAGE:HEX (e.g. client_hello:00ff)");
  return TG_OK;
}

/* The cbc_* deviations: the tg_cbc_flaw their name says (tg/protection.h). */
static const struct {
  const char *name;
  uint8_t flaw;
} cbc_flaws[] = {
    {"cbc_bad_mac", TG_CBC_FLAW_BAD_MAC},
    {"cbc_bad_padding", TG_CBC_FLAW_BAD_PADDING},
    {"cbc_padding_overflow", TG_CBC_FLAW_PADDING_OVERFLOW},
    {"cbc_truncated_mac", TG_CBC_FLAW_TRUNCATED_MAC},
    {"cbc_one_block", TG_CBC_FLAW_ONE_BLOCK},
    {"cbc_flip_iv", TG_CBC_FLAW_FLIP_IV},
    {"cbc_partial_block", TG_CBC_FLAW_PARTIAL_BLOCK},
};

static tg_status install_cbc(tg_deviation *d, const char *param, tg_err *err) {
  if (param != NULL)
    return bad_param(err, d->def->name, param, "empty (it takes no parameter)");
  for (size_t i = 0; i < sizeof cbc_flaws / sizeof cbc_flaws[0]; i++)
    if (strcmp(cbc_flaws[i].name, d->def->name) == 0)
      d->number = cbc_flaws[i].flaw;
  return TG_OK;
}

static tg_status install_number_hex(tg_deviation *d, const char *param, tg_err *err) {
  if (!number_hex(d, param, 255))
    return bad_param(err, d->def->name, param, "TYPE:HEX (a ContentType number and the body)");
  return TG_OK;
}

/* premaster_length:N and premaster_padding:N: a length a premaster buffer holds (tg_premaster_out,
 * at least TG_KEX_MAX_SECRET), a spoiled padding of tg/sig.h. */
static tg_status install_pms(tg_deviation *d, const char *param, tg_err *err) {
  bool length = d->def->kind == K_PMS_LENGTH;
  unsigned long v, max = length ? TG_KEX_MAX_SECRET : TG_PMS_PAD_COUNT - 1;
  if (param == NULL || !parse_number(param, strlen(param), max, &v) || v == 0)
    return bad_param(err, d->def->name, param,
                     length ? "a length from 1 to 1024" : "a padding flaw from 1 to 4");
  d->number = (uint16_t)v;
  return TG_OK;
}

/* ---- The table ------------------------------------------------------------------------------- */

static const tg_dev_def table[] = {
    {"skip", "do not send MESSAGE; the sender proceeds as if it had (it is not in its transcript)",
     K_SKIP, TG_DEV_PARAM_MESSAGE, install_message},
    {"duplicate", "send MESSAGE twice in its flight", K_DUPLICATE, TG_DEV_PARAM_MESSAGE,
     install_message},
    {"reorder", "swap messages A and B of a flight (the transcript keeps the sent order)",
     K_REORDER, TG_DEV_PARAM_TWO_MESSAGES, install_two_messages},
    {"inject", "add these Handshake bytes to the end of the first flight (or after @MESSAGE)",
     K_INJECT, TG_DEV_PARAM_HEX, install_hex},
    {"corrupt_finished", "flip the last byte of Finished.verify_data", K_CORRUPT_FINISHED,
     TG_DEV_PARAM_NONE, install_none},
    {"corrupt_signature", "flip the last byte of CertificateVerify.signature", K_CORRUPT_SIGNATURE,
     TG_DEV_PARAM_NONE, install_none},
    {"corrupt_key_share",
     "flip the first key_exchange byte of the key_share in ClientHello or ServerHello",
     K_CORRUPT_KEY_SHARE, TG_DEV_PARAM_NONE, install_none},
    {"set_field", "set a field of a message: MESSAGE.FIELD:HEX", K_SET_FIELD,
     TG_DEV_PARAM_FIELD_HEX, install_field},
    {"drop_extension", "leave the extension out (of every message, or of @MESSAGE)", K_DROP_EXT,
     TG_DEV_PARAM_EXTENSION, install_ext},
    {"duplicate_extension", "send the extension twice (in every message, or in @MESSAGE)",
     K_DUP_EXT, TG_DEV_PARAM_EXTENSION, install_ext},
    {"add_extension", "append TYPE:HEX to the hello this side sends (or to @MESSAGE)", K_ADD_EXT,
     TG_DEV_PARAM_EXT_HEX, install_ext_hex},
    {"record_type", "send records with this outer ContentType", K_RECORD_TYPE, TG_DEV_PARAM_NUMBER,
     install_number},
    {"record_version", "send records with this legacy_record_version (hex)", K_RECORD_VERSION,
     TG_DEV_PARAM_HEX, install_version},
    {"fragment", "split content into records of at most N bytes", K_FRAGMENT, TG_DEV_PARAM_NUMBER,
     install_number},
    {"zero_length_record", "send records with an empty fragment instead of their content",
     K_ZERO_LENGTH, TG_DEV_PARAM_NONE, install_none},
    {"oversize_record", "grow records past 2^14 bytes of (inner) plaintext", K_OVERSIZE,
     TG_DEV_PARAM_NONE, install_none},
    {"record_padding", "add N zero bytes of TLSInnerPlaintext padding to protected records",
     K_PADDING, TG_DEV_PARAM_NUMBER, install_number},
    {"plaintext_after_keys", "send protected records in the clear", K_PLAINTEXT, TG_DEV_PARAM_NONE,
     install_none},
    /* TLS 1.2 CBC records (RFC 5246 6.2.3.2, RFC 7366): each sends, once, before the first
     * protected record it applies to, a copy of it spoiled so; the peer owes bad_record_mac. */
    {"cbc_bad_mac", "a CBC record copy first: a bit of its MAC flipped, its padding well formed",
     K_CBC_FLAW, TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_bad_padding",
     "a CBC record copy first: 17+ padding bytes, the first one wrong, the MAC right", K_CBC_FLAW,
     TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_padding_overflow",
     "a CBC record copy first: every padding byte 255, more than the record holds", K_CBC_FLAW,
     TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_truncated_mac", "a CBC record copy first: its MAC one byte short", K_CBC_FLAW,
     TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_one_block", "a CBC record copy first: one block, the explicit IV alone", K_CBC_FLAW,
     TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_flip_iv", "a CBC record copy first: a bit of its explicit IV flipped after the MAC",
     K_CBC_FLAW, TG_DEV_PARAM_NONE, install_cbc},
    {"cbc_partial_block",
     "a CBC record copy first: one byte past whole blocks (EtM: under the MAC)", K_CBC_FLAW,
     TG_DEV_PARAM_NONE, install_cbc},
    {"skip_record", "do not send the record; the sender proceeds as if it had", K_SKIP_RECORD,
     TG_DEV_PARAM_NONE, install_none},
    {"truncate", "cut MESSAGE's body to N bytes, the header's length saying N", K_TRUNCATE,
     TG_DEV_PARAM_MESSAGE_NUMBER, install_message_number},
    {"patch", "overwrite MESSAGE's bytes at OFFSET (header included) with HEX; no length fixed",
     K_PATCH, TG_DEV_PARAM_MESSAGE_NUMBER_HEX, install_message_number_hex},
    {"append", "add HEX after MESSAGE's body, the header's length growing to match", K_APPEND,
     TG_DEV_PARAM_MESSAGE_HEX, install_message_hex},
    {"inject_record",
     "send a record TYPE:HEX (protected when keys are installed) before the first record, or "
     "before the record carrying @MESSAGE",
     K_INJECT_RECORD, TG_DEV_PARAM_NUMBER_HEX, install_number_hex},
    /* TLS 1.2 RSA key transport, the client's PreMasterSecret (RFC 5246 7.4.7.1): the client
     * keys its side with what it sent, so a server that keeps 7.4.7.1 fails at its Finished. */
    {"premaster_version", "the RSA premaster's first two bytes (client_version) are HEX",
     K_PMS_VERSION, TG_DEV_PARAM_HEX, install_version},
    {"premaster_length", "the RSA premaster is N bytes long, not 48 (random after the version)",
     K_PMS_LENGTH, TG_DEV_PARAM_NUMBER, install_pms},
    {"premaster_padding",
     "the RSA premaster's PKCS #1 block spoiled: 1 block type 01, 2 no zero separator, 3 a "
     "leading byte 01, 4 a zero among the padding's first 8 bytes",
     K_PMS_PADDING, TG_DEV_PARAM_NUMBER, install_pms},
};
#define N_TABLE (sizeof table / sizeof table[0])

const tg_dev_def *tg_deviation_list(size_t *n) {
  *n = N_TABLE;
  return table;
}

const tg_dev_def *tg_deviation_find(const char *name) {
  for (size_t i = 0; i < N_TABLE; i++)
    if (strcmp(table[i].name, name) == 0)
      return &table[i];
  return NULL;
}

/* ---- Hooks: messages ------------------------------------------------------------------------- */

/* The extensions field of the messages that have one. */
static tg_bytes *extensions_of(tg_handshake *m) {
  switch (m->msg_type) {
  case TG_HS_client_hello: return &m->u.client_hello.extensions;
  case TG_HS_server_hello: return &m->u.server_hello.extensions;
  case TG_HS_encrypted_extensions: return &m->u.encrypted_extensions.extensions;
  case TG_HS_certificate_request: return &m->u.certificate_request.extensions;
  case TG_HS_new_session_ticket: return &m->u.new_session_ticket.extensions;
  default: return NULL;
  }
}

/* "/hrr" and "/retry": the moment of the message being sent (tg_deviation_set.now). */
static bool now(const tg_deviation_set *s, const tg_deviation *d) {
  return d->when == TG_DEV_WHEN_ANY || d->when == s->now;
}

/* The moment of a message: the HelloRetryRequest itself, after one (a client learns of it when
 * it arrives, a server when it sends it), or before. */
static uint8_t moment(const tg_conn *c, bool is_hrr) {
  if (is_hrr)
    return TG_DEV_WHEN_HRR;
  return c != NULL && tg_conn_info(c)->hello_retry ? TG_DEV_WHEN_RETRY : TG_DEV_WHEN_ANY;
}

static bool targets(const tg_deviation_set *s, const tg_deviation *d, uint8_t msg_type) {
  return (d->at_msg < 0 || d->at_msg == msg_type) && now(s, d);
}

/* The offset of the first key_exchange byte in a key_share body: after client_shares' length,
 * group and key_exchange length in a ClientHello, after group and length in a ServerHello. */
static size_t key_exchange_offset(const tg_handshake *m, tg_bytes data) {
  size_t off = m->msg_type == TG_HS_client_hello ? 6 : 4;
  bool hrr = m->msg_type == TG_HS_server_hello && m->u.server_hello.is_hrr;
  return hrr || data.len <= off ? SIZE_MAX : off; /* a HelloRetryRequest has only a group */
}

static void emit_ext(tg_deviation_set *s, const tg_handshake *m, uint16_t type, tg_bytes data) {
  tg_writer *w = &s->ext;
  tg_w_u16(w, type);
  size_t mark = tg_w_open(w, 2);
  size_t body = w->len;
  tg_w_view(w, data);
  tg_w_close(w, mark, 2, 65535, "Extension.extension_data");
  for (size_t i = 0; i < s->n && type == TG_EXT_key_share; i++) {
    size_t off = key_exchange_offset(m, data);
    if (s->dev[i].def->kind == K_CORRUPT_KEY_SHARE && off != SIZE_MAX && now(s, &s->dev[i]) &&
        tg_writer_status(w) == TG_OK) {
      w->buf[body + off] ^= 0xff;
      s->dev[i].hits++;
    }
  }
}

/* Rewrites the block in one pass: drops, duplicates, the key share corruption, then additions. */
static void edit_extensions(tg_deviation_set *s, tg_handshake *m, tg_bytes *block) {
  bool any = false;
  for (size_t i = 0; i < s->n; i++) {
    unsigned k = s->dev[i].def->kind;
    any |= (k == K_DROP_EXT || k == K_DUP_EXT || k == K_ADD_EXT || k == K_CORRUPT_KEY_SHARE) &&
           targets(s, &s->dev[i], m->msg_type);
  }
  if (!any)
    return;
  s->ext.len = 0;
  s->ext.status = TG_OK;
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, *block);
  while (tg_ext_next(&it, &type, &data)) {
    unsigned copies = 1;
    for (size_t i = 0; i < s->n; i++) {
      tg_deviation *d = &s->dev[i];
      if (d->number != type || !targets(s, d, m->msg_type))
        continue;
      if (d->def->kind == K_DROP_EXT)
        copies = 0, d->hits++;
      else if (d->def->kind == K_DUP_EXT && copies > 0)
        copies++, d->hits++;
    }
    for (unsigned c = 0; c < copies; c++)
      emit_ext(s, m, type, data);
  }
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    bool hello = m->msg_type == TG_HS_client_hello || m->msg_type == TG_HS_server_hello;
    if (d->def->kind == K_ADD_EXT && (d->at_msg < 0 ? hello : d->at_msg == m->msg_type) &&
        now(s, d)) {
      emit_ext(s, m, d->number, tg_bytes_of(d->hex, d->hex_len));
      d->hits++;
    }
  }
  if (tg_writer_status(&s->ext) == TG_OK)
    *block = tg_writer_bytes(&s->ext);
}

static void set_field(const tg_deviation_set *s, tg_deviation *d, tg_handshake *m) {
  const field_def *f = &fields[d->number];
  uint16_t v16 = d->hex_len == 2 ? (uint16_t)(d->hex[0] << 8 | d->hex[1]) : 0;
  tg_bytes bytes = tg_bytes_of(d->hex, d->hex_len);
  if (m->msg_type != f->msg_type || !now(s, d))
    return;
  switch (d->number) {
  case 0: m->u.client_hello.legacy_version = v16; break;
  case 1: m->u.client_hello.legacy_session_id = bytes; break;
  case 2: m->u.client_hello.cipher_suites = bytes; break;
  case 3: m->u.client_hello.legacy_compression_methods = bytes; break;
  case 4: m->u.server_hello.legacy_version = v16; break;
  case 5: m->u.server_hello.legacy_session_id_echo = bytes; break;
  case 6: m->u.server_hello.cipher_suite = v16; break;
  case 7: m->u.server_hello.legacy_compression_method = d->hex[0]; break;
  case 8: m->u.certificate_verify.algorithm = v16; break;
  case 9: m->u.key_update.request_update = d->hex[0]; break;
  default: return;
  }
  d->hits++;
}

static tg_hook_action on_message(void *ctx, tg_conn *c, tg_handshake *m) {
  tg_deviation_set *s = ctx;
  /* (The engine builds its HelloRetryRequest by the random; is_hrr is what a decoder says.) */
  bool hrr = m->msg_type == TG_HS_server_hello &&
             (m->u.server_hello.is_hrr ||
              memcmp(m->u.server_hello.random, tg_hrr_random, sizeof tg_hrr_random) == 0);
  s->now = moment(c, hrr);
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    if (d->def->kind == K_SKIP && d->msg[0] == m->msg_type && now(s, d)) {
      d->hits++;
      return TG_HOOK_SKIP;
    }
    if (d->def->kind == K_SET_FIELD)
      set_field(s, d, m);
  }
  tg_bytes *block = extensions_of(m);
  if (block != NULL)
    edit_extensions(s, m, block);
  return TG_HOOK_SEND;
}

static void set_u24(uint8_t *p, size_t v) {
  p[0] = (uint8_t)(v >> 16);
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)v;
}

/* truncate, patch, append: byte edits of one encoded message (header included) in w. */
static void edit_bytes(tg_deviation *d, tg_writer *w) {
  switch (d->def->kind) {
  case K_TRUNCATE:
    if (w->len - 4 > d->number) {
      w->len = 4 + (size_t)d->number;
      set_u24(w->buf + 1, d->number);
      d->hits++;
    }
    break;
  case K_PATCH:
    while (w->len < (size_t)d->number + d->hex_len && tg_writer_status(w) == TG_OK)
      tg_w_u8(w, 0); /* a patch past the end grows the message (lengths untouched) */
    if (tg_writer_status(w) == TG_OK) {
      memcpy(w->buf + d->number, d->hex, d->hex_len);
      d->hits++;
    }
    break;
  case K_APPEND:
    tg_w_bytes(w, d->hex, d->hex_len);
    if (tg_writer_status(w) == TG_OK && w->len - 4 <= 0xffffff) {
      set_u24(w->buf + 1, w->len - 4);
      d->hits++;
    }
    break;
  default: break;
  }
}

static void on_message_bytes(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  tg_deviation_set *s = ctx;
  /* A HelloRetryRequest is a ServerHello with the special random (after the header and
   * legacy_version). */
  bool hrr = msg_type == TG_HS_server_hello && w->len >= 38 &&
             memcmp(w->buf + 6, tg_hrr_random, sizeof tg_hrr_random) == 0;
  s->now = moment(c, hrr);
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    /* verify_data and signature are the last field of their message: the last byte is theirs
     * (a Handshake header alone is 4 bytes, so a body byte exists). */
    bool fin = d->def->kind == K_CORRUPT_FINISHED && msg_type == TG_HS_finished;
    bool sig = d->def->kind == K_CORRUPT_SIGNATURE && msg_type == TG_HS_certificate_verify;
    if ((fin || sig) && w->len > 4) {
      w->buf[w->len - 1] ^= 0x01;
      d->hits++;
    }
    if (d->msg[0] == msg_type && w->len >= 4 && now(s, d))
      edit_bytes(d, w);
  }
}

/* ---- Hooks: flights -------------------------------------------------------------------------- */

static int msg_type_of(tg_bytes msg) { return msg.len > 0 ? msg.p[0] : -1; }

static int find_msg(const tg_bytes *msgs, size_t n, int type) {
  for (size_t i = 0; i < n; i++)
    if (msg_type_of(msgs[i]) == type)
      return (int)i;
  return -1;
}

/* Inserts m at position at (shifting the rest), if there is room. */
static bool insert_msg(tg_bytes *msgs, size_t *n, size_t cap, size_t at, tg_bytes m) {
  if (*n >= cap || at > *n)
    return false;
  memmove(&msgs[at + 1], &msgs[at], (*n - at) * sizeof *msgs);
  msgs[at] = m;
  (*n)++;
  return true;
}

static void on_flight(void *ctx, tg_conn *c, tg_bytes *msgs, size_t *n, size_t cap) {
  tg_deviation_set *s = ctx;
  (void)c;
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    int a = find_msg(msgs, *n, d->msg[0]), b = find_msg(msgs, *n, d->msg[1]);
    if (d->def->kind == K_DUPLICATE && a >= 0) {
      d->hits += insert_msg(msgs, n, cap, (size_t)a + 1, msgs[a]);
    } else if (d->def->kind == K_REORDER && a >= 0 && b >= 0) {
      tg_bytes t = msgs[a];
      msgs[a] = msgs[b];
      msgs[b] = t;
      d->hits++;
    } else if (d->def->kind == K_INJECT) {
      int at = d->at_msg < 0 ? (d->hits == 0 ? (int)*n - 1 : -1) : find_msg(msgs, *n, d->at_msg);
      if (at >= 0)
        d->hits += insert_msg(msgs, n, cap, (size_t)at + 1, tg_bytes_of(d->hex, d->hex_len));
    }
  }
}

/* ---- Hooks: records -------------------------------------------------------------------------- */

static bool record_targets(const tg_deviation *d, const tg_record_out *r) {
  if (d->at_msg < 0)
    return true;
  if (d->at_msg == TG_DEV_AT_CCS)
    return r->inner_type == TG_CT_change_cipher_spec;
  return r->inner_type == TG_CT_handshake && msg_type_of(r->fragment) == d->at_msg;
}

/* oversize_record: protected records get padding up to 2^14 + 2 bytes of TLSInnerPlaintext
 * (RFC 8446 §5.4 allows 2^14 + 1); plaintext ones grow to 2^14 + 1 bytes with zeros appended
 * (RFC 8446 §5.1 allows 2^14). Either way the peer owes record_overflow. */
static void oversize(tg_deviation_set *s, tg_record_out *r) {
  if (r->protect) {
    size_t inner = r->fragment.len + 1;
    r->padding = inner <= TG_MAX_INNER_PLAINTEXT ? TG_MAX_INNER_PLAINTEXT + 1 - inner : 0;
    return;
  }
  s->record.len = 0;
  s->record.status = TG_OK;
  tg_w_view(&s->record, r->fragment);
  while (s->record.len <= TG_MAX_PLAINTEXT && tg_writer_status(&s->record) == TG_OK)
    tg_w_u8(&s->record, 0);
  if (tg_writer_status(&s->record) == TG_OK)
    r->fragment = tg_writer_bytes(&s->record);
}

/* cbc_*: once, a spoiled copy of the record goes out before it (protected under the same
 * sequence number, which the spoiled copy does not use up). A conforming peer stops at the copy;
 * one that drops it reads the record itself, so a lenient target is seen at once. */
static void cbc_copy(tg_deviation_set *s, tg_conn *c, tg_deviation *d, const tg_record_out *r,
                     unsigned before) {
  tg_prot12 *w = tg_conn_cbc_writer(c); /* NULL unless TLS 1.2 CBC write keys are on */
  if (before > 0 || !r->protect || w == NULL) {
    d->hits = before;
    return;
  }
  s->record.len = 0;
  s->record.status = TG_OK;
  if (d->number != TG_CBC_FLAW_ONE_BLOCK) /* that one is an IV alone: no content */
    tg_w_view(&s->record, r->fragment);
  w->cbc_flaw = (uint8_t)d->number;
  if (tg_writer_status(&s->record) != TG_OK ||
      tg_conn_inject_record(c, r->inner_type, r->legacy_record_version, tg_writer_bytes(&s->record),
                            true) != TG_OK)
    d->hits = before;
  w->cbc_flaw = TG_CBC_FLAW_NONE;
}

static tg_hook_action on_record(void *ctx, tg_conn *c, tg_record_out *r) {
  tg_deviation_set *s = ctx;
  tg_hook_action action = TG_HOOK_SEND;
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    if (!record_targets(d, r))
      continue;
    unsigned before = d->hits++;
    switch (d->def->kind) {
    case K_RECORD_TYPE: r->type = (uint8_t)d->number; break;
    case K_RECORD_VERSION: r->legacy_record_version = d->number; break;
    case K_FRAGMENT: break; /* done by max_fragment; counted here */
    case K_ZERO_LENGTH: r->fragment = tg_bytes_of(NULL, 0); break;
    case K_OVERSIZE: oversize(s, r); break;
    case K_PADDING:
      if (r->protect)
        r->padding = d->number;
      else
        d->hits = before;
      break;
    case K_PLAINTEXT:
      if (r->protect) { /* a plaintext record of the content's own type */
        r->protect = false;
        r->type = r->inner_type;
      } else
        d->hits = before;
      break;
    case K_CBC_FLAW: cbc_copy(s, c, d, r, before); break;
    case K_SKIP_RECORD: action = TG_HOOK_SKIP; break;
    case K_INJECT_RECORD:
      /* Once: before the first record, or before the first one that carries @MESSAGE. */
      if (before > 0 || tg_conn_inject_record(c, (uint8_t)d->number, 0,
                                              tg_bytes_of(d->hex, d->hex_len), true) != TG_OK)
        d->hits = before > 0 ? before : 0;
      break;
    default: d->hits = before; break;
    }
  }
  return action;
}

/* ---- Hooks: the RSA premaster ---------------------------------------------------------------- */

static void on_premaster(void *ctx, tg_conn *c, tg_premaster_out *p) {
  tg_deviation_set *s = ctx;
  (void)c;
  for (size_t i = 0; i < s->n; i++) {
    tg_deviation *d = &s->dev[i];
    switch (d->def->kind) {
    case K_PMS_VERSION:
      p->pms[0] = (uint8_t)(d->number >> 8);
      p->pms[1] = (uint8_t)d->number;
      break;
    case K_PMS_LENGTH: p->len = d->number <= p->cap ? d->number : p->cap; break;
    case K_PMS_PADDING: p->padding = (tg_pms_padding)d->number; break;
    default: continue;
    }
    d->hits++;
  }
}

/* ---- The set --------------------------------------------------------------------------------- */

void tg_deviation_set_init(tg_deviation_set *s) {
  memset(s, 0, sizeof *s);
  tg_writer_init_dynamic(&s->ext, NULL);
  tg_writer_init_dynamic(&s->record, NULL);
  s->hooks = (tg_hooks){.ctx = s,
                        .message = on_message,
                        .message_bytes = on_message_bytes,
                        .record = on_record,
                        .flight = on_flight,
                        .rsa_premaster = on_premaster};
}

void tg_deviation_set_free(tg_deviation_set *s) {
  for (size_t i = 0; i < s->n; i++) {
    free(s->dev[i].hex);
    s->dev[i].hex = NULL;
  }
  s->n = 0;
  tg_writer_free(&s->ext);
  tg_writer_free(&s->record);
}

static bool takes_selector(unsigned kind) {
  return kind == K_INJECT || kind == K_DROP_EXT || kind == K_DUP_EXT || kind == K_ADD_EXT ||
         kind == K_INJECT_RECORD ||
         (kind >= K_RECORD_TYPE && kind <= K_SKIP_RECORD && kind != K_FRAGMENT);
}

/* The spec's longest spelling: a hex parameter of TG_DEV_MAX_HEX bytes, with room for a name,
 * a field or number before it and a selector after it. */
#define SPEC_MAX (2 * TG_DEV_MAX_HEX + 128)

static tg_status add_parsed(tg_deviation_set *s, char *buf, tg_deviation **out, tg_err *err);

/* The deviations that edit one message, which "/hrr" and "/retry" can limit. */
static bool takes_when(unsigned kind) {
  return kind == K_SKIP || kind == K_SET_FIELD || kind == K_DROP_EXT || kind == K_DUP_EXT ||
         kind == K_ADD_EXT || kind == K_CORRUPT_KEY_SHARE || kind == K_TRUNCATE ||
         kind == K_PATCH || kind == K_APPEND;
}

/* Cuts a last "/hrr" or "/retry" off buf (no parameter holds a '/'); TG_DEV_WHEN_ANY without,
 * -1 for another word. */
static int cut_when(char *buf) {
  char *slash = strrchr(buf, '/');
  if (slash == NULL)
    return TG_DEV_WHEN_ANY;
  *slash++ = '\0';
  return strcmp(slash, "hrr") == 0     ? TG_DEV_WHEN_HRR
         : strcmp(slash, "retry") == 0 ? TG_DEV_WHEN_RETRY
                                       : -1;
}

tg_status tg_deviation_set_add(tg_deviation_set *s, const char *spec, tg_deviation **out,
                               tg_err *err) {
  size_t len = strlen(spec);
  TG_ENSURE(err, len < SPEC_MAX, internal_error, TG_E_USAGE,
            "deviation '%.40s...' is too long (hex: at most %d bytes)", spec, TG_DEV_MAX_HEX);
  TG_ENSURE(err, s->n < TG_DEV_MAX, internal_error, TG_E_USAGE,
            "more than %d deviations in one set", TG_DEV_MAX);
  char *buf = malloc(len + 1);
  TG_ENSURE(err, buf != NULL, internal_error, TG_E_INTERNAL, "out of memory");
  memcpy(buf, spec, len + 1);
  tg_status r = add_parsed(s, buf, out, err);
  free(buf);
  return r;
}

/* buf: a writable copy of the spec. */
static tg_status add_parsed(tg_deviation_set *s, char *buf, tg_deviation **out, tg_err *err) {
  int when = cut_when(buf);
  TG_ENSURE(err, when >= 0, internal_error, TG_E_USAGE,
            "deviation '%.60s': the suffix after '/' is hrr or retry", buf);
  char *colon = strchr(buf, ':'), *at = strrchr(buf, '@');
  if (at != NULL)
    *at++ = '\0';
  if (colon != NULL && (at == NULL || colon < at))
    *colon++ = '\0';
  else
    colon = NULL;
  const tg_dev_def *def = tg_deviation_find(buf);
  TG_ENSURE(err, def != NULL, internal_error, TG_E_USAGE, "unknown deviation '%s'", buf);
  tg_deviation *d = &s->dev[s->n];
  *d = (tg_deviation){.def = def, .at_msg = -1, .when = (uint8_t)when};
  TG_ENSURE(err, when == TG_DEV_WHEN_ANY || takes_when(def->kind), internal_error, TG_E_USAGE,
            "deviation %s: /hrr and /retry limit the deviations that edit a message, not %s",
            def->name, def->name);
  if (at != NULL && strcmp(at, "change_cipher_spec") == 0) {
    /* Record deviations only: the change_cipher_spec record is no handshake message. */
    bool record =
        def->kind == K_INJECT_RECORD ||
        (def->kind >= K_RECORD_TYPE && def->kind <= K_SKIP_RECORD && def->kind != K_FRAGMENT);
    TG_ENSURE(err, record, internal_error, TG_E_USAGE,
              "deviation %s: @change_cipher_spec selects records, and %s is not a record deviation",
              def->name, def->name);
    d->at_msg = TG_DEV_AT_CCS;
  } else if (at != NULL) {
    uint8_t sel;
    TG_ENSURE(err, takes_selector(def->kind) && parse_message(at, strlen(at), &sel), internal_error,
              TG_E_USAGE, "deviation %s: bad or unexpected selector '@%s'", def->name, at);
    d->at_msg = sel;
  }
  tg_status r = def->install(d, colon, err);
  if (r != TG_OK) {
    free(d->hex);
    d->hex = NULL;
    return r;
  }
  s->n++;
  if (out != NULL)
    *out = d;
  return TG_OK;
}

void tg_deviation_set_attach(tg_deviation_set *s, tg_config *cfg) {
  cfg->hooks = &s->hooks;
  for (size_t i = 0; i < s->n; i++)
    if (s->dev[i].def->kind == K_FRAGMENT)
      cfg->max_fragment = s->dev[i].number;
}
