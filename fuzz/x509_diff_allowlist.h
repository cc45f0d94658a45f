/* The allowlist of fuzz_x509_diff (fuzz/x509_diff_allowlist.yaml): which deviations of a
 * reference library from the built-in validator's verdict are known, and why.
 *
 * The built-in validator's verdict is the reference. Each library compared with it (GnuTLS,
 * BoringSSL) deviates when it accepts where the built-in rejects, or rejects where it accepts.
 * Each deviation is explained on its own, by an entry that names the library, both verdicts and
 * facts about the chain that must hold; a disagreement is new when one deviation is explained by
 * no entry. So a chain with two known differences (GnuTLS matching a CN-only leaf by its CN, and
 * BoringSSL refusing an anchor that is not self-issued) is two explained deviations, while a
 * third library-level difference on the same chain is still reported.
 *
 * The facts are computed by the fuzz target from the chain (x509_diff_facts); tests give them
 * directly (tests/x509_diff_allowlist_test.c). Nothing here calls a library. */
#ifndef TG_FUZZ_X509_DIFF_ALLOWLIST_H
#define TG_FUZZ_X509_DIFF_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>

/* The libraries compared with the built-in validator, as an entry's `library` names them. */
enum { XDA_GNUTLS, XDA_BORINGSSL, XDA_LIBRARIES };
extern const char *const xda_library_names[XDA_LIBRARIES];

/* Facts about a chain an entry may require (`when:`). A fact that needs a certificate the
 * built-in parser refuses is false. */
typedef enum xda_fact {
  XDA_LEAF_IS_ANCHOR = 1u << 0, /* leaf-is-anchor: the first and last blobs are equal */
  /* issuer-candidates: two certificates after the leaf share a subject (byte for byte, or as
   * issuer-name-folded compares, as BoringSSL finds issuers) */
  XDA_ISSUER_CANDIDATES = 1u << 1,
  XDA_LEAF_CN_NO_DNS = 1u << 2,         /* leaf-cn-no-dns: a subject CN and no SAN dNSName */
  XDA_ANCHOR_NOT_SELF_ISSUED = 1u << 3, /* anchor-not-self-issued: its issuer is not its subject */
  XDA_ANCHOR_PATH_LEN = 1u << 4,        /* anchor-path-len: the anchor has a pathLenConstraint */
  XDA_NAME_TRAILING_DOT = 1u << 5,      /* name-trailing-dot: the reference name ends in '.' */
  XDA_V1_INTERMEDIATE = 1u << 6,        /* v1-intermediate: one between leaf and anchor is v1 */
  /* anchor-unknown-critical: the anchor, and no other certificate a path from the leaf can reach
   * by name, has a critical extension the built-in parser does not know */
  XDA_ANCHOR_UNKNOWN_CRITICAL = 1u << 7,
  XDA_LEAF_KU_NO_DS = 1u << 8,  /* leaf-ku-no-digital-signature: keyUsage without that bit */
  XDA_WEAK_SIGNATURE = 1u << 9, /* weak-signature: a certificate signed with MD5 or SHA-1 */
  XDA_ANCHOR_V1 = 1u << 10,     /* anchor-v1: the anchor is a version 1 certificate */
  /* issuer-name-folded: a certificate's issuer equals a later one's subject only when compared
   * as RFC 5280 7.1 says (ASCII case and spaces folded, string types alike), not byte for byte */
  XDA_ISSUER_NAME_FOLDED = 1u << 11,
  /* name-value-unusual-tag: an attribute value of a subject or issuer name is not one of the
   * string types (UTF8, Printable, Teletex, IA5, Numeric, Visible, Universal, BMP) */
  XDA_NAME_VALUE_UNUSUAL_TAG = 1u << 12,
  /* anchor-not-ca: the anchor has no basicConstraints or cA FALSE, and every certificate between
   * leaf and anchor has cA TRUE */
  XDA_ANCHOR_NOT_CA = 1u << 13,
  /* intermediate-unparsed: the first certificate the built-in parser refuses (the one its
   * malformed verdict is about) is between leaf and anchor */
  XDA_INTERMEDIATE_UNPARSED = 1u << 14,
  /* dirname-constraint-folded: a directoryName subtree begins a later certificate's subject
   * only when compared as issuer-name-folded compares, not byte for byte */
  XDA_DIRNAME_CONSTRAINT_FOLDED = 1u << 15,
  /* unknown-extension: a certificate has an extension the built-in parser does not know */
  XDA_UNKNOWN_EXTENSION = 1u << 16,
  /* unknown-key: a certificate's public key has an algorithm or curve the engine lacks */
  XDA_UNKNOWN_KEY = 1u << 17,
} xda_fact;

/* fact's name in the YAML ("leaf-is-anchor"), or NULL. */
const char *xda_fact_name(unsigned fact);
/* The fact named name, or 0. */
unsigned xda_fact_from_name(const char *name);

typedef struct xda_verdict {
  bool ok;
  const char *reason; /* tg_x509_reason_name's vocabulary, "ok" when ok */
  const char *detail; /* the implementation's own words ("" when none) */
} xda_verdict;

/* One chain's verdicts and facts. */
typedef struct xda_case {
  xda_verdict builtin;
  xda_verdict lib[XDA_LIBRARIES];
  bool compared[XDA_LIBRARIES]; /* false: the library is not built in (not judged) */
  unsigned facts;               /* xda_fact bits */
  const char *name;             /* the reference name, "" when none */
} xda_case;

/* One entry. Every pattern is an fnmatch(3) pattern; an optional one is NULL when absent. */
typedef struct xda_entry {
  char *id;
  unsigned library;     /* 1u << XDA_GNUTLS | 1u << XDA_BORINGSSL: which libraries it explains */
  char *builtin, *says; /* the built-in's and the library's verdicts ("ok" or a reason) */
  unsigned when;        /* xda_fact bits that must all hold */
  unsigned unless;      /* xda_fact bits none of which may hold */
  char *name;           /* optional: the reference name */
  char *builtin_detail; /* optional: the built-in validator's message */
  char *library_detail; /* optional: the library's message */
  char *why, *evidence; /* required prose: why it is not a new bug, how to reproduce it */
  /* library: the library's known behaviour; policy: ours differs by a choice the RFCs allow;
   * ours: a bug of the built-in validator, known and reported, to be fixed (then the entry goes).
   */
  char *kind;
} xda_entry;

typedef struct xda_list {
  xda_entry *entries;
  size_t n;
} xda_list;

/* Parses the allowlist YAML (len octets). False, with a message naming the line or the entry in
 * err, on a YAML error, an unknown key or fact, or an entry lacking a required field. */
bool xda_load(xda_list *list, const char *yaml, size_t len, char *err, size_t errlen);
void xda_free(xda_list *list);

/* Does library lib deviate from the built-in verdict in c (only ok-ness is compared: two
 * rejections for different reasons agree)? */
bool xda_deviates(const xda_case *c, int lib);
/* The first entry explaining library lib's deviation in c, or NULL. */
const xda_entry *xda_explain(const xda_list *list, const xda_case *c, int lib);
/* The first compared library whose deviation no entry explains, or -1 when there is none. */
int xda_unexplained(const xda_list *list, const xda_case *c);

#endif
