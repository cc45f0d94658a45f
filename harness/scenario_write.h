/* Scenarios back to text: the YAML a scenario file holds, for a scenario built in memory (the
 * mutants of `tlsgauntlet hunt`, written out as ready-to-add scenarios).
 *
 * The text loads (sc_load_text) into a scenario that plays exactly as the one written: the same
 * target and endpoint options, the same deviations in the same order, the same steps. Edits that
 * the loader had turned into deviations (a send step's `set:`, `extensions:`, ...) are written as
 * the endpoint's `deviations:` list, in their order; the `send: MESSAGE` steps stay, since what
 * follows them waits for MESSAGE.
 *
 * Only the keys that differ from the loader's defaults are written (a role's default cert, sni,
 * verify_name, server_name, trust "root", timeout 5 s). A value no scenario file can hold (a
 * version other than 1.2 or 1.3, an alert level other than warning or fatal, repeat: on a step
 * that takes none, a string holding "${" or bytes that are not UTF-8, an unnamed handshake
 * message, a malformed endpoint ALPN list) never comes out of the loader; it is written as it
 * is, so that loading the text fails at its line with the loader's message instead of giving a
 * scenario that plays differently. A caller that builds scenarios in memory loads the text to
 * know (hunt_mutant_load does). */
#ifndef TG_HARNESS_SCENARIO_WRITE_H
#define TG_HARNESS_SCENARIO_WRITE_H

#include <stddef.h>

#include "scenario.h"

/* The text of a file holding the one scenario s, malloc'd and NUL-terminated (*len without the
 * NUL when len is not NULL); NULL when out of memory. id replaces s->id when not NULL (a matrix
 * id "a/b[k=v]" is not a valid id to write). comment, when not NULL, opens the file as `# `
 * lines (each '\n' of it starts a new comment line). */
char *sc_write_yaml(const sc_scenario *s, const char *id, const char *comment, size_t *len);

/* Whether a and b play the same: every field the runner reads (id, file, line and column
 * excepted). For the writer's tests and for hunt's minimisation.
 * Of a step, what the runner and verdict.c read for its kind (a send: MESSAGE step's message, an
 * alert step's level and description, ...; an empty change_cipher_spec body is the 01 it sends,
 * a repeat of 0 plays once); of the tags, all but tags[0], the id's first component. */
bool sc_scenario_same(const sc_scenario *a, const sc_scenario *b);

#endif
