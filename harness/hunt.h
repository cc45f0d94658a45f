/* `tlsgauntlet hunt`: differential protocol fuzzing across implementations (docs/hunting.md).
 *
 * A mutant is a seed scenario and a few mutations in the scripted endpoint's vocabulary: a
 * deviation of the engine's table with random parameters (tg/deviations.h), or a send step
 * inserted into the script (an alert, a change_cipher_spec, a record). The mutant is played
 * against every selected implementation by the runner; what each did is its signature; where
 * they differ, and differently from the seed, the mutant is minimised and written out as a
 * scenario file.
 *
 * This header is the mutator's (hunt_mutate.c); the command is hunt.c. */
#ifndef TG_HARNESS_HUNT_H
#define TG_HARNESS_HUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* ---- Randomness: one reproducible stream (splitmix64), its state saved for --resume --------- */

typedef struct hunt_rng {
  uint64_t s;
} hunt_rng;

uint64_t hunt_rng_next(hunt_rng *r);
/* A number in [0, n) (0 when n is 0). */
uint64_t hunt_rng_below(hunt_rng *r, uint64_t n);

/* ---- Mutations --------------------------------------------------------------------------------
 */

#define HUNT_MAX_MUTS 4   /* mutations per mutant */
#define HUNT_MAX_BYTES 64 /* bytes of an inserted step */

typedef enum hunt_mut_kind {
  HM_DEVIATION = 0, /* one more deviation spec for the endpoint */
  HM_STEP,          /* a send step inserted into the script */
} hunt_mut_kind;

typedef struct hunt_mut {
  hunt_mut_kind kind;
  /* HM_DEVIATION: the spec, as the endpoint's `deviations:` list takes it
   * ("set_field:client_hello.legacy_version:0300", "record_type:22@finished"). The mutator's
   * own specs are short (HUNT_MAX_BYTES of hex at most); a longer one (a seed's, up to
   * TG_DEV_MAX_HEX bytes of hex) is never copied here: hunt_mut_parse refuses it, and the
   * seeds' shapes are taken from their specs (hunt_spec_shape). */
  char spec[2 * 256 + 64];
  /* HM_STEP: inserted before the seed's step `at` (0 ... n_steps). send is one of
   * SC_SEND_ALERT (alert_level, alert), SC_SEND_CHANGE_CIPHER_SPEC (bytes: its body),
   * SC_SEND_RECORD (record_type, record_version, protect, bytes), SC_SEND_APPLICATION_DATA
   * (bytes), SC_SEND_KEY_UPDATE (request_update). */
  size_t at;
  sc_send_kind send;
  uint8_t alert_level, alert, record_type;
  uint16_t record_version;
  bool protect, request_update;
  uint8_t bytes[HUNT_MAX_BYTES];
  size_t n_bytes;
} hunt_mut;

typedef struct hunt_mutant {
  size_t seed; /* index in the seed list */
  hunt_mut m[HUNT_MAX_MUTS];
  size_t n;
} hunt_mutant;

/* Adds one random mutation for seed to m (the deviations of seed and m together stay within
 * SC_MAX_DEVIATIONS; a deviation spec is one tg_deviation_set_add accepts). The mutations are
 * those that can apply to what the seed's scripted side sends: its role and version decide which
 * messages it sends. false when m has no room for one more. */
bool hunt_mutate(const sc_scenario *seed, hunt_mutant *m, hunt_rng *rng);

/* The mutant as a scenario: a copy of seed with m's deviations after the seed's and m's steps
 * inserted, loaded from the text sc_write_yaml makes of it (so what is played is what would be
 * written). id: the new scenario's id. false with err (FILE:LINE:COLUMN of the text) when it does
 * not load, which is a bug of the mutator. The scenario is appended to out. */
bool hunt_mutant_load(const sc_scenario *seed, const hunt_mutant *m, const char *id,
                      sc_suite *out, sc_error *err);
/* The same text, with comment on top (sc_write_yaml), malloc'd; NULL when out of memory. */
char *hunt_mutant_yaml(const sc_scenario *seed, const hunt_mutant *m, const char *id,
                       const char *comment);
/* Both also refuse (false with err, NULL) a mutant that does not fit its seed: a step `at` past
 * the seed's steps, more than HUNT_MAX_MUTS mutations, more than SC_MAX_DEVIATIONS in all (a
 * mutant read back with hunt_mut_parse may be any of these). */

/* One line that names a mutation, and back: "dev SPEC" or
 * "step AT alert LEVEL DESC" | "step AT ccs HEX" | "step AT record TYPE VERSION protect|plain HEX"
 * | "step AT data HEX" | "step AT key_update request|no". Used by the report, the resumable
 * state and the libFuzzer target's input. parse: false on anything else. */
void hunt_mut_format(const hunt_mut *m, char *buf, size_t cap);
bool hunt_mut_parse(const char *line, hunt_mut *out);
/* The words of the line, separated by one space: AT decimal (no leading zero); LEVEL warning or
 * fatal; DESC the alert's name, a number (0-255) only when it has none; TYPE decimal (0-255);
 * VERSION 4 lowercase hex digits, not 0000; HEX lowercase hex of at most HUNT_MAX_BYTES bytes,
 * "-" for none (a record only: ccs and data need a byte); SPEC one word of printable ASCII that
 * tg_deviation_set_add takes. No newline at the end. parse takes exactly what format writes, so
 * that one mutation has one line. */

/* Whether the engine's deviation table accepts spec (tg_deviation_set_add). */
bool hunt_spec_installs(const char *spec);

/* The mutation's kind without its values, for grouping findings: "set_field:client_hello.
 * legacy_version", "drop_extension@client_hello", "step alert". */
void hunt_mut_shape(const hunt_mut *m, char *buf, size_t cap);
/* The shape of one deviation spec of any length (hunt_mut_shape of an HM_DEVIATION). */
void hunt_spec_shape(const char *spec, char *buf, size_t cap);

#endif
