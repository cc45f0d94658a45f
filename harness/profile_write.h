/* Writing a target profile with notes: profile_write (profile.h) plus comment lines a caller
 * places beside the keys they concern. `tlsgauntlet probe` uses it to say what it saw (the
 * certificate's names, why the chain did not verify) and what it could not learn, next to the
 * key a reader has to check. */
#ifndef TG_HARNESS_PROFILE_WRITE_H
#define TG_HARNESS_PROFILE_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "profile.h"

/* Comment lines written just above key (its YAML name: "trust_anchor", "client_auth", ...), or
 * at the top for key "". text may hold several lines ('\n'); each becomes "# LINE". A note for
 * a key the profile does not write goes where that key would be. */
typedef struct profile_note {
  const char *key;
  const char *text;
} profile_note;

void profile_write_notes(FILE *f, const target_profile *p, const profile_note *notes, size_t n);

#endif
