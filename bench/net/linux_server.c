/*
 * The Linux guest's side of the network benchmark: the roles apps/bench-tcp plays in a
 * Skiff guest, on the same ports, in one process, one connection at a time (the host
 * drives the roles one after another). Built static (musl) by bench/net/linux_server.ts and put
 * in the Linux baseline guest's initramfs.
 *   5001 sink     read until the peer half-closes, then close
 *   5002 source   write BYTES bytes (argv[1], default 32 MiB), then close
 *   5003 echo     echo every byte back until the peer half-closes (TCP_NODELAY)
 *   5004 accept   accept and close at once
 *   5009 stop     exit 0
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { SINK, SOURCE, ECHO, ACCEPT, STOP, ROLES };
static const int ports[ROLES] = { 5001, 5002, 5003, 5004, 5009 };
static char buffer[64 * 1024];

static int listen_on(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = { htonl(INADDR_ANY) } };
  if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, 64) < 0) {
    perror("linux-server: listen");
    exit(2);
  }
  return fd;
}

static int write_all(int fd, const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, bytes, length);
    if (n <= 0) return -1;
    bytes += n;
    length -= (size_t)n;
  }
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN); /* a host that hangs up early is an error value, not a kill */
  long long total = argc > 1 ? atoll(argv[1]) : 32LL << 20;
  struct pollfd fds[ROLES];
  for (int role = 0; role < ROLES; role++) fds[role] = (struct pollfd){ .fd = listen_on(ports[role]), .events = POLLIN };
  for (size_t i = 0; i < sizeof buffer; i++) buffer[i] = (char)i;
  printf("linux-server: listening on 5001 5002 5003 5004 5009\n");
  fflush(stdout);
  long long accepted = 0;
  for (;;) {
    if (poll(fds, ROLES, -1) < 0) continue;
    for (int role = 0; role < ROLES; role++) {
      if (!(fds[role].revents & POLLIN)) continue;
      int fd = accept(fds[role].fd, NULL, NULL);
      if (fd < 0) continue;
      accepted++;
      long long bytes = 0;
      ssize_t n;
      int one = 1;
      switch (role) {
      case SINK:
        while ((n = read(fd, buffer, sizeof buffer)) > 0) bytes += n;
        break;
      case SOURCE:
        for (; bytes < total; bytes += n) {
          n = total - bytes < (long long)sizeof buffer ? (ssize_t)(total - bytes) : (ssize_t)sizeof buffer;
          if (write_all(fd, buffer, (size_t)n) < 0) break;
        }
        break;
      case ECHO:
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        while ((n = read(fd, buffer, sizeof buffer)) > 0 && write_all(fd, buffer, (size_t)n) == 0) bytes += n;
        break;
      case STOP:
        close(fd);
        printf("linux-server: stopping after %lld connections\n", accepted);
        return 0;
      }
      close(fd);
      if (role != ACCEPT) printf("linux-server: role %d connection: %lld bytes\n", role, bytes);
    }
  }
}
