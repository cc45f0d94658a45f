/* bench/peers: what the peer adapters cost per connection beyond the handshake itself.
 *
 *   build/bench_peers [SECONDS]      (default 2 s per adapter)
 *
 * For each adapter (tg-peer-builtin, -gnutls, -openssl, -boringssl, -wolfssl, -nss, -mbedtls,
 * found next to this program): one `--echo` server of that implementation is started once
 * (--listen 127.0.0.1:0, the port read from its "listening on" line), then for SECONDS a client of
 * the same implementation is run over and over, each a fork/exec/wait: `--role client --connect
 * 127.0.0.1:PORT --send x` with --trust-key on the bench certificate. Each run is one process
 * start, one full TLS 1.3 handshake (x25519, ecdsa_secp256r1_sha256 server certificate;
 * TLS_AES_128_GCM_SHA256 except for BoringSSL, whose adapter cannot name a suite and picks it
 * first anyway on AES-NI), one byte echoed, close_notify both ways, and exit: what a runner pays
 * per connection of the matrix. Mbed TLS 2.28 has no TLS 1.3: its client and server are run with
 * --min-version 1.2 --max-version 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and the groups
 * x25519,secp256r1 (the bench_handshake tls12-ecdhe profile), and its row says so.
 *
 * The overhead printed is
 *   per-process ms - the same handshake in-process, ms,
 * i.e. exec, dynamic linking, loading the certificate and key, the TCP connection, the echo and
 * the server's accept, against the design target of under 5 ms above the handshake. The
 * in-process handshake is the implementation's own where this build can measure it: the
 * built-in engine here, client and server in memory as bench_handshake does; a library through
 * its bench_handshake helper (bench_handshake_NAME next to this program, run for SECONDS on the
 * same profile). GnuTLS has no helper (bench_handshake runs it in-process), and a library whose
 * helper is missing has none either: the built-in engine's handshake stands in, marked "*" (the
 * libraries' handshakes are of the same order as the engine's, except Mbed TLS's, several times
 * slower: its helper is built whenever its adapter can be).
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

/* What sets an adapter's runs apart: its flags beyond the common ones. */
typedef struct adapter {
  const char *name;
  const char *client_flags[8]; /* NULL-terminated */
  const char *server_flags[4];
  const bench_profile *profile; /* the handshake: bench_tls13, or bench_tls12_ecdhe */
  const char *note;             /* printed after its row */
} adapter;

#define TLS13_FLAGS "--groups", "x25519", "--ciphers", "TLS_AES_128_GCM_SHA256"
#define TLS12_VERSION "--min-version", "1.2", "--max-version", "1.2"

