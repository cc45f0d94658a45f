/* The target's process: tg-peer-NAME started for one run over a socketpair (its fd 3), in its
 * own process group so that a hung adapter (and anything it started) dies with one kill; its
 * stdout (the JSON outcome line) and stderr (a sanitizer report) collected. This build's
 * tg-peer-builtin is the same without the exec: the forked child calls its main function
 * (run_in_child), which saves a program start per run. */
#define _GNU_SOURCE /* memmem, accept4, pipe2, close_range */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "impls.h"
#include "runner_internal.h"
#include "spawn.h"
#include "tg-peer-builtin.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

#define MAX_ARGS 48
#define ERR_KEEP (32 * 1024)

/* ---- The command line --------------------------------------------------------------------- */

typedef struct argv_buf {
  char *argv[MAX_ARGS + 1];
  size_t n;
  char text[8192];
  size_t used;
} argv_buf;

static void arg(argv_buf *a, const char *s) {
  size_t len = strlen(s) + 1;
  if (a->n >= MAX_ARGS || a->used + len > sizeof a->text)
    return;
  memcpy(a->text + a->used, s, len);
  a->argv[a->n++] = a->text + a->used;
  a->used += len;
}

static void arg_file(argv_buf *a, const char *flag, const run_env *env, const char *name,
                     const char *ext) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.%s", env->certs_dir, name, ext);
  arg(a, flag);
  arg(a, path);
}

/* "--ciphers A,B": names only (an adapter knows nothing else); an unnamed value is written as
 * 0xNNNN, which the adapter refuses with exit 3 or 2. */
static void arg_list(argv_buf *a, const char *flag, const sc_u16_list *l,
                     const char *(*name)(unsigned)) {
  if (l->n == 0)
    return;
  char buf[1024];
  size_t used = 0;
  for (size_t i = 0; i < l->n && used < sizeof buf - 16; i++) {
    const char *nm = name(l->v[i]);
    used +=
        (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "", nm ? nm : "0x????");
  }
  arg(a, flag);
  arg(a, buf);
}

#define ADAPTER_GRACE_MS 2000 /* beyond half the run's deadline again: the adapter's own */

static void build_args(argv_buf *a, const sc_scenario *s, const run_target *t, const run_env *env) {
  const sc_target_opts *o = &s->target_opts;
  bool server = s->target == SC_TARGET_SERVER;
  char num[32];
  arg(a, t->peer_path);
  arg(a, "--role");
  arg(a, server ? "server" : "client");
  arg(a, "--fd");
  arg(a, "3");
  arg(a, "--echo");
  /* The adapter's own deadline comes well after the run's: the run's decides a timeout. With
   * the two equal, an adapter that gave up first closed the connection (a quiet peer gets a
   * close_notify at the timeout, peers/README.md), and on a loaded machine the script could read
   * that close before its own deadline passed: a close, or a pass of `expect: close`, where the
   * target had in truth done nothing. */
  int run_ms = t->timeout_ms > 0 ? t->timeout_ms : s->timeout_ms;
  snprintf(num, sizeof num, "%d", run_ms + run_ms / 2 + ADAPTER_GRACE_MS);
  arg(a, "--timeout-ms");
  arg(a, num);
  if (o->min_version) {
    arg(a, "--min-version");
    arg(a, o->min_version == 0x0304 ? "1.3" : o->min_version == 0x0303 ? "1.2" : "1.0");
  }
  if (o->max_version) {
    arg(a, "--max-version");
    arg(a, o->max_version == 0x0304 ? "1.3" : o->max_version == 0x0303 ? "1.2" : "1.0");
  }
  arg_list(a, "--ciphers", &o->ciphers, tg_cipher_suite_name);
  arg_list(a, "--groups", &o->groups, tg_group_name);
  arg_list(a, "--sigalgs", &o->sigalgs, tg_sig_scheme_name);
  const char *cert = o->cert ? o->cert : (server ? "server" : NULL);
  if (cert != NULL && strcmp(cert, "none") != 0) {
    arg_file(a, "--cert", env, cert, "pem");
    arg_file(a, "--key", env, cert, "key");
  }
  if (o->no_verify)
    arg(a, "--no-verify");
  else
    arg_file(a, "--trust", env, o->trust ? o->trust : "root", "pem");
  if (!server) {
    arg(a, "--verify-name");
    arg(a, o->verify_name ? o->verify_name : "server.test");
    arg(a, "--sni"); /* the name verified, unless the scenario sends another */
    arg(a, o->sni ? o->sni : o->verify_name ? o->verify_name : "server.test");
  }
  if (o->require_client_cert)
    arg(a, "--require-client-cert");
  if (o->request_client_cert)
    arg(a, "--request-client-cert");
  if (o->alpn != NULL) {
    arg(a, "--alpn");
    arg(a, o->alpn);
  }
  if (o->key_update)
    arg(a, "--key-update");
  if (o->require_ems)
    arg(a, "--require-ems");
  if (o->ems_optional)
    arg(a, "--ems-optional");
  if (o->x509_profile != TG_X509_PROFILE_RFC5280) {
    arg(a, "--profile");
    arg(a, tg_x509_profile_name((tg_x509_profile)o->x509_profile));
  }
  for (const char *const *x = env->extra_args; x != NULL && *x != NULL; x++)
    arg(a, *x); /* --ticket-key, --sess-in, --sess-out of a resumed scenario */
  a->argv[a->n] = NULL;
}

