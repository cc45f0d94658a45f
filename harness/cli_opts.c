/* Option values checked before a command runs (cli_opts.h). */
#include "cli_opts.h"

#include "cli.h"

#include <errno.h>
#include <fnmatch.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

bool opt_number(const char *cmd, const char *option, const char *value, long min, long max,
                long *out) {
  char *end = NULL;
  errno = 0;
  long v = value[0] >= '0' && value[0] <= '9' ? strtol(value, &end, 10) : 0;
  if (end == NULL || *end != '\0' || errno != 0 || v < min || v > max) {
    fprintf(stderr, "tlsgauntlet %s: %s is a number from %ld to %ld, not '%s'\n", cmd, option, min,
            max, value);
    return false;
  }
  *out = v;
  return true;
}

bool opt_shard(const char *cmd, const char *value, unsigned *i, unsigned *n) {
  const char *slash = strchr(value, '/');
  char first[32];
  long a = 0, b = 0;
  bool ok = slash != NULL && (size_t)(slash - value) < sizeof first;
  if (ok) {
    snprintf(first, sizeof first, "%.*s", (int)(slash - value), value);
    char *end1 = NULL, *end2 = NULL;
    a = first[0] >= '0' && first[0] <= '9' ? strtol(first, &end1, 10) : 0;
    b = slash[1] >= '0' && slash[1] <= '9' ? strtol(slash + 1, &end2, 10) : 0;
    ok = end1 != NULL && *end1 == '\0' && end2 != NULL && *end2 == '\0' && a >= 1 && a <= b &&
         b <= 1000000;
  }
  if (!ok) {
    fprintf(stderr, "tlsgauntlet %s: --shard is I/N with 1 <= I <= N, not '%s'\n", cmd, value);
    return false;
  }
  *i = (unsigned)a, *n = (unsigned)b;
  return true;
}

bool opt_in_shard(size_t k, unsigned i, unsigned n) { return n == 0 || k % n == i - 1; }

bool opt_id_matches(const char *glob, const char *id) {
  size_t len = strlen(glob);
  char *esc = malloc(2 * len + 1), *q = esc;
  if (esc == NULL)
    return false;
  for (const char *p = glob; *p; p++) {
    if (*p == '[' || *p == ']')
      *q++ = '\\';
    *q++ = *p;
  }
  *q = '\0';
  bool match = fnmatch(esc, id, 0) == 0;
  free(esc);
  return match;
}

/* The directory part of path ("." for a bare name) into buf. */
static void dir_of(const char *path, char *buf, size_t cap) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    snprintf(buf, cap, ".");
  else if (slash == path)
    snprintf(buf, cap, "/");
  else
    snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

bool opt_output_file(const char *cmd, const char *option, const char *path) {
  if (path == NULL)
    return true;
  char dir[4096];
  struct stat st;
  dir_of(path, dir, sizeof dir);
  const char *bad = path[0] == '\0'                               ? "is empty"
                    : stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ? "has no such directory"
                    : access(dir, W_OK | X_OK) != 0               ? "is in a directory not writable"
                    : stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "is a directory"
                    : stat(path, &st) == 0 && access(path, W_OK) != 0 ? "is not writable"
                                                                      : NULL;
  if (bad != NULL)
    fprintf(stderr, "tlsgauntlet %s: %s %s %s\n", cmd, option, path, bad);
  return bad == NULL;
}

bool opt_output_dir(const char *cmd, const char *option, const char *path) {
  if (path == NULL)
    return true;
  struct stat st;
  if (path[0] != '\0' && mkdir(path, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "tlsgauntlet %s: %s %s: cannot create it: %s\n", cmd, option, path,
            strerror(errno));
    return false;
  }
  const char *bad = path[0] == '\0'                                ? "is empty"
                    : stat(path, &st) != 0 || !S_ISDIR(st.st_mode) ? "is not a directory"
                    : access(path, W_OK | X_OK) != 0               ? "is not writable"
                                                                   : NULL;
  if (bad != NULL)
    fprintf(stderr, "tlsgauntlet %s: %s %s %s\n", cmd, option, path, bad);
  return bad == NULL;
}

bool opt_target_address(const char *cmd, const char *url, char *host, size_t host_cap, char *port,
                        size_t port_cap) {
  const char *hp = strncmp(url, "tcp://", 6) == 0 ? url + 6 : NULL;
  const char *colon = hp ? strrchr(hp, ':') : NULL;
  if (colon == NULL || colon == hp || colon[1] == '\0') {
    fprintf(stderr, "tlsgauntlet %s: --target is tcp://HOST:PORT, not '%s'\n", cmd, url);
    return false;
  }
  bool bracket = hp[0] == '[' && colon[-1] == ']';
  int host_len = (int)(colon - hp) - (bracket ? 2 : 0);
  if (host_len <= 0 || (size_t)host_len >= host_cap || strchr(colon + 1, '/') != NULL ||
      (hp[0] == '[') != bracket) {
    fprintf(stderr, "tlsgauntlet %s: --target is tcp://HOST:PORT, not '%s'\n", cmd, url);
    return false;
  }
  long p;
  if (!opt_number(cmd, "the --target port", colon + 1, 1, 65535, &p))
    return false;
  snprintf(host, host_cap, "%.*s", host_len, hp + (bracket ? 1 : 0));
  snprintf(port, port_cap, "%ld", p);
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0 || res == NULL) {
    fprintf(stderr, "tlsgauntlet %s: --target %s: cannot resolve %s: %s\n", cmd, url, host,
            rc != 0 ? gai_strerror(rc) : "no address");
    return false;
  }
  freeaddrinfo(res);
  return true;
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name) {
  size_t len = strlen(name);
  if (argv[*i] == NULL || strncmp(argv[*i], name, len) != 0)
    return NULL;
  if (argv[*i][len] == '=')
    return argv[*i] + len + 1;
  if (argv[*i][len] != '\0' || *i + 1 >= argc)
    return NULL;
  return argv[++*i];
}

char *cli_join_args(const char *cmd, int argc, char **argv) {
  size_t len = strlen("tlsgauntlet ") + strlen(cmd) + 1;
  for (int i = 1; i < argc; i++)
    len += strlen(argv[i]) + 1;
  char *s = malloc(len);
  if (s == NULL)
    return NULL;
  size_t o = (size_t)snprintf(s, len, "tlsgauntlet %s", cmd);
  for (int i = 1; i < argc; i++)
    o += (size_t)snprintf(s + o, len - o, " %s", argv[i]);
  return s;
}

const char **cli_args_with_name(int argc, char **argv) {
  const char **args = calloc((size_t)argc + 2, sizeof *args);
  if (args == NULL)
    return NULL;
  args[0] = "tlsgauntlet";
  for (int i = 0; i < argc; i++)
    args[i + 1] = argv[i];
  return args;
}

int opt_default_jobs(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores < 1 ? 1 : cores > OPT_MAX_JOBS ? OPT_MAX_JOBS : (int)cores;
}
