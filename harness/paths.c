/* Where tlsgauntlet finds what it did not get on its command line: the scenarios (and, beside
 * them, the baselines, the target profiles and the requirement catalogue), the peer adapters,
 * and the test programs. Two layouts, both found from the directory of this program, so a moved
 * prefix or a DESTDIR install works:
 *
 *   build tree  BUILD/tlsgauntlet, BUILD/tg-peer-*, BUILD/test-peers/,
 *               SOURCE/vectors/{scenarios,baselines,targets,requirements}
 *               (BUILD a directory of SOURCE)
 *   installed   PREFIX/bin/tlsgauntlet, PREFIX/libexec/tlsgauntlet/tg-peer-*,
 *               PREFIX/libexec/tlsgauntlet/test-peers/,
 *               PREFIX/share/tlsgauntlet/{scenarios,baselines,targets,requirements}
 *
 * The adapters are not in PREFIX/bin: they are the harness's programs (and with test-peers/ below
 * them, {bin} of a command target means one directory in both layouts).
 *
 * CMake passes the installed directories relative to the binary's (GNUInstallDirs). */
#define _GNU_SOURCE /* realpath */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "scenario_cli.h"

#ifndef TG_REL_DATADIR
#define TG_REL_DATADIR "../share/tlsgauntlet"
#endif
#ifndef TG_REL_LIBEXECDIR
#define TG_REL_LIBEXECDIR "../libexec/tlsgauntlet"
#endif

#define SCENARIOS_IN_SOURCE "../vectors/scenarios"
#define SCENARIOS_INSTALLED TG_REL_DATADIR "/scenarios"

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of the executable: argv0's when it holds a '/', else /proc/self/exe's. */
static bool exe_dir_of(const char *argv0, char *buf, size_t len) {
  char exe[PATH_MAX];
  bool found = false;
  if (argv0 != NULL && strchr(argv0, '/') != NULL)
    found = realpath(argv0, exe) != NULL;
  if (!found) {
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    found = n > 0;
    if (found)
      exe[n] = '\0';
  }
  char *slash = found ? strrchr(exe, '/') : NULL;
  if (slash == NULL || (size_t)(slash - exe) >= len)
    return false;
  *slash = '\0';
  memcpy(buf, exe, (size_t)(slash - exe) + 1);
  return true;
}

/* DIR/REL canonical into buf when it is a directory. */
static bool sub_dir(const char *dir, const char *rel, char *buf, size_t cap) {
  char path[PATH_MAX * 2], canon[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  if (!is_dir(path) || realpath(path, canon) == NULL || strlen(canon) >= cap)
    return false;
  memcpy(buf, canon, strlen(canon) + 1);
  return true;
}

const char *sc_default_dir(const char *argv0, char *buf, size_t cap) {
  const char *env = getenv("TG_SCENARIOS");
  if (env != NULL && env[0] != '\0') {
    snprintf(buf, cap, "%s", env);
    return buf;
  }
  if (is_dir("vectors/scenarios")) {
    snprintf(buf, cap, "vectors/scenarios");
    return buf;
  }
  char exe[PATH_MAX];
  if (!exe_dir_of(argv0, exe, sizeof exe))
    return NULL;
  if (sub_dir(exe, SCENARIOS_IN_SOURCE, buf, cap) || sub_dir(exe, SCENARIOS_INSTALLED, buf, cap))
    return buf;
  return NULL;
}

const char *rq_default_dir(const char *scen_dir, char *buf, size_t cap) {
  return scen_dir != NULL && sub_dir(scen_dir, "../requirements", buf, cap) ? buf : NULL;
}

bool harness_program_dir(char *buf, size_t len) {
  char exe[PATH_MAX];
  if (!exe_dir_of(NULL, exe, sizeof exe))
    return false;
  if (sub_dir(exe, TG_REL_LIBEXECDIR, buf, len))
    return true;
  snprintf(buf, len, "%s", exe);
  return strlen(exe) < len;
}

size_t harness_peer_dirs(char dirs[][PATH_MAX], size_t max) {
  size_t n = 0;
  if (n < max && harness_program_dir(dirs[n], PATH_MAX))
    n++;
  const char *extra = getenv("TG_PEER_DIR");
  if (n < max && extra != NULL && extra[0] != '\0' && strlen(extra) < PATH_MAX)
    snprintf(dirs[n++], PATH_MAX, "%s", extra);
  return n;
}

bool harness_adapter_path(const char *impl, char *buf, size_t len) {
  char dirs[2][PATH_MAX];
  size_t n = harness_peer_dirs(dirs, 2);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    int w = snprintf(buf, len, "%s/tg-peer-%s", dirs[i], impl);
    if (w > 0 && (size_t)w < len && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
        access(buf, X_OK) == 0)
      return true;
  }
  return false;
}