void peer_describe_args(strbuf *b, const sc_scenario *s, const run_target *t, const run_env *env) {
  argv_buf a = {0};
  build_args(&a, s, t, env);
  for (size_t i = 0; i < a.n; i++)
    sb_printf(b, "%s%s", i ? " " : "", a.argv[i]);
  sb_printf(b, "%s\n", t->in_process ? " (in-process fork)" : "");
}

/* ---- The process -------------------------------------------------------------------------- */

/* The runner is the subreaper of what its adapters start (spawn.h), so a process an adapter
 * left behind, in its process group or in a session of its own, comes back to the runner when
 * the adapter is gone: it is killed and reaped here (at most every SPAWN_SWEEP_GAP_MS; the
 * command's own sweep at its end takes the rest), so nothing piles up over a run and nothing
 * outlives it. */
static void reap_group(const peer_proc *p) {
  spawn_forget(p->pid);
  spawn_sweep_now_and_then();
}

/* The in-process target, in the child of spawn_fork, instead of exec (runner_target_in_process):
 * the child is a copy of one thread of the runner, so it first makes the process that exec would
 * have made. Only fds 0-3 stay open: every other descriptor of the runner (another job's socket
 * or pipes, whose EOF would then never come) is closed, as exec closes them (all are
 * close-on-exec), and the rest too. Fresh stdio streams for 0-2: another thread may hold a lock
 * of the runner's stdout or stderr, which fork copied locked, and their buffers hold the runner's
 * output. glibc's fork leaves malloc and the list of streams usable in the child; nothing here
 * takes a lock of the runner's. The status is the exit status, flushed first; the runner's
 * atexit handlers and buffers are not run (_exit). */
static _Noreturn void run_in_child(int (*main_fn)(int, char **), char *const argv[]) {
  for (int fd = 0; fd < 3; fd++) { /* one the runner had closed, now a close-on-exec fd */
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC))
      close(fd);
  }
  if (close_range(4, ~0U, 0) != 0)
    for (long fd = 4, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
      close((int)fd);
  spawn_child_untrap();
  stdin = fdopen(0, "r");
  stdout = fdopen(1, "w");
  stderr = fdopen(2, "w");
  if (stdout == NULL || stderr == NULL) {
    static const char m[] = "tlsgauntlet: cannot open the in-process target's stdio\n";
    ssize_t ignored = write(2, m, sizeof m - 1);
    (void)ignored;
    _exit(127);
  }
  setvbuf(stderr, NULL, _IONBF, 0); /* as a program's stderr */
  int argc = 0;
  while (argv[argc] != NULL)
    argc++;
  int status = main_fn(argc, (char **)argv);
  fflush(stdout);
  _exit(status);
}

