/* Command targets (runner.h run_target.cmd): a program started for one run as the target, as a
 * person would start `gnutls-serv` or `openssl s_client` by hand. The runner picks a free
 * loopback port, writes it (and the scenario's certificate paths) into the command, starts it in
 * its own process group, and connects to it (a server) or accepts its connection (a client). */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "runner_internal.h"

/* A listening TCP socket on 127.0.0.1 and a port the kernel chose; -1 on failure. */
static int listen_loopback(unsigned *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

/* A port for a server command, which binds it itself: free now (bound and let go here), and
 * below the kernel's ephemeral range (ip_local_port_range), where neither port-0 binds nor
 * outgoing connections take ports, so that another program does not take it before the command
 * binds it (with a kernel-chosen port that happened under load, and the command failed to start).
 * 0 when no such port was found. */
static unsigned server_port(void) {
  unsigned lo = 0, hi = 0;
  FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
  if (f != NULL) {
    if (fscanf(f, "%u %u", &lo, &hi) != 2)
      lo = 0;
    fclose(f);
  }
  if (lo < 2048)
    return 0;
  unsigned first = lo > 16384 + 1024 ? lo - 16384 : 1024, span = lo - first;
  for (int tries = 0; tries < 32; tries++) {
    uint32_t r;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
      return 0;
    unsigned port = first + r % span;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool free_now = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
      close(fd);
    if (free_now)
      return port;
  }
  return 0;
}

/* Whether the name a client target verifies is an IP address (a tool may take it apart from
 * host names: openssl s_client -verify_ip). */
static bool name_is_ip(const char *name) {
  unsigned char addr[16];
  return name != NULL &&
         (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1);
}

/* The scenario's options a command can take as conditional pieces: {?KEY:TEXT} is TEXT (its
 * placeholders replaced) when KEY holds for the scenario, {!KEY:TEXT} when it does not. */
static bool condition(const char *key, size_t len, const sc_scenario *s) {
  const sc_target_opts *o = &s->target_opts;
  const struct {
    const char *key;
    bool holds;
  } keys[] = {{"require_client_cert", o->require_client_cert},
              {"alpn", o->alpn != NULL},
              {"tls12_only", o->max_version == 0x0303},
              {"min_tls12", o->min_version == 0x0303},
              {"cert", o->cert != NULL},
              {"no_verify", o->no_verify},
              {"tls13_only", o->min_version == 0x0304},
              {"name_ip", name_is_ip(o->verify_name)}};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strlen(keys[i].key) == len && strncmp(key, keys[i].key, len) == 0)
      return keys[i].holds;
  return false;
}

typedef struct subst {
  const char *key, *value;
} subst;

/* Appends tmpl[0, end) to out[*n] with placeholders replaced; false when it does not fit. */
static bool expand_text(const char *tmpl, const char *end, const subst *sub, size_t n_sub,
                        const sc_scenario *s, char *out, size_t *n, size_t cap) {
  for (const char *p = tmpl; p < end;) {
    if ((p[0] == '{') && (p[1] == '?' || p[1] == '!')) {
      const char *colon = memchr(p, ':', (size_t)(end - p));
      const char *q = colon != NULL ? colon + 1 : NULL;
      int depth = 1; /* q ends just after the '}' that closes the piece */
      while (q != NULL && q < end && depth > 0) {
        depth += *q == '{' ? 1 : *q == '}' ? -1 : 0;
        q++;
      }
      if (colon != NULL && depth == 0) {
        bool holds = condition(p + 2, (size_t)(colon - p - 2), s) == (p[1] == '?');
        if (holds && !expand_text(colon + 1, q - 1, sub, n_sub, s, out, n, cap))
          return false;
        p = q;
        continue;
      }
    }
    size_t i = 0;
    while (i < n_sub && strncmp(p, sub[i].key, strlen(sub[i].key)) != 0)
      i++;
    const char *piece = i < n_sub ? sub[i].value : p;
    size_t len = i < n_sub ? strlen(piece) : 1;
    if (*n + len >= cap)
      return false;
    memcpy(out + *n, piece, len);
    *n += len;
    p += i < n_sub ? strlen(sub[i].key) : 1;
  }
  out[*n] = '\0';
  return true;
}

/* The command with its placeholders replaced: {host} {port} {certs} {cert} {key} {ca} {name}
 * {alpn} {sni} (a client's server_name: the scenario's sni, else the name it verifies), {bin} (the
 * adapters' directory, whose test-peers/ holds the test programs), and the conditional pieces
 * of `condition`. The certificate is the scenario's target certificate (a server's default
 * "server"), the CA its trust anchor (default "root"), the name the one a client verifies (default
 * server.test). */
static bool expand(const char *tmpl, const sc_scenario *s, const run_env *env, unsigned port,
                   char *out, size_t cap) {
  const sc_target_opts *o = &s->target_opts;
  const char *cert = o->cert ? o->cert : s->target == SC_TARGET_SERVER ? "server" : "none";
  char portbuf[16], certp[4096], keyp[4096], cap_[4096], bin[2048];
  if (!harness_program_dir(bin, sizeof bin))
    snprintf(bin, sizeof bin, ".");
  snprintf(portbuf, sizeof portbuf, "%u", port);
  snprintf(certp, sizeof certp, "%s/%s.pem", env->certs_dir, cert);
  snprintf(keyp, sizeof keyp, "%s/%s.key", env->certs_dir, cert);
  snprintf(cap_, sizeof cap_, "%s/%s.pem", env->certs_dir, o->trust ? o->trust : "root");
  const subst sub[] = {{"{host}", "127.0.0.1"},
                       {"{port}", portbuf},
                       {"{certs}", env->certs_dir},
                       {"{cert}", certp},
                       {"{key}", keyp},
                       {"{ca}", cap_},
                       {"{name}", o->verify_name ? o->verify_name : "server.test"},
                       {"{alpn}", o->alpn ? o->alpn : ""},
                       {"{sni}", o->sni           ? o->sni
                                 : o->verify_name ? o->verify_name
                                                  : "server.test"},
                       {"{bin}", bin}};
  size_t n = 0;
  return expand_text(tmpl, tmpl + strlen(tmpl), sub, sizeof sub / sizeof sub[0], s, out, &n, cap);
}

