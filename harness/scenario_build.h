/* Internal to the scenario loader: the state of building one sc_scenario, shared by
 * scenario_load.c (files, documents, matrix, header keys) and scenario_steps.c (options,
 * steps, edits into deviation specs). */
#ifndef TG_HARNESS_SCENARIO_BUILD_H
#define TG_HARNESS_SCENARIO_BUILD_H

#include "scenario.h"
#include "scenario_yaml.h"
#include "tg/deviations.h"

#define SC_MAX_STEPS 512   /* steps of one scenario, `use:` splices included */
#define SC_MAX_USE_DEPTH 8 /* `use:` inside shared steps, so a cycle ends */
#define SC_MAX_INCLUDES 8

/* Named steps from `steps:` of an included file (or of the file itself). */
typedef struct shared_steps {
  const char *name;
  yaml_node_t *list;
  sy_src src; /* the document the list is in, for its messages */
} shared_steps;

/* What one YAML document of a scenario file provides to its scenarios. */
typedef struct shared_lib {
  const char *base_dir;  /* for include:; NULL: includes are an error */
  yaml_node_t *defaults; /* in the document, or NULL */
  shared_steps *v;
  size_t n, cap;
  yaml_document_t inc_doc[SC_MAX_INCLUDES];
  char *inc_name[SC_MAX_INCLUDES];
  size_t n_inc;
} shared_lib;

shared_steps *shared_find(shared_lib *lib, const char *name);

typedef struct build {
  sy_ctx *c;
  shared_lib *lib;
  yaml_node_t *scen; /* the scenario's mapping */
  sc_scenario *sc;
  tg_deviation_set devs; /* every spec installed once, so a loaded scenario parses */
  yaml_node_t *endpoint_devs;
  size_t cap_steps;
  int use_depth;
  int use_line, use_column; /* of the outermost `use:` while splicing */
  /* While a send step's edits are made: "/hrr" (`send: hello_retry_request`) or "/retry"
   * (`after: hello_retry_request`), appended to each edit's spec; NULL otherwise. */
  const char *when;
} build;

/* The scenario's key, or else the defaults' one. */
yaml_node_t *build_get(build *b, const char *key);
/* target_options and endpoint, merged one level deep with the defaults. */
bool build_options(build *b);
bool build_endpoint_deviations(build *b, yaml_node_t *list);
bool build_script(build *b, yaml_node_t *script);

#endif