/* Forks argv in its own process group: sock (>= 0) as its fd 3, stdin a pipe when stdin_pipe,
 * stdout and stderr into pipes. With main_fn, the child calls main_fn(argc, argv) instead of
 * exec'ing argv[0] (run_in_child). */
static bool spawn(peer_proc *p, char *const argv[], int sock, bool stdin_pipe,
                  int (*main_fn)(int, char **)) {
  int out[2], err[2], in[2] = {-1, -1};
  *p = (peer_proc){.in_fd = -1, .out_fd = -1, .err_fd = -1};
  if (pipe2(out, O_CLOEXEC) != 0)
    return false;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]);
    return false;
  }
  if (stdin_pipe && pipe2(in, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]), close(err[0]), close(err[1]);
    return false;
  }
  pid_t pid = spawn_fork();
  if (pid == 0) {
    /* The child: only async-signal-safe calls until exec (the parent may have threads). */
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (in[0] >= 0)
      dup2(in[0], 0);
    if (sock == 3)
      fcntl(3, F_SETFD, 0);
    else if (sock >= 0)
      dup2(sock, 3);
    if (main_fn != NULL)
      run_in_child(main_fn, argv);
    execv(argv[0], argv);
    static const char m[] = "tlsgauntlet: cannot execute the target\n";
    ssize_t ignored = write(2, m, sizeof m - 1);
    (void)ignored;
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (in[0] >= 0)
    close(in[0]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    if (in[1] >= 0)
      close(in[1]);
    return false;
  }
  p->pid = pid;
  p->in_fd = in[1];
  p->out_fd = out[0];
  p->err_fd = err[0];
  fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
  return true;
}

bool peer_start(peer_proc *p, const sc_scenario *s, const run_target *t, const run_env *env,
                int sock, char *msg, size_t msglen) {
  argv_buf a = {0};
  build_args(&a, s, t, env);
  if (spawn(p, a.argv, sock, false, t->in_process ? tg_peer_builtin_main : NULL))
    return true;
  snprintf(msg, msglen, "cannot start %s: %s", t->peer_path, strerror(errno));
  return false;
}

bool cmd_start(peer_proc *p, const char *cmdline, char *msg, size_t msglen) {
  char *argv[] = {"/bin/sh", "-c", (char *)cmdline, NULL};
  if (spawn(p, argv, -1, true, NULL))
    return true;
  snprintf(msg, msglen, "cannot start the target command: %s", strerror(errno));
  return false;
}

static void drain_fd(int *fd, strbuf *b, size_t keep) {
  char buf[4096];
  while (*fd >= 0) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n > 0) {
      sb_printf(b, "%.*s", (int)n, buf);
      if (b->len > 2 * keep) { /* keep the tail: a sanitizer report ends the output */
        memmove(b->p, b->p + b->len - keep, keep + 1);
        b->len = keep;
      }
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      return;
    close(*fd); /* end of file, or an error: nothing more will come */
    *fd = -1;
  }
}

void peer_drain(peer_proc *p) {
  drain_fd(&p->out_fd, &p->out, 64 * 1024);
  drain_fd(&p->err_fd, &p->err, ERR_KEEP);
}

static bool reap(peer_proc *p, int flags) {
  if (p->exited)
    return true;
  pid_t r;
  do
    r = waitpid(p->pid, &p->status, flags);
  while (r < 0 && errno == EINTR);
  if (r == p->pid || (r < 0 && errno == ECHILD))
    p->exited = true;
  return p->exited;
}

bool peer_exited(peer_proc *p) { return p->pid > 0 && reap(p, WNOHANG); }

