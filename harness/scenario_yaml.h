/* Internal to the scenario loader (scenario_load.c): reading libyaml document nodes with
 * FILE:LINE:COLUMN errors, `${key}` substitution of matrix values, and the value forms of the
 * vocabulary (booleans, numbers, hex, names of code points, versions).
 *
 * Every reader takes the node it reads, checks its YAML type and fails with a message at that
 * node's position (1-based), so the caller never formats an error for a wrong shape. Only the
 * first failure is kept. */
#ifndef TG_HARNESS_SCENARIO_YAML_H
#define TG_HARNESS_SCENARIO_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "scenario.h"

#define SY_MAX_BINDINGS 8 /* matrix keys of one scenario */

/* One parsed YAML document and the file name its messages carry. */
typedef struct sy_src {
  const char *name;
  yaml_document_t *doc;
} sy_src;

typedef struct sy_ctx {
  sy_src src; /* the document being read; swapped while spliced steps are read */
  sc_error *err;
  bool failed;
  /* Matrix bindings for ${key}; n_bind 0: no matrix (any ${...} is an error). */
  const char *bind_key[SY_MAX_BINDINGS];
  const char *bind_val[SY_MAX_BINDINGS];
  size_t n_bind;
  /* Substituted strings, freed by sy_scratch_free once a scenario is built. */
  char **scratch;
  size_t n_scratch, cap_scratch;
} sy_ctx;

/* Records "NAME:LINE:COLUMN: message" for node n (or the document start when n is NULL);
 * always returns false. */
bool sy_fail(sy_ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sy_scratch_free(sy_ctx *c);

yaml_node_t *sy_node(sy_ctx *c, int index);
const char *sy_type_name(const yaml_node_t *n);
bool sy_want(sy_ctx *c, const yaml_node_t *n, yaml_node_type_t type);

/* The i-th item of a sequence / pair of a mapping; counts. */
size_t sy_seq_len(const yaml_node_t *n);
yaml_node_t *sy_seq_item(sy_ctx *c, const yaml_node_t *n, size_t i);
size_t sy_map_len(const yaml_node_t *n);
/* The key text (never substituted) and the value of pair i. */
const char *sy_map_key(sy_ctx *c, const yaml_node_t *n, size_t i, yaml_node_t **key);
yaml_node_t *sy_map_value(sy_ctx *c, const yaml_node_t *n, size_t i);
/* The value of key, or NULL. */
yaml_node_t *sy_get(sy_ctx *c, const yaml_node_t *map, const char *key);
/* Checks that map is a mapping whose keys are strings, all in allowed (NULL-terminated), none
 * twice; what names the mapping in the message ("scenario", "endpoint"). */
bool sy_check_keys(sy_ctx *c, const yaml_node_t *map, const char *const *allowed, const char *what);

/* A scalar's text after ${key} substitution; *len may be NULL, and then a NUL inside is an
 * error. The text lives until sy_scratch_free (or the document, when nothing was substituted). */
bool sy_text(sy_ctx *c, const yaml_node_t *n, const char **out, size_t *len);
bool sy_str(sy_ctx *c, const yaml_node_t *n, const char **out);
/* A malloc'd copy of sy_str. */
bool sy_strdup(sy_ctx *c, const yaml_node_t *n, char **out);
bool sy_bool(sy_ctx *c, const yaml_node_t *n, bool *out);
/* Decimal or 0x-hex, at most max. */
bool sy_uint(sy_ctx *c, const yaml_node_t *n, unsigned long max, unsigned long *out);
/* Hex digits (spaces allowed between bytes) into malloc'd bytes (NULL for none). */
bool sy_hex(sy_ctx *c, const yaml_node_t *n, sc_bytes *out);
/* The same hex, checked and normalized to lower case without spaces, as a scratch string. */
bool sy_hex_str(sy_ctx *c, const yaml_node_t *n, const char **out);

/* Code points by name or number. */
typedef enum sy_names {
  SY_CIPHER_SUITE,
  SY_GROUP,
  SY_SIG_SCHEME,
  SY_EXTENSION,
  SY_ALERT,
  SY_CONTENT_TYPE,
} sy_names;
bool sy_code(sy_ctx *c, const yaml_node_t *n, sy_names kind, unsigned *out);
/* A sequence of code points (at most SC_MAX_LIST). */
bool sy_u16_list(sy_ctx *c, const yaml_node_t *n, sy_names kind, sc_u16_list *out);
/* "1.2" / "1.3" / "tls12" / "tls13" -> 0x0303 / 0x0304. */
bool sy_version(sy_ctx *c, const yaml_node_t *n, uint16_t *out);
bool sy_version_text(const char *s, uint16_t *out);
/* A HandshakeType name; hrr also accepts "hello_retry_request" (SC_MSG_HELLO_RETRY_REQUEST). */
bool sy_message_name(const char *s, bool hrr, int *out);

/* Bounds of every YAML file (scenarios, shared steps, baselines, target profiles), checked
 * before libyaml builds a document: its scanner slows quadratically with nesting depth, and the
 * loaders walk nodes recursively. */
#define SY_MAX_FILE (1 << 20) /* bytes */
#define SY_MAX_DEPTH 64       /* nested sequences and mappings */

/* The whole regular file, NUL-terminated (at most SY_MAX_FILE bytes); NULL with the reason in
 * why ("not a regular file" for a FIFO or device, which is never opened blocking). Every YAML
 * file is read here; its depth is checked where its text is parsed (sy_check_depth, the
 * baseline loader), which file and text loaders alike go through. */
char *sy_read_file(const char *path, size_t *len, char *why, size_t whylen);
/* True when text nests deeper than SY_MAX_DEPTH, with the position of the first level too deep
 * in at. One pass of libyaml's event parser that stops there, so it stays linear. A syntax error
 * is not reported here (false): the real parse reports it. */
bool sy_too_deep(const uint8_t *text, size_t len, yaml_mark_t *at);
/* sy_too_deep as "NAME:LINE:COLUMN: nested deeper than 64 levels" into c; false then. */
bool sy_check_depth(sy_ctx *c, const uint8_t *text, size_t len);
/* libyaml's syntax error in p as "NAME:LINE:COLUMN: YAML: ..." into c (failed). */
void sy_yaml_error(sy_ctx *c, const yaml_parser_t *p, const uint8_t *text, size_t len);

#endif
