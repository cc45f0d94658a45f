/* Scenarios back to text: the YAML a scenario file holds, for a scenario built in memory (the
 * mutants of `tlsgauntlet hunt`, written out as ready-to-add scenarios).
 *
 * The text loads (sc_load_text) into a scenario that plays exactly as the one written: the same
 * target and endpoint options, the same deviations in the same order, the same steps. Edits that
 * the loader had turned into deviations (a send step's `set:`, `extensions:`, ...) are written as
 * the endpoint's `deviations:` list, in their order; the `send: MESSAGE` steps stay, since what
 * follows them waits for MESSAGE. */
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
 * excepted). For the writer's tests and for hunt's minimisation. */
bool sc_scenario_same(const sc_scenario *a, const sc_scenario *b);

#endif
