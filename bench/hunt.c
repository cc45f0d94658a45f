/* bench_hunt: what hunt's guidance is worth (docs/hunting.md, "Guidance"). Runs `tlsgauntlet hunt`
 * twice for the same time, with the same random seed, seeds and implementations: once guided
 * (mutants that did something new are grown further), once with pure random mutation (every
 * mutant fresh from a seed), and prints the disagreement classes each found per hour, and the
 * ratio.
 *
 *   bench_hunt [MINUTES_EACH] [RANDOM_SEED] [--peer NAME ...]
 *   (default 5 minutes, seed 1, peers builtin gnutls openssl boringssl)
 *
 * One hunt runs at a time, with --jobs 2. Classes per hour over a few minutes move with the
 * seed: compare runs of the same length, and prefer longer ones. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct outcome {
  long classes, mutants;
  double seconds;
} outcome;

static int hunt(const char *strategy, const char *minutes, const char *seed, char **peers,
                size_t n_peers, const char *out, outcome *o) {
  char tg[4096];
  snprintf(tg, sizeof tg, "%s/tlsgauntlet", TG_BINARY_DIR);
  const char *argv[64] = {
      tg,        "hunt",   "--strategy", strategy,      "--minutes",
      minutes,   "--seed", seed,         "--jobs",      "2",
      "--quiet", "--out",  out,          "--scenarios", TG_SOURCE_DIR "/vectors/scenarios"};
  size_t argc = 15;
  for (size_t i = 0; i < n_peers && argc + 3 < 64; i++) {
    argv[argc++] = "--peer";
    argv[argc++] = peers[i];
  }
  argv[argc] = NULL;
  int status;
  pid_t pid = fork(); /* (<spawn.h> is shadowed by harness/spawn.h on this include path) */
  if (pid == 0) {
    execv(tg, (char **)argv);
    _exit(127);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench_hunt: %s hunt failed\n", strategy);
    return 1;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/report.json", out);
  json_t *j = json_load_file(path, 0, NULL);
  if (j == NULL) {
    fprintf(stderr, "bench_hunt: cannot read %s\n", path);
    return 1;
  }
  o->classes = (long)json_array_size(json_object_get(j, "classes"));
  o->mutants = (long)json_integer_value(json_object_get(j, "mutants"));
  o->seconds = json_number_value(json_object_get(j, "seconds"));
  json_decref(j);
  return 0;
}

int main(int argc, char **argv) {
  const char *minutes = argc > 1 ? argv[1] : "5", *seed = argc > 2 ? argv[2] : "1";
  char *defaults[] = {"builtin", "gnutls", "openssl", "boringssl"};
  char *peers[16];
  size_t n_peers = 0;
  for (int i = 3; i + 1 < argc && n_peers < 16; i += 2)
    if (strcmp(argv[i], "--peer") == 0)
      peers[n_peers++] = argv[i + 1];
  if (n_peers == 0)
    for (size_t i = 0; i < 4; i++)
      peers[n_peers++] = defaults[i];
  char dir[] = "/tmp/bench_hunt.XXXXXX";
  if (mkdtemp(dir) == NULL)
    return 1;
  const char *strategies[2] = {"guided", "random"};
  outcome o[2] = {0};
  for (int s = 0; s < 2; s++) {
    char out[64];
    snprintf(out, sizeof out, "%s/%s", dir, strategies[s]);
    fprintf(stderr, "bench_hunt: %s, %s minutes...\n", strategies[s], minutes);
    if (hunt(strategies[s], minutes, seed, peers, n_peers, out, &o[s]) != 0)
      return 1;
  }
  printf("hunt, %s minutes each, random seed %s, peers", minutes, seed);
  for (size_t i = 0; i < n_peers; i++)
    printf(" %s", peers[i]);
  printf("\n%-8s %9s %9s %9s %12s\n", "strategy", "mutants", "per s", "classes", "classes/h");
  double rate[2];
  for (int s = 0; s < 2; s++) {
    rate[s] = o[s].seconds > 0 ? (double)o[s].classes * 3600.0 / o[s].seconds : 0;
    printf("%-8s %9ld %9.1f %9ld %12.0f\n", strategies[s], o[s].mutants,
           o[s].seconds > 0 ? (double)o[s].mutants / o[s].seconds : 0.0, o[s].classes, rate[s]);
  }
  if (rate[1] > 0)
    printf("guided / random: %.2fx classes per hour\n", rate[0] / rate[1]);
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf %s", dir);
  return system(rm) == 0 ? 0 : 1;
}