static const adapter adapters[] = {
    {"builtin", {TLS13_FLAGS}, {NULL}, &bench_tls13, NULL},
    {"gnutls", {TLS13_FLAGS}, {NULL}, &bench_tls13, NULL},
    {"openssl", {TLS13_FLAGS}, {NULL}, &bench_tls13, NULL},
    {"boringssl", {"--groups", "x25519"}, {NULL}, &bench_tls13, NULL}, /* exits 3 for --ciphers */
    {"wolfssl", {TLS13_FLAGS}, {NULL}, &bench_tls13, NULL},
    {"nss", {TLS13_FLAGS}, {NULL}, &bench_tls13, NULL},
    /* No TLS 1.3 in Mbed TLS 2.28. The certificate's curve is listed: a server may only use an
     * ECDSA certificate on a curve the client names (RFC 8422 5.1). */
    {"mbedtls",
     {TLS12_VERSION, "--groups", "x25519,secp256r1", "--ciphers",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
     {TLS12_VERSION},
     &bench_tls12_ecdhe,
     "TLS 1.2 ECDHE_ECDSA: no TLS 1.3 in Mbed TLS 2.28"},
};
enum { NADAPTERS = sizeof adapters / sizeof adapters[0] };

/* The in-process handshake of the built-in engine, in ms. */
static double builtin_handshake_ms(const bench_profile *p, double seconds) {
  builtin b;
  builtin_init_profile(&b, p);
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

/* argv = fixed (NULL-terminated) then the first of extra[nextra] up to a NULL, into out[cap]. */
static void join_argv(char **out, size_t cap, char *const *fixed, const char *const *extra,
                      size_t nextra) {
  size_t n = 0;
  for (; fixed[n] != NULL && n + 1 < cap; n++)
    out[n] = fixed[n];
  for (size_t i = 0; i < nextra && extra[i] != NULL && n + 1 < cap; i++)
    out[n++] = (char *)extra[i];
  out[n] = NULL;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct server {
  pid_t pid;
  int err_fd;
  char port[8];
} server;

/* Starts `tg-peer-NAME --role server --listen 127.0.0.1:0 --echo` and waits up to 5 s for its
 * "listening on 127.0.0.1:PORT" line. False (with the server reaped) if it never comes. */
static bool server_start(const adapter *a, server *sv, char *why, size_t whylen) {
  char prog[PATH_MAX + 32];
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, a->name);
  char *fixed[] = {prog,    "--role", "server", "--listen",     "127.0.0.1:0", "--cert", CERT_PEM,
                   "--key", KEY_PEM,  "--echo", "--timeout-ms", "10000",       NULL};
  char *argv[24];
  join_argv(argv, ARRAY_LEN(argv), fixed, a->server_flags, ARRAY_LEN(a->server_flags));
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
static int client_run(const adapter *a, const char *port, int out_fd) {
  char prog[PATH_MAX + 32], addr[32];
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, a->name);
  snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
  char *fixed[] = {prog,     "--role", "client", "--connect",    addr,    "--trust-key",
                   CERT_PEM, "--send", "x",      "--timeout-ms", "10000", NULL};
  char *argv[24];
  join_argv(argv, ARRAY_LEN(argv), fixed, a->client_flags, ARRAY_LEN(a->client_flags));
  int status;
  pid_t pid = spawn(argv, out_fd, -1);
  if (waitpid(pid, &status, 0) != pid)
    die("waitpid", strerror(errno));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct row {
  const adapter *a;
  const char *status; /* NULL: measured */
  char why[256];
  unsigned long n;
  double ms;        /* per connection */
  double hs_ms;     /* the in-process handshake subtracted */
  bool hs_stand_in; /* hs_ms is the built-in engine's, standing in for the library's */
} row;

/* The first run, checked: established, and the byte came back. */
static bool client_check(row *r, const char *port) {
  int fd = temp_fd();
  int rc = client_run(r->a, port, fd);
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
  snprintf(prog, sizeof prog, "%s/tg-peer-%s", adapter_dir, r->a->name);
  if (access(prog, X_OK) != 0) {
    r->status = "missing";
    snprintf(r->why, sizeof r->why, "tg-peer-%s: %s", r->a->name, strerror(errno));
    return;
  }
  server sv;
  if (!server_start(r->a, &sv, r->why, sizeof r->why)) {
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
    int rc = client_run(r->a, sv.port, -1);
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

/* The library's own in-process handshake on the adapter's profile, in ms, from its
 * bench_handshake helper next to this program; 0 when there is none or it fails. */
static double helper_handshake_ms(const adapter *a, double seconds) {
  char prog[PATH_MAX + 32], secs[32];
  snprintf(prog, sizeof prog, "%s/bench_handshake_%s", adapter_dir, a->name);
  if (access(prog, X_OK) != 0)
    return 0;
  snprintf(secs, sizeof secs, "%g", seconds);
  char *argv[] = {prog,
                  secs,
                  (char *)a->profile->name,
                  (char *)a->profile->cert_pem,
                  (char *)a->profile->key_pem,
                  NULL};
  int fd = temp_fd(), status;
  pid_t pid = spawn(argv, fd, -1);
  if (waitpid(pid, &status, 0) != pid)
    die("waitpid", strerror(errno));
  char text[1024];
  read_temp(fd, text, sizeof text);
  close(fd);
  const char *line = strstr(text, "handshakes_per_s ");
  double rate = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || line == NULL ||
      sscanf(line, "handshakes_per_s %lf", &rate) != 1 || !(rate > 0))
    return 0;
  return 1e3 / rate;
}

/* The in-process handshake each row's overhead is taken against. */
static void handshake_costs(row *rows, double seconds) {
  double builtin13 = builtin_handshake_ms(&bench_tls13, seconds);
  double builtin12 = builtin_handshake_ms(&bench_tls12_ecdhe, seconds);
  for (size_t i = 0; i < NADAPTERS; i++) {
    row *r = &rows[i];
    double own = strcmp(r->a->name, "builtin") == 0 ? builtin13 : 0;
    if (r->status == NULL && own == 0)
      own = helper_handshake_ms(r->a, seconds);
    r->hs_stand_in = own == 0;
    r->hs_ms = own != 0 ? own : r->a->profile == &bench_tls13 ? builtin13 : builtin12;
  }
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  if (argc > 2 || !(seconds > 0)) {
    fprintf(stderr, "usage: bench_peers [SECONDS]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  find_adapter_dir();
  row rows[NADAPTERS];
  memset(rows, 0, sizeof rows);
  for (size_t i = 0; i < NADAPTERS; i++) {
    rows[i].a = &adapters[i];
    measure(&rows[i], seconds);
  }
  handshake_costs(rows, seconds);

  printf("bench_peers: one client process per connection (exec, handshake, 1 byte echoed, exit)\n");
  printf("%-10s %8s %10s %10s %10s %12s  %s\n", "adapter", "runs", "conn/s", "ms/conn", "hs ms",
         "overhead ms", "target < 5 ms");
  int rc = 0;
  for (size_t i = 0; i < NADAPTERS; i++) {
    row *r = &rows[i];
    if (r->status != NULL) {
      printf("%-10s %s: %s\n", r->a->name, r->status, r->why);
      rc = strcmp(r->status, "missing") == 0 ? rc : 1;
      continue;
    }
    double over = r->ms - r->hs_ms;
    printf("%-10s %8lu %10.1f %10.3f %9.3f%c %12.3f  %-3s %s\n", r->a->name, r->n, 1e3 / r->ms,
           r->ms, r->hs_ms, r->hs_stand_in ? '*' : ' ', over, over < TARGET_MS ? "yes" : "NO",
           r->a->note != NULL ? r->a->note : "");
  }
  printf("\nhs ms: the same handshake in-process, client and server in memory (bench_handshake);\n"
         "  * the built-in engine's, standing in where the library's cannot be measured here\n"
         "overhead = ms/conn - hs ms; design target: under %.0f ms above the handshake itself\n",
         TARGET_MS);
  return rc;
}
