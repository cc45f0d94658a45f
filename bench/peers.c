/* bench/peers: what the peer adapters cost per connection beyond the handshake itself.
 *
 *   build/bench_peers [SECONDS]      (default 2 s per adapter)
 *
 * For each adapter (tg-peer-builtin, -gnutls, -openssl, -boringssl, found next to this program):
 * one `--echo` server of that implementation is started once (--listen 127.0.0.1:0, the port read
 * from its "listening on" line), then for SECONDS a client of the same implementation is run over
 * and over, each a fork/exec/wait: `--role client --connect 127.0.0.1:PORT --send x` with
 * --trust-key on the bench certificate. Each run is one process start, one full TLS 1.3
 * handshake (x25519, ecdsa_secp256r1_sha256 server certificate; TLS_AES_128_GCM_SHA256 except for
 * BoringSSL, whose adapter cannot name a suite and picks it first anyway on AES-NI), one byte
 * echoed, close_notify both ways, and exit: what a runner pays per connection of the matrix.
 *
 * The same handshake in-process for the built-in engine (client and server in memory, as
 * bench_handshake does) gives the handshake's own cost; the overhead printed is
 *   per-process ms - in-process built-in handshake ms,
 * i.e. exec, dynamic linking, loading the certificate and key, the TCP connection, the echo and
 * the server's accept, against the design target of under 5 ms above the handshake. For the
 * three libraries it is measured against the built-in handshake too: bench_handshake shows theirs
 * are of the same order, so this is their adapter overhead within a fraction of a millisecond.
 *
 * Before timing, the first client run of each adapter must exit 0 and report
 * "result":"established" and "received":"x"; anything else marks the adapter failed (an adapter
 * that is missing is printed as such). Run on an idle machine: client and server are separate
 * processes on two cores, and other load moves the numbers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_peers"
#include "bench_builtin.h"

#define TARGET_MS 5.0

/* The in-process handshake of the built-in engine, in ms. */
static double builtin_handshake_ms(double seconds) {
  builtin b;
  builtin_init(&b);
  double ms = 1e3 / builtin_handshake_rate(&b, seconds);
  builtin_free(&b);
  return ms;
}

/* ---- Adapter processes ----------------------------------------------------------------------- */

static char adapter_dir[PATH_MAX];

/* The directory of /proc/self/exe: the adapters are built next to this program. */
static void find_adapter_dir(void) {
  ssize_t n = readlink("/proc/self/exe", adapter_dir, sizeof adapter_dir - 1);
  if (n <= 0)
    die("/proc/self/exe", strerror(errno));
  adapter_dir[n] = '\0';
  char *slash = strrchr(adapter_dir, '/');
  if (slash == NULL)
    die("/proc/self/exe", "no directory");
  *slash = '\0';
}

/* fork/exec argv with stdout and stderr sent to the given fds (-1: /dev/null). */
static pid_t spawn(char *const argv[], int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid < 0)
    die("fork", strerror(errno));
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(out_fd >= 0 ? out_fd : null, 1);
    dup2(err_fd >= 0 ? err_fd : null, 2);
    execv(argv[0], argv);
    _exit(127);
  }
  return pid;
}

/* A temporary file, already unlinked. */
static int temp_fd(void) {
  char path[] = "/tmp/bench_peers.XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    die("mkstemp", strerror(errno));
  unlink(path);
  return fd;
}

/* The whole of a temporary file, NUL-terminated, into buf. */
static void read_temp(int fd, char *buf, size_t cap) {
  ssize_t n = pread(fd, buf, cap - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
}

typedef struct server {
  pid_t pid;
  int err_fd;
  char port[8];
} server;

/* Starts `tg-peer-NAME --role server --listen 127.0.0.1:0 --echo` and waits up to 5 s for its
 * "listening on 127.0.0.1:PORT" line. False (with the server reaped) if it never comes. */
static bool server_start(const char *name, server *sv, char *why, size_t whylen) {
  char prog[PATH_MAX + 32];
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, name);
  char *argv[] = {prog,    "--role", "server", "--listen",     "127.0.0.1:0", "--cert", CERT_PEM,
                  "--key", KEY_PEM,  "--echo", "--timeout-ms", "10000",       NULL};
  sv->err_fd = temp_fd();
  sv->pid = spawn(argv, -1, sv->err_fd);
  char text[1024];
  for (int i = 0; i < 500; i++) {
    read_temp(sv->err_fd, text, sizeof text);
    const char *p = strstr(text, "listening on 127.0.0.1:");
    if (p != NULL && strchr(p, '\n') != NULL &&
        sscanf(p, "listening on 127.0.0.1:%7[0-9]", sv->port) == 1)
      return true;
    if (waitpid(sv->pid, NULL, WNOHANG) == sv->pid) {
      snprintf(why, whylen, "the server exited: %.200s", text);
      close(sv->err_fd);
      return false;
    }
    usleep(10000);
  }
  snprintf(why, whylen, "the server printed no port in 5 s");
  kill(sv->pid, SIGTERM);
  waitpid(sv->pid, NULL, 0);
  close(sv->err_fd);
  return false;
}