void peer_finish(peer_proc *p, int grace_ms) {
  if (p->pid <= 0)
    return;
  int64_t deadline = runner_now_ms() + grace_ms;
  while (!reap(p, WNOHANG) && runner_now_ms() < deadline) {
    peer_drain(p);
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (p->in_fd >= 0) {
    close(p->in_fd);
    p->in_fd = -1;
  }
  if (!p->exited) {
    spawn_kill(p->pid);
    p->killed = true;
    reap(p, 0);
  }
  reap_group(p);
  /* Whatever it left in the pipes (it has exited: the reads end). */
  if (p->out_fd >= 0)
    fcntl(p->out_fd, F_SETFL, 0);
  if (p->err_fd >= 0)
    fcntl(p->err_fd, F_SETFL, 0);
  peer_drain(p);
}

/* ---- Its report --------------------------------------------------------------------------- */

static bool sanitizer_report(const strbuf *err) {
  static const char *const marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                      "runtime error:", "ERROR: MemorySanitizer",
                                      "WARNING: ThreadSanitizer"};
  for (size_t i = 0; err->p != NULL && i < sizeof marks / sizeof marks[0]; i++)
    if (strstr(err->p, marks[i]) != NULL)
      return true;
  return false;
}

static void read_json(const peer_proc *p, peer_report *r) {
  if (p->out.p == NULL)
    return;
  /* The outcome is the last line that parses as a JSON object. (strtok_r: runs go on in
   * several threads at once.) */
  char *copy = strdup(p->out.p), *save = NULL;
  for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    json_t *j = json_loads(line, 0, NULL);
    if (!json_is_object(j)) {
      json_decref(j);
      continue;
    }
    r->have_json = true;
    r->established = json_is_true(json_object_get(j, "result")) ||
                     (json_is_string(json_object_get(j, "result")) &&
                      strcmp(json_string_value(json_object_get(j, "result")), "established") == 0);
    json_t *as = json_object_get(j, "alert_sent"), *ar = json_object_get(j, "alert_received");
    unsigned v;
    r->alert_sent = json_is_string(as) && tg_alert_by_name(json_string_value(as), &v) ? (int)v
                    : json_is_integer(as) ? (int)json_integer_value(as)
                                          : -1;
    r->alert_received = json_is_string(ar) && tg_alert_by_name(json_string_value(ar), &v) ? (int)v
                        : json_is_integer(ar) ? (int)json_integer_value(ar)
                                              : -1;
    json_t *e = json_object_get(j, "error");
    snprintf(r->error, sizeof r->error, "%s", json_is_string(e) ? json_string_value(e) : "");
    json_t *lib = json_object_get(j, "implementation"), *ver = json_object_get(j, "version");
    snprintf(r->library, sizeof r->library, "%s",
             json_is_string(lib) ? json_string_value(lib) : "");
    snprintf(r->library_version, sizeof r->library_version, "%s",
             json_is_string(ver) ? json_string_value(ver) : "");
    json_decref(j);
  }
  free(copy);
}

void peer_report_read(const peer_proc *p, peer_report *r) {
  *r = (peer_report){.alert_sent = -1, .alert_received = -1};
  read_json(p, r);
  if (!p->exited)
    return;
  if (WIFSIGNALED(p->status) && !p->killed) {
    r->crashed = true;
    snprintf(r->why, sizeof r->why, "killed by signal %d (%s)", WTERMSIG(p->status),
             strsignal(WTERMSIG(p->status)));
  } else if (sanitizer_report(&p->err)) {
    r->crashed = true;
    snprintf(r->why, sizeof r->why, "sanitizer report on stderr");
  } else if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 3) {
    r->unsupported = true;
    /* Its stderr says which ("tg-peer-NAME: unsupported: --require-ems: ..."). */
    const char *u = p->err.p ? strstr(p->err.p, "unsupported: ") : NULL;
    if (u != NULL)
      snprintf(r->why, sizeof r->why, "the adapter cannot express an option: %.*s",
               (int)strcspn(u + 13, "\n"), u + 13);
    else
      snprintf(r->why, sizeof r->why, "the adapter cannot express an option (exit 3)");
  } else if (WIFEXITED(p->status) && WEXITSTATUS(p->status) >= 2) {
    r->usage = true;
    snprintf(r->why, sizeof r->why, "the adapter exited %d", WEXITSTATUS(p->status));
  }
}

/* ---- What the adapter speaks ---------------------------------------------------------------- */

