/* tlsgauntlet: the command line. Each command lives in its own file; this one dispatches. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "scenario_cli.h"

static const char usage[] =
    "usage: tlsgauntlet COMMAND [OPTIONS]\n"
    "\n"
    "A TLS conformance and fuzzing harness.\n"
    "\n"
    "Commands:\n"
    "  run       play scenarios against implementations and print the verdict matrix\n"
    "  list      the scenarios, with the RFC section each checks\n"
    "  coverage  the RFC requirements (vectors/requirements) and the scenarios that check each\n"
    "  selftest  play the rejection scenarios against a permissive target: which cannot fail\n"
    "  decode    decode TLS records or handshake messages and print their structure\n"
    "  verify    validate a certificate chain with the built-in X.509 validator\n"
    "  peers     the peer adapters found, their versions and what they support\n"
    "  probe     probe a live TLS server and write its target profile (YAML)\n"
    "  merge     combine the JSON reports of a sharded run into one run\n"
    "  diff      what changed between two runs' JSON reports; exit 1 on a regression\n"
    "  baseline  write a baseline for an implementation from a run (--from RUN.json)\n"
    "  hunt      differential fuzzing: mutate scenarios, keep where implementations disagree\n"
    "  help      this text; 'tlsgauntlet COMMAND --help' for one command\n"
    "\n"

    "Exit status: 0 success, 1 an unexpected result, 2 bad usage or bad input.\n";

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("tlsgauntlet %s\n", TG_VERSION_STRING);
    return 0;
  }
  if (strcmp(cmd, "decode") == 0)
    return cmd_decode(argc - 1, argv + 1);
  if (strcmp(cmd, "verify") == 0)
    return cmd_verify(argc - 1, argv + 1);
  if (strcmp(cmd, "peers") == 0)
    return cmd_peers(argc - 1, argv + 1);
  if (strcmp(cmd, "run") == 0)
    return cmd_run(argc - 1, argv + 1);
  if (strcmp(cmd, "selftest") == 0)
    return cmd_selftest(argc - 1, argv + 1);
  if (strcmp(cmd, "probe") == 0)
    return cmd_probe(argc - 1, argv + 1);
  if (strcmp(cmd, "merge") == 0)
    return cmd_merge(argc - 1, argv + 1);
  if (strcmp(cmd, "diff") == 0)
    return cmd_diff(argc - 1, argv + 1);
  if (strcmp(cmd, "hunt") == 0)
    return cmd_hunt(argc - 1, argv + 1);
  if (strcmp(cmd, "baseline") == 0)
    return cmd_baseline(argc - 1, argv + 1);
  if (strcmp(cmd, "list") == 0)
    return cmd_list(argc - 1, argv + 1);
  if (strcmp(cmd, "coverage") == 0)
    return cmd_coverage(argc - 1, argv + 1);
  fprintf(stderr, "tlsgauntlet: unknown command '%s'\n\n%s", cmd, usage);
  return 2;
}
