/* minimal_tcp.h: the one TCP connection of the minimal programs (tests/minimal/NAME_minimal.c), on
 * 127.0.0.1 only: the baselines' replay: commands give them the port. Header-only: each program
 * is one file linked against its own library. */
#ifndef TG_MINIMAL_TCP_H
#define TG_MINIMAL_TCP_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

/* The TCP connection: accept one on 127.0.0.1:port (a server), or connect to it (a client). */
static int tcp_open(int server, int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  if (!server) {
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
      return fd;
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int conn = -1;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0)
    conn = accept(fd, NULL, NULL);
  close(fd);
  return conn;
}

#endif