#define INFO_TIMEOUT_MS 2000
#define INFO_MAX 65536

uint16_t runner_peer_max_version(const char *peer_path) {
  char *out = malloc(INFO_MAX);
  if (out == NULL)
    return 0;
  char *argv[] = {(char *)peer_path, "--info", NULL};
  int code;
  uint16_t best = 0;
  if (spawn_capture(argv, false, INFO_TIMEOUT_MS, out, INFO_MAX, &code) == SPAWN_EXITED &&
      code == 0) {
    json_t *j = json_loads(out, JSON_DISABLE_EOF_CHECK, NULL);
    json_t *versions = json_object_get(j, "versions");
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v) {
      /* The outcome line's names (peers/README.md): "TLSv1.0" for 0x0301 ... "TLSv1.3". */
      const char *name = json_string_value(v);
      uint16_t ver = 0;
      for (unsigned minor = 0; name != NULL && minor <= 3; minor++) {
        char want[16];
        snprintf(want, sizeof want, "TLSv1.%u", minor);
        if (strcmp(name, want) == 0)
          ver = (uint16_t)(0x0301 + minor);
      }
      if (ver > best)
        best = ver;
    }
    json_decref(j);
  }
  free(out);
  return best;
}

bool runner_adapter_target(const char *value, char *path, size_t path_len, int timeout_ms,
                           run_target *t, char *why, size_t why_len) {
  /* A path names an adapter anywhere: .../tg-peer-NAME is implementation NAME. */
  const char *slash = strrchr(value, '/');
  if (slash != NULL) {
    const char *base = strncmp(slash + 1, "tg-peer-", 8) == 0 ? slash + 9 : slash + 1;
    struct stat st;
    if (stat(value, &st) != 0 || !S_ISREG(st.st_mode) || access(value, X_OK) != 0) {
      snprintf(why, why_len, "--peer %s is not an executable file", value);
      return false;
    }
    if (*base == '\0') {
      snprintf(why, why_len, "--peer %s names no implementation (tg-peer-NAME)", value);
      return false;
    }
    snprintf(path, path_len, "%s", value);
    /* An adapter the registry does not know says what it speaks itself (--info). */
    const tg_impl *reg = tg_impl_find(base);
    *t = (run_target){.name = base,
                      .peer_path = path,
                      .listen_fd = -1,
                      .timeout_ms = timeout_ms,
                      .max_version = reg == NULL  ? runner_peer_max_version(path)
                                     : reg->tls13 ? 0
                                                  : 0x0303};
    return true;
  }
  const tg_impl *reg = tg_impl_find(value);
  if (!harness_adapter_path(value, path, path_len)) {
    char missing[512];
    if (reg == NULL) {
      snprintf(why, why_len,
               "no adapter tg-peer-%s in the adapters' directory or in $TG_PEER_DIR "
               "(tlsgauntlet peers lists them)",
               value);
      return false;
    }
    tg_impl_missing_why(reg, missing, sizeof missing);
    snprintf(why, why_len, "--peer %s: %s", value, missing);
    return false;
  }
  *t = (run_target){.name = value,
                    .peer_path = path,
                    .listen_fd = -1,
                    .timeout_ms = timeout_ms,
                    .max_version = reg != NULL && !reg->tls13 ? 0x0303 : 0};
  return true;
}

void runner_target_in_process(run_target *t, const char *value) {
  t->in_process = false;
  const char *off = getenv("TG_EXEC_TARGETS");
  if (strcmp(value, "builtin") != 0 || t->peer_path == NULL ||
      (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0))
    return;
  /* The adapter beside us (or in our libexec directory), not one of $TG_PEER_DIR. */
  char dir[4096], mine[8192], want[PATH_MAX], got[PATH_MAX];
  if (!harness_program_dir(dir, sizeof dir))
    return;
  snprintf(mine, sizeof mine, "%s/tg-peer-builtin", dir);
  t->in_process =
      realpath(mine, want) != NULL && realpath(t->peer_path, got) != NULL && strcmp(want, got) == 0;
}
