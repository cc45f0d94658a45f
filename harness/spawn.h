/* Starting helper processes (peer adapters, command targets, library tools) so that none
 * outlives the command that started it, however it ends:
 *  - each child leads its own process group, which is killed as a whole;
 *  - each child gets SIGKILL when tlsgauntlet dies (PR_SET_PDEATHSIG), even by SIGKILL;
 *  - tlsgauntlet is the subreaper of everything below it (PR_SET_CHILD_SUBREAPER), so a
 *    grandchild that left the group (setsid) comes back to it when its parent dies, and
 *    spawn_sweep kills and reaps it;
 *  - SIGINT, SIGTERM and SIGHUP kill the groups of the children alive before tlsgauntlet ends. */
#ifndef TG_HARNESS_SPAWN_H
#define TG_HARNESS_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* At the start of a command that starts processes: subreaper and signal handlers (once). */
void spawn_init(void);
/* fork() for a child that will exec: in the child (0 returned) it is already in its own group
 * with the death signal set, so only async-signal-safe calls may follow until exec. The parent
 * gets the pid (registered as a live child until spawn_forget), or -1. */
pid_t spawn_fork(void);
/* In a child of spawn_fork that runs on without exec: SIGINT, SIGTERM and SIGHUP back to their
 * default action (spawn_init's handler would kill the parent's other children), as exec does. */
void spawn_child_untrap(void);
/* SIGKILL to the child's group and to the child. */
void spawn_kill(pid_t pid);
/* After the child was reaped: kills what is left of its group and reaps it, then forgets it. */
void spawn_forget(pid_t pid);
/* Kills and reaps every child of this process that spawn_fork did not start (orphans of the
 * children's children, reparented here). It walks /proc: a few milliseconds. */
void spawn_sweep(void);
/* spawn_sweep at most once per SPAWN_SWEEP_GAP_MS, for a caller that ends helpers by the
 * thousand (the runner, after each scenario): orphans do not pile up over a long run, and the walk
 * does not cost a sixth of it. A command ends with a full spawn_sweep. */
#define SPAWN_SWEEP_GAP_MS 100
void spawn_sweep_now_and_then(void);

/* How spawn_capture's program ended. */
typedef enum spawn_end {
  SPAWN_EXITED,   /* *code: its exit status */
  SPAWN_SIGNALED, /* *code: the signal */
  SPAWN_TIMEOUT,  /* still running at the deadline: killed */
  SPAWN_FAILED,   /* not started (out: "pipe: ..." or "fork: ...") */
} spawn_end;

/* Runs argv[0] with argv, stdin from /dev/null, stdout (and stderr too when with_stderr, else
 * /dev/null) into out, NUL-terminated and truncated to cap, for at most timeout_ms; then kills
 * what is left of it (its group, and orphans: spawn_forget, spawn_sweep). The output ends at EOF
 * or shortly after the program exits, whichever comes first: a child it left behind holding the
 * pipe does not keep the caller waiting until the deadline. */
spawn_end spawn_capture(char *const argv[], bool with_stderr, int timeout_ms, char *out, size_t cap,
                        int *code);

#endif
