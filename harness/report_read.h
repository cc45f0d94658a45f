/* Reading a run's JSON report (the document report_json writes) back into the results the
 * reporters take, so that merge, diff and `baseline --from` share one reader and merged runs are
 * written by the same writers as a run's.
 *
 * The file is untrusted: anything that is not a report of this tool is an error naming the file
 * and what is wrong. Fields the reader does not know are kept (run_doc.root): a newer writer's
 * provenance (schema_version, tool, started, host, command_line, library versions) survives a
 * merge. */
#ifndef TG_HARNESS_REPORT_READ_H
#define TG_HARNESS_REPORT_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "impls.h"
#include "report.h"

/* The newest schema_version this reader understands; a report without one is version 1. Version
 * 2 added provenance members (tool, started, host, command_line, libraries) and left the results
 * as they were. */
#define TG_REPORT_SCHEMA_VERSION 2
/* The most implementations a report may have: as many as a run plays (impls.h). */
#define TG_REPORT_MAX_IMPLS TG_MAX_IMPLS

typedef struct run_doc {
  char *file;             /* the path it was read from */
  json_t *root;           /* the whole document, unknown fields included */
  run_report rep;         /* results[s * n_impls + i], impls, seconds, command_line, origin
                           * (libraries into each result's library fields) */
  sc_scenario *scenarios; /* rep.n_scenarios, in the report's order: id, rfc, title, tags */
  long shard_i, shard_n;  /* from "--shard I/N" in the command, else 0 */
  const char **argv;      /* rep.origin.argv (the strings are root's) */
} run_doc;

/* Reads path into d; false with err ("FILE: what is wrong") otherwise, d then empty. Every
 * scenario must have exactly one result per implementation. */
bool report_read(run_doc *d, const char *path, char *err, size_t errlen);
/* The same from a parsed document (taken over: freed with d, or on failure); name stands for the
 * file in messages. */
bool report_read_json(run_doc *d, const char *name, json_t *root, char *err, size_t errlen);
void run_doc_free(run_doc *d);

/* The column of implementation name in d, or -1. */
long run_doc_impl(const run_doc *d, const char *name);
/* The row of scenario id in d, or -1. */
long run_doc_scenario(const run_doc *d, const char *id);

#endif
