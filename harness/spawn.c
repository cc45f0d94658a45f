/* Helper processes that never outlive tlsgauntlet (spawn.h). */
#define _GNU_SOURCE
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LIVE 1024 /* children alive at once: --jobs is at most 256, each with one or two */

/* The children spawn_fork started and spawn_forget has not forgotten. The signal handler reads
 * the slots without the lock: each is one sig_atomic_t-sized store. */
static volatile pid_t live[MAX_LIVE];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void on_signal(int sig) {
  for (size_t i = 0; i < MAX_LIVE; i++) {
    pid_t p = live[i];
    if (p > 0) {
      kill(-p, SIGKILL);
      kill(p, SIGKILL);
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void init_once(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old;
    /* An ignored signal (nohup) stays ignored. */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
  }
}

void spawn_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_once);
}

pid_t spawn_fork(void) {
  spawn_init();
  pid_t parent = getpid();
  pthread_mutex_lock(&lock); /* a sweep must not take the new child for an orphan */
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != parent) /* the parent died before the death signal was set */
      _exit(127);
    return 0;
  }
  if (pid > 0) {
    setpgid(pid, pid); /* as the child does: whichever runs first */
    for (size_t i = 0; i < MAX_LIVE; i++)
      if (live[i] == 0) {
        live[i] = pid;
        break;
      }
  }
  pthread_mutex_unlock(&lock);
  return pid;
}

void spawn_kill(pid_t pid) {
  if (pid > 0) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
}

void spawn_forget(pid_t pid) {
  if (pid <= 0)
    return;
  if (kill(-pid, 0) == 0) { /* what the child left in its group */
    kill(-pid, SIGKILL);
    while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
      ;
  }
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < MAX_LIVE; i++)
    if (live[i] == pid)
      live[i] = 0;
  pthread_mutex_unlock(&lock);
}

static bool is_live(pid_t pid) {
  for (size_t i = 0; i < MAX_LIVE; i++)
    if (live[i] == pid)
      return true;
  return false;
}

/* The parent pid of /proc/PID/stat: the field after the command name, which may hold spaces
 * and parentheses, so it is found after the last ')'. */
static pid_t parent_of(const char *pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%s/stat", pid);
  FILE *f = fopen(path, "re");
  if (f == NULL)
    return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *close_paren = strrchr(buf, ')');
  int ppid = -1;
  if (close_paren == NULL || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
    return -1;
  return ppid;
}

/* One pass: true when an orphan was found (killing it may reparent its own children here). */
static bool sweep_once(void) {
  DIR *d = opendir("/proc");
  if (d == NULL)
    return false;
  pid_t self = getpid();
  bool found = false;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || parent_of(e->d_name) != self || is_live((pid_t)pid))
      continue;
    found = true;
    kill((pid_t)pid, SIGKILL);
    while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  closedir(d);
  return found;
}

void spawn_sweep(void) {
  pthread_mutex_lock(&lock);
  for (int pass = 0; pass < 16 && sweep_once(); pass++)
    ;
  pthread_mutex_unlock(&lock);
}
