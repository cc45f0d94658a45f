/* The named deviations: one table of every way the scripted endpoint can misbehave, by the names
 * the scenario format uses ("skip:encrypted_extensions", "record_version:0200", ...).
 *
 * Each deviation is built only on the public tg_hooks API of tg/engine.h. A tg_deviation_set
 * holds the deviations a scenario installs (parsed from their "name[:param]" spellings) and
 * provides one tg_hooks that runs them all; tg_deviation_set_attach plugs it into a tg_config.
 *
 * Spelling: NAME, NAME:ARG or NAME:ARG:ARG. Messages are HandshakeType names (client_hello,
 * finished), extensions ExtensionType names or numbers, bytes are hex. Record deviations take an
 * optional "@MESSAGE" suffix that limits them to the records whose content starts with that
 * handshake message ("record_type:23@finished"), or "@change_cipher_spec" for the
 * change_cipher_spec records ("skip_record@change_cipher_spec"); without it they apply to every
 * record.
 *
 * A HelloRetryRequest exchange: the message deviations (skip, set_field, the extension edits,
 * corrupt_key_share, truncate, patch, append) take a last suffix "/hrr" or "/retry". "/hrr"
 * limits them to the HelloRetryRequest itself (a ServerHello on the wire); "/retry" to the
 * messages sent after one: the second ClientHello of a client, the ServerHello (and what
 * follows) of a server that sent one ("set_field:client_hello.cipher_suites:1302/retry").
 */
#ifndef TG_DEVIATIONS_H
#define TG_DEVIATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/engine.h"

/* What follows the name's colon. */
typedef enum tg_dev_param {
  TG_DEV_PARAM_NONE = 0,           /* corrupt_finished */
  TG_DEV_PARAM_MESSAGE,            /* skip:certificate */
  TG_DEV_PARAM_TWO_MESSAGES,       /* reorder:certificate:certificate_verify */
  TG_DEV_PARAM_HEX,                /* inject:140000... */
  TG_DEV_PARAM_NUMBER,             /* fragment:10, record_type:23 */
  TG_DEV_PARAM_EXTENSION,          /* drop_extension:key_share */
  TG_DEV_PARAM_EXT_HEX,            /* add_extension:65000:0102 */
  TG_DEV_PARAM_FIELD_HEX,          /* set_field:client_hello.legacy_version:0302 */
  TG_DEV_PARAM_MESSAGE_NUMBER,     /* truncate:client_hello:10 */
  TG_DEV_PARAM_MESSAGE_NUMBER_HEX, /* patch:client_hello:4:0301 */
  TG_DEV_PARAM_MESSAGE_HEX,        /* append:client_hello:00ff */
  TG_DEV_PARAM_NUMBER_HEX,         /* inject_record:21:0128 */
} tg_dev_param;

#define TG_DEV_MAX 64       /* deviations per set */
#define TG_DEV_AT_CCS 0x114 /* tg_deviation.at_msg of "@change_cipher_spec" (256 + 20) */
/* Bytes of a hex parameter: whatever a 16-bit length frames (an extension body, a record's
 * content up to the largest the record header can say, past 2^14 for record_overflow checks).
 * Allocated to the parameter's size when it is installed. */
#define TG_DEV_MAX_HEX 65535

struct tg_dev_def;

/* One installed deviation: its definition and its parsed parameters. */
/* tg_deviation.when: which messages of a HelloRetryRequest exchange a deviation edits. */
enum {
  TG_DEV_WHEN_ANY = 0,
  TG_DEV_WHEN_HRR = 1,   /* "/hrr": the HelloRetryRequest only */
  TG_DEV_WHEN_RETRY = 2, /* "/retry": only messages sent after a HelloRetryRequest */
};

typedef struct tg_deviation {
  const struct tg_dev_def *def;
  uint8_t msg[2];  /* HandshakeType parameters */
  int at_msg;      /* record deviations: the message selector, or -1 */
  uint8_t when;    /* TG_DEV_WHEN_* */
  uint16_t number; /* NUMBER, the ExtensionType, or the field index */
  uint8_t *hex;    /* HEX parameters: hex_len bytes (malloc'd, freed with the set), else NULL */
  size_t hex_len;
  unsigned hits; /* how many times it changed something; tests and the runner read it */
} tg_deviation;

typedef struct tg_deviation_set {
  tg_deviation dev[TG_DEV_MAX];
  size_t n;
  tg_hooks hooks;
  tg_writer ext;    /* a rewritten extensions block, owned until the next message */
  tg_writer record; /* a rewritten record fragment, owned until the next record */
  uint8_t now;      /* the TG_DEV_WHEN_* moment of the message being sent (ANY: before an HRR) */
} tg_deviation_set;

/* The table. install parses param (NULL when there is none) into d, or fails naming the
 * parameter (alert internal_error, code TG_E_USAGE). */
typedef struct tg_dev_def {
  const char *name;
  const char *description;
  unsigned kind; /* internal: which hook code runs it */
  tg_dev_param param;
  TG_MUST_CHECK tg_status (*install)(tg_deviation *d, const char *param, tg_err *err);
} tg_dev_def;

/* Every deviation, for `tlsgauntlet run --help-scenario` and the runner: *n entries. */
const tg_dev_def *tg_deviation_list(size_t *n);
/* The definition of a name (without its parameter), or NULL. */
const tg_dev_def *tg_deviation_find(const char *name);

void tg_deviation_set_init(tg_deviation_set *s);
/* Frees what the set holds (the deviations' hex parameters, its writers); init makes it usable
 * again. */
void tg_deviation_set_free(tg_deviation_set *s);
/* Parses "NAME[:PARAM][@MESSAGE][/hrr|/retry]" and installs it; the installed deviation is *out if out is
 * not NULL. A full set, an unknown name or a bad parameter fails with TG_E_USAGE. */
TG_MUST_CHECK tg_status tg_deviation_set_add(tg_deviation_set *s, const char *spec,
                                             tg_deviation **out, tg_err *err);
/* Installs the set's hooks in cfg (and the one configuration-level deviation, fragment:N, as
 * cfg->max_fragment). s must outlive the connections made from cfg. */
void tg_deviation_set_attach(tg_deviation_set *s, tg_config *cfg);

#endif