static void sleep_ms(int ms) {
  struct timespec ts = {0, (long)ms * 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* ---- Whose port ----------------------------------------------------------------------------
 * The runner lets the port it picked go before the command binds it, so another program may take
 * it in between (a parallel run's command, anything on the machine). The runner connects only
 * once a process of the command's own process group listens there (Linux /proc): else it would
 * play the scenario against a stranger. */

/* The inodes of the sockets listening on port in a /proc/net/tcp-format file. */
static size_t listeners(const char *file, unsigned port, unsigned long *ino, size_t n, size_t cap) {
  FILE *f = fopen(file, "r");
  char line[512];
  if (f == NULL)
    return n;
  while (fgets(line, sizeof line, f) != NULL && n < cap) {
    unsigned lport, state;
    unsigned long inode;
    /* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
    if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x %*x:%*x %*x:%*x %*x %*u %*u %lu",
               &lport, &state, &inode) == 3 &&
        lport == port && state == 0x0A /* LISTEN */)
      ino[n++] = inode;
  }
  fclose(f);
  return n;
}

static bool holds_socket(pid_t pid, const unsigned long *ino, size_t n) {
  char dir[32], link[96], target[64];
  snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
  DIR *d = opendir(dir);
  struct dirent *e;
  bool found = false;
  while (d != NULL && !found && (e = readdir(d)) != NULL) {
    snprintf(link, sizeof link, "%s/%.20s", dir, e->d_name);
    ssize_t len = readlink(link, target, sizeof target - 1);
    unsigned long inode;
    if (len <= 0)
      continue;
    target[len] = '\0';
    if (sscanf(target, "socket:[%lu]", &inode) == 1)
      for (size_t i = 0; i < n && !found; i++)
        found = ino[i] == inode;
  }
  if (d != NULL)
    closedir(d);
  return found;
}

/* Whether a process of process group pgid listens on port (IPv4 or IPv6). */
static bool group_listens(pid_t pgid, unsigned port) {
  unsigned long ino[16];
  size_t n = listeners("/proc/net/tcp", port, ino, 0, 16);
  n = listeners("/proc/net/tcp6", port, ino, n, 16);
  if (n == 0)
    return false;
  DIR *d = opendir("/proc");
  struct dirent *e;
  bool found = false;
  while (d != NULL && !found && (e = readdir(d)) != NULL) {
    int pid = atoi(e->d_name);
    if (pid <= 0 || (pid != pgid && getpgid(pid) != pgid))
      continue;
    found = holds_socket(pid, ino, n);
  }
  if (d != NULL)
    closedir(d);
  return found;
}

/* Connects to a server command once it listens: it may take a moment to start. */
static int connect_when_up(peer_proc *p, unsigned port, int64_t deadline, char *msg, size_t cap) {
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  while (runner_now_ms() < deadline) {
    int fd = group_listens(p->pid, port) ? socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -2;
    if (fd == -1)
      break;
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
      return fd;
    if (fd >= 0)
      close(fd);
    peer_drain(p);
    if (peer_exited(p)) {
      snprintf(msg, cap, "the target command exited before it listened on 127.0.0.1:%u", port);
      return -1;
    }
    sleep_ms(10);
  }
  snprintf(msg, cap, "the target command did not listen on 127.0.0.1:%u in time", port);
  return -1;
}

static int accept_when_connected(int lfd, int64_t deadline, char *msg, size_t cap) {
  struct pollfd pf = {lfd, POLLIN, 0};
  int left = (int)(deadline - runner_now_ms());
  if (left > 0 && poll(&pf, 1, left) == 1)
    return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  snprintf(msg, cap, "the target command did not connect in time");
  return -1;
}

int cmd_open(peer_proc *p, const run_target *t, const sc_scenario *s, const run_env *env,
             int64_t deadline, strbuf *log, char *msg, size_t cap) {
  unsigned port = 0;
  int lfd = listen_loopback(&port);
  char cmdline[8192];
  if (lfd < 0) {
    snprintf(msg, cap, "cannot listen on 127.0.0.1: %s", strerror(errno));
    return -1;
  }
  /* A server command needs the port free: one outside the ephemeral range when there is one,
   * else the one the kernel chose, let go. */
  if (s->target == SC_TARGET_SERVER) {
    close(lfd);
    lfd = -1;
    unsigned quiet = server_port();
    if (quiet != 0)
      port = quiet;
  }
  int fd = -1;
  if (!expand(t->cmd, s, env, port, cmdline, sizeof cmdline))
    snprintf(msg, cap, "the target command is too long");
  else if (sb_printf(log, "%s\n", cmdline), cmd_start(p, cmdline, msg, cap))
    fd = s->target == SC_TARGET_SERVER ? connect_when_up(p, port, deadline, msg, cap)
                                       : accept_when_connected(lfd, deadline, msg, cap);
  if (lfd >= 0)
    close(lfd);
  return fd;
}
