/* Helper processes that never outlive tlsgauntlet (spawn.h). */
#define _GNU_SOURCE
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
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

static const int trapped[] = {SIGINT, SIGTERM, SIGHUP};
#define N_TRAPPED (sizeof trapped / sizeof trapped[0])

static void init_once(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < N_TRAPPED; i++) {
    struct sigaction old;
    /* An ignored signal (nohup) stays ignored. */
    if (sigaction(trapped[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(trapped[i], &sa, NULL);
  }
}

void spawn_child_untrap(void) {
  for (size_t i = 0; i < N_TRAPPED; i++) {
    struct sigaction old;
    if (sigaction(trapped[i], NULL, &old) == 0 && old.sa_handler == on_signal)
      signal(trapped[i], SIG_DFL);
  }
}

void spawn_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_once);
}

/* AddressSanitizer's allocator, around fork. A child that runs on without exec (the in-process
 * target: runner_peer.c) allocates, and clang-14's runtime does not lock its allocator around
 * fork (later runtimes do, in their own fork handler): a lock another thread of the runner held
 * at the fork would stay held in the child forever, and its run would time out. So it is locked
 * here, through the runtime's own functions for it (its leak checker's), when they are linked:
 * weak references, absent from other sanitizer runtimes and from an unsanitized build. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TG_ASAN_FORK_LOCK 1
#endif
#endif
#ifdef TG_ASAN_FORK_LOCK
void _ZN6__lsan13LockAllocatorEv(void) __attribute__((weak));   /* __lsan::LockAllocator */
void _ZN6__lsan15UnlockAllocatorEv(void) __attribute__((weak)); /* __lsan::UnlockAllocator */
static void sanitizer_lock(void) {
  if (_ZN6__lsan13LockAllocatorEv != NULL && _ZN6__lsan15UnlockAllocatorEv != NULL)
    _ZN6__lsan13LockAllocatorEv();
}
static void sanitizer_unlock(void) {
  if (_ZN6__lsan13LockAllocatorEv != NULL && _ZN6__lsan15UnlockAllocatorEv != NULL)
    _ZN6__lsan15UnlockAllocatorEv();
}
#else
static void sanitizer_lock(void) {}
static void sanitizer_unlock(void) {}
#endif

pid_t spawn_fork(void) {
  spawn_init();
  pid_t parent = getpid();
  pthread_mutex_lock(&lock); /* a sweep must not take the new child for an orphan */
  sanitizer_lock();
  pid_t pid = fork();
  sanitizer_unlock(); /* in the parent and in the child */
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

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* After the program exited, how long what it wrote is still read: enough for the pipe's last
 * bytes, short beside any deadline. */
#define DRAIN_MS 50

spawn_end spawn_capture(char *const argv[], bool with_stderr, int timeout_ms, char *out, size_t cap,
                        int *code) {
  int fds[2];
  out[0] = '\0';
  *code = 0;
  if (pipe2(fds, O_CLOEXEC) != 0)
    return snprintf(out, cap, "pipe: %s", strerror(errno)), SPAWN_FAILED;
  pid_t pid = spawn_fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    dup2(with_stderr ? fds[1] : null, STDERR_FILENO);
    execv(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return snprintf(out, cap, "fork: %s", strerror(errno)), SPAWN_FAILED;
  }
  size_t len = 0;
  int status = 0;
  pid_t ended = 0;
  int64_t deadline = mono_ms() + timeout_ms, stop = deadline;
  for (bool eof = false; !eof;) {
    if (ended == 0 && (ended = waitpid(pid, &status, WNOHANG)) > 0)
      stop = mono_ms() + DRAIN_MS < deadline ? mono_ms() + DRAIN_MS : deadline;
    int64_t left = stop - mono_ms();
    if (left <= 0)
      break;
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    /* While it runs, poll in short turns so that its exit is seen though the pipe stays open. */
    int rc = poll(&pfd, 1, (int)(ended == 0 && left > DRAIN_MS ? DRAIN_MS : left));
    if (rc <= 0)
      continue; /* EINTR, or a turn without output */
    char chunk[4096];
    ssize_t got = read(fds[0], chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    eof = got <= 0; /* EOF, or an error, which ends the output just the same */
    size_t keep = got > 0 ? (size_t)got : 0;
    keep = keep < cap - 1 - len ? keep : cap - 1 - len;
    memcpy(out + len, chunk, keep);
    len += keep;
  }
  close(fds[0]);
  out[len] = '\0';
  /* It may close its output and go on running: its exit is bounded by the deadline too. */
  while (ended == 0 && (ended = waitpid(pid, &status, WNOHANG)) == 0 && mono_ms() < deadline)
    nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL);
  if (ended <= 0) {
    spawn_kill(pid);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
  }
  spawn_forget(pid); /* what it left behind, in its group or not */
  spawn_sweep();
  if (ended <= 0)
    return SPAWN_TIMEOUT;
  if (WIFSIGNALED(status))
    return *code = WTERMSIG(status), SPAWN_SIGNALED;
  return *code = WEXITSTATUS(status), SPAWN_EXITED;
}

void spawn_sweep_now_and_then(void) {
  static int64_t last; /* under lock */
  int64_t now = mono_ms();
  pthread_mutex_lock(&lock);
  bool due = last == 0 || now - last >= SPAWN_SWEEP_GAP_MS;
  if (due)
    last = now;
  pthread_mutex_unlock(&lock);
  if (due)
    spawn_sweep();
}
