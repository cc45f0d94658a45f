/* tlsgauntlet peers: the registered implementations (impls.h) in registry order, then any other
 * peer adapter found (tg-peer-* next to this binary, or in PREFIX/libexec/tlsgauntlet when
 * installed, and in $TG_PEER_DIR: harness_peer_dirs), each adapter asked with --info
 * (peers/README.md) what it is and what it supports. A registered implementation without an
 * adapter is listed as not built, with the package to install; a peer that hangs, crashes or
 * prints garbage is listed as broken; the others still answer. */
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "impls.h"
#include "spawn.h"

#define PEER_PREFIX "tg-peer-"
#define MAX_PEERS 64
#define INFO_MAX 65536 /* bytes of an --info line kept */
#define DEFAULT_TIMEOUT_MS 5000

static const char peers_usage[] =
    "usage: tlsgauntlet peers [--json] [--timeout-ms MS]\n"
    "\n"
    "Lists the registered implementations, in the order run --peer all plays them, then any\n"
    "other peer adapter found (tg-peer-NAME programs next to tlsgauntlet, or in\n"
    "PREFIX/libexec/tlsgauntlet when installed, and in $TG_PEER_DIR), each with its library\n"
    "version, roles, the number of cipher suites, groups and signature schemes it supports,\n"
    "and its features, as its --info line says. A registered implementation whose adapter\n"
    "is missing is listed as not built, with the Debian package its library comes from. A\n"
    "peer that fails, hangs past the timeout or answers garbage is listed as broken.\n"
    "\n"
    "  --json            print a JSON array: each peer's --info object with name, path and\n"
    "                    status (ok, broken or not built, the last two with error), and\n"
    "                    registry: {library, package, tls13, verify}, or null for an\n"
    "                    adapter that is not registered\n"
    "  --timeout-ms MS   how long one peer may take to answer (default 5000)\n"
    "\n"
    "Exit status: 0 at least one peer answered, 1 none did, 2 bad usage.\n";

typedef struct found_peer {
  char name[NAME_MAX + 1]; /* without the prefix: "gnutls" */
  char path[PATH_MAX];
} found_peer;

typedef struct peer_list {
  found_peer p[MAX_PEERS];
  size_t n;
} peer_list;

static bool have_name(const peer_list *l, const char *name) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->p[i].name, name) == 0)
      return true;
  return false;
}

/* Every executable tg-peer-* regular file in dir; a name already found (in an earlier
 * directory) is not added twice. */
static void scan_dir(const char *dir, peer_list *l) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && l->n < MAX_PEERS) {
    const char *name = e->d_name + strlen(PEER_PREFIX);
    if (strncmp(e->d_name, PEER_PREFIX, strlen(PEER_PREFIX)) != 0 || *name == '\0' ||
        have_name(l, name))
      continue;
    found_peer *p = &l->p[l->n];
    struct stat st;
    int n = snprintf(p->path, sizeof p->path, "%s/%s", dir, e->d_name);
    if (n < 0 || (size_t)n >= sizeof p->path || stat(p->path, &st) != 0 || !S_ISREG(st.st_mode) ||
        access(p->path, X_OK) != 0)
      continue;
    snprintf(p->name, sizeof p->name, "%s", name);
    l->n++;
  }
  closedir(d);
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const found_peer *)a)->name, ((const found_peer *)b)->name);
}

/* The registered implementations first, in registry order, each with its adapter when one was
 * found (else path ""), then the other adapters found, by name. */
static void order(const peer_list *found, peer_list *out) {
  size_t n;
  const tg_impl *reg = tg_impls(&n);
  out->n = 0;
  for (size_t i = 0; i < n && out->n < MAX_PEERS; i++) {
    found_peer *p = &out->p[out->n++];
    snprintf(p->name, sizeof p->name, "%s", reg[i].name);
    p->path[0] = '\0';
    for (size_t k = 0; k < found->n; k++)
      if (strcmp(found->p[k].name, reg[i].name) == 0)
        memcpy(p->path, found->p[k].path, sizeof p->path);
  }
  for (size_t k = 0; k < found->n && out->n < MAX_PEERS; k++)
    if (tg_impl_find(found->p[k].name) == NULL)
      out->p[out->n++] = found->p[k];
}

static json_t *registry_json(const tg_impl *impl) {
  if (impl == NULL)
    return json_null();
  return json_pack("{s:s, s:s, s:b, s:b}", "library", impl->library, "package", impl->package,
                   "tls13", impl->tls13, "verify", impl->verify);
}

/* Runs PATH --info; the parsed object, or NULL with why in err. */
static json_t *ask_info(const found_peer *p, int timeout_ms, char *err, size_t errlen) {
  static char out[INFO_MAX];
  char *const argv[] = {(char *)p->path, "--info", NULL};
  int code;
  switch (spawn_capture(argv, false, timeout_ms, out, sizeof out, &code)) {
  case SPAWN_FAILED:
    snprintf(err, errlen, "%.200s", out); /* pipe: or fork: and the reason */
    return NULL;
  case SPAWN_TIMEOUT:
    snprintf(err, errlen, "no answer to --info within %d ms", timeout_ms);
    return NULL;
  case SPAWN_SIGNALED: snprintf(err, errlen, "--info killed by signal %d", code); return NULL;
  case SPAWN_EXITED:
    if (code != 0) {
      snprintf(err, errlen, "--info exited %d", code);
      return NULL;
    }
    break;
  }
  json_error_t je;
  json_t *j = json_loads(out, 0, &je);
  if (j == NULL || !json_is_object(j) || !json_is_string(json_object_get(j, "implementation"))) {
    snprintf(err, errlen, "--info printed no JSON object with an implementation: %s",
             j ? "wrong shape" : je.text);
    json_decref(j);
    return NULL;
  }
  return j;
}

