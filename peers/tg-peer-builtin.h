/* tg-peer-builtin as a function: the program's main is a call to it (tg-peer-builtin-main.c),
 * and tlsgauntlet links the same code to play the built-in target in a forked child without an
 * exec (harness/runner_peer.c), which saves the cost of starting a program per run.
 *
 * The function is the whole program: it parses argv as the command line (argv[0] the program's
 * name), writes the outcome line on stdout, and returns the exit status (peers/README.md). It
 * keeps state in static variables (the session cache of a --listen server, --rsa-kx), so a
 * process calls it once: the runner calls it only in a fresh child. */
#ifndef TG_PEERS_TG_PEER_BUILTIN_H
#define TG_PEERS_TG_PEER_BUILTIN_H

int tg_peer_builtin_main(int argc, char **argv);

#endif