static void server_stop(server *sv) {
  kill(sv->pid, SIGTERM);
  waitpid(sv->pid, NULL, 0);
  close(sv->err_fd);
}

/* One client run; its exit code (or 128+signal), its stdout into out_fd when >= 0. */
static int client_run(const char *name, const char *port, int out_fd) {
  char prog[PATH_MAX + 32], addr[32];
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, name);
  snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
  char *argv[16] = {prog,          "--role",       "client", "--connect", addr,
                    "--trust-key", CERT_PEM,       "--send", "x",         "--groups",
                    "x25519",      "--timeout-ms", "10000",  NULL};
  if (strcmp(name, "boringssl") != 0) { /* its adapter exits 3 for --ciphers */
    argv[13] = "--ciphers";
    argv[14] = "TLS_AES_128_GCM_SHA256";
    argv[15] = NULL;
  }
  int status;
  pid_t pid = spawn(argv, out_fd, -1);
  if (waitpid(pid, &status, 0) != pid)
    die("waitpid", strerror(errno));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct row {
  const char *name;
  const char *status; /* NULL: measured */
  char why[256];
  unsigned long n;
  double ms; /* per connection */
} row;

/* The first run, checked: established, and the byte came back. */
static bool client_check(row *r, const char *port) {
  int fd = temp_fd();
  int rc = client_run(r->name, port, fd);
  char text[2048];
  read_temp(fd, text, sizeof text);
  close(fd);
  text[strcspn(text, "\n")] = '\0';
  if (rc == 0 && strstr(text, "\"result\":\"established\"") != NULL &&
      strstr(text, "\"received\":\"x\"") != NULL)
    return true;
  snprintf(r->why, sizeof r->why, "client exit %d: %.200s", rc, text);
  return false;
}

static void measure(row *r, double seconds) {
  char prog[PATH_MAX + 32];
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, r->name);
  if (access(prog, X_OK) != 0) {
    r->status = "missing";
    snprintf(r->why, sizeof r->why, "tg-peer-%s: %s", r->name, strerror(errno));
    return;
  }
  server sv;
  if (!server_start(r->name, &sv, r->why, sizeof r->why)) {
    r->status = "FAILED";
    return;
  }
  if (!client_check(r, sv.port)) {
    r->status = "FAILED";
    server_stop(&sv);
    return;
  }
  double start = now(), elapsed = 0;
  r->n = 0;
  do {
    int rc = client_run(r->name, sv.port, -1);
    if (rc != 0) {
      r->status = "FAILED";
      snprintf(r->why, sizeof r->why, "client run %lu exited %d", r->n + 1, rc);
      break;
    }
    r->n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  r->ms = r->n ? elapsed * 1e3 / (double)r->n : 0;
  server_stop(&sv);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  if (argc > 2 || !(seconds > 0)) {
    fprintf(stderr, "usage: bench_peers [SECONDS]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  find_adapter_dir();
  double hs_ms = builtin_handshake_ms(seconds);
  row rows[] = {
      {.name = "builtin"}, {.name = "gnutls"}, {.name = "openssl"}, {.name = "boringssl"}};
  size_t nrows = sizeof rows / sizeof rows[0];
  for (size_t i = 0; i < nrows; i++)
    measure(&rows[i], seconds);

  printf("bench_peers: one client process per connection (exec, handshake, 1 byte echoed, exit)\n");
  printf("in-process built-in handshake: %.3f ms\n\n", hs_ms);
  printf("%-10s %8s %10s %12s %12s  %s\n", "adapter", "runs", "conn/s", "ms/conn", "overhead ms",
         "target < 5 ms");
  int rc = 0;
  for (size_t i = 0; i < nrows; i++) {
    row *r = &rows[i];
    if (r->status != NULL) {
      printf("%-10s %s: %s\n", r->name, r->status, r->why);
      rc = strcmp(r->status, "missing") == 0 ? rc : 1;
      continue;
    }
    double over = r->ms - hs_ms;
    printf("%-10s %8lu %10.1f %12.3f %12.3f  %s\n", r->name, r->n, 1e3 / r->ms, r->ms, over,
           over < TARGET_MS ? "yes" : "NO");
  }
  printf("\noverhead = ms/conn - in-process built-in handshake ms; design target: under %.0f ms\n"
         "above the handshake itself\n",
         TARGET_MS);
  return rc;
}