static size_t count(json_t *info, const char *key) {
  json_t *a = json_object_get(info, key);
  return json_is_array(a) ? json_array_size(a) : 0;
}

/* "client,server" or "alpn,sni,...": the strings of an array, or the keys whose value is true. */
static void join(json_t *v, char *buf, size_t len) {
  buf[0] = '\0';
  size_t used = 0;
  const char *key;
  json_t *x;
  size_t i;
  if (json_is_array(v)) {
    json_array_foreach(v, i, x) {
      if (json_is_string(x))
        used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "," : "",
                                 json_string_value(x));
    }
  } else if (json_is_object(v)) {
    json_object_foreach(v, key, x) {
      if (json_is_true(x))
        used +=
            (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "," : "", key);
    }
  }
  if (buf[0] == '\0')
    snprintf(buf, len, "-");
}

static void print_row(const found_peer *p, json_t *info, const char *err) {
  if (info == NULL) {
    printf("%-10s %-9s %s\n", p->name, p->path[0] ? "broken" : "not built", err);
    return;
  }
  const char *version = json_string_value(json_object_get(info, "version"));
  char roles[64], features[256];
  join(json_object_get(info, "roles"), roles, sizeof roles);
  join(json_object_get(info, "features"), features, sizeof features);
  printf("%-10s %-9s %-14s %6zu %6zu %7zu  %-58s %s\n", p->name, "ok", roles,
         count(info, "cipher_suites"), count(info, "groups"), count(info, "signature_schemes"),
         features, version ? version : "?");
}

static int parse_args(int argc, char **argv, bool *json, int *timeout_ms) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(peers_usage, stdout);
      return EXIT_OK;
    }
    if (strcmp(argv[i], "--json") == 0) {
      *json = true;
      continue;
    }
    char *end;
    long ms = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : 0;
    if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc && *argv[i + 1] && *end == '\0' &&
        ms > 0 && ms <= 600000) {
      *timeout_ms = (int)ms;
      i++;
      continue;
    }
    fprintf(stderr, "tlsgauntlet peers: bad option '%s'\n\n%s", argv[i], peers_usage);
    return EXIT_BAD_INPUT;
  }
  return -1;
}

int cmd_peers(int argc, char **argv) {
  bool json = false;
  int timeout_ms = DEFAULT_TIMEOUT_MS;
  int rc = parse_args(argc, argv, &json, &timeout_ms);
  if (rc >= 0)
    return rc;
  spawn_init(); /* before the first adapter starts; spawn.h */
  static peer_list found, list;
  char dirs[2][PATH_MAX];
  size_t n_dirs = harness_peer_dirs(dirs, 2);
  for (size_t i = 0; i < n_dirs; i++)
    scan_dir(dirs[i], &found);
  qsort(found.p, found.n, sizeof found.p[0], by_name);
  order(&found, &list);
  json_t *all = json_array();
  size_t answered = 0;
  if (!json)
    printf("%-10s %-9s %-14s %6s %6s %7s  %-58s %s\n", "NAME", "STATUS", "ROLES", "SUITES",
           "GROUPS", "SCHEMES", "FEATURES", "VERSION");
  for (size_t i = 0; i < list.n; i++) {
    const found_peer *p = &list.p[i];
    const tg_impl *impl = tg_impl_find(p->name);
    char err[512] = "";
    json_t *info = NULL;
    if (p->path[0] != '\0')
      info = ask_info(p, timeout_ms, err, sizeof err);
    else
      tg_impl_missing_why(impl, err, sizeof err);
    answered += info != NULL;
    if (!json)
      print_row(p, info, err);
    json_t *row = json_object();
    json_object_set_new(row, "name", json_string(p->name));
    json_object_set_new(row, "path", p->path[0] ? json_string(p->path) : json_null());
    json_object_set_new(row, "status",
                        json_string(info         ? "ok"
                                    : p->path[0] ? "broken"
                                                 : "not built"));
    if (info)
      json_object_update(row, info);
    else
      json_object_set_new(row, "error", json_string(err));
    json_object_set_new(row, "registry", registry_json(impl));
    json_decref(info);
    json_array_append_new(all, row);
  }
  if (json) {
    char *s = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s)
      puts(s);
    free(s);
  } else if (found.n == 0) {
    printf("(no tg-peer-* program in the adapters' directory or in $TG_PEER_DIR)\n");
  }
  json_decref(all);
  if (answered == 0)
    fprintf(stderr, "tlsgauntlet peers: no peer answered --info\n");
  return answered > 0 ? EXIT_OK : EXIT_UNEXPECTED;
}
