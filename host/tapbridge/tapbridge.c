/*
 * tapbridge: joins a Linux tap device to a UDP datagram wire, so that a hosted Skiff kernel
 * (whose NIC speaks qemu's `-netdev dgram` framing, host/hosted/hosted_net.ts) sits on the
 * same kind of link as a VM started with `-netdev tap`. One Ethernet frame per datagram,
 * nothing around it, in both directions.
 *
 *   tapbridge [--netns NS] [--impair loss=P,reorder=P,duplicate=P,seed=N] IFNAME LOCALPORT REMOTEPORT
 *
 * It attaches to the existing tap IFNAME (IFF_TAP | IFF_NO_PI: bare frames, no packet-info
 * word and no virtio-net header, matching a hosted NIC that negotiates no offloads; Linux
 * therefore hands it frames with complete checksums and no GSO), binds a UDP socket on
 * 127.0.0.1:LOCALPORT (0: any free port), and forwards with poll(2): every frame the tap
 * gives goes to 127.0.0.1:REMOTEPORT, every datagram from 127.0.0.1:REMOTEPORT goes to the
 * tap (datagrams from anyone else are dropped: only the peer may put frames on the link).
 * When set up it prints one line on stdout, "tapbridge: ready IFNAME PORT" with the port
 * it bound, and then nothing more there. It runs until SIGTERM/SIGINT or until its stdin
 * reaches end of file — a parent that holds the write end of a pipe on stdin takes the
 * bridge down with it however it dies. Errors go to stderr with strerror; status 0 on a
 * stop by signal or end of stdin, 1 on a failure, 2 on a usage error.
 *
 * --netns NS: why the namespace is entered here rather than with `ip netns exec`. A tap
 * belongs to the network namespace of the process that opened /dev/net/tun, and only the
 * open needs to happen there; the descriptor keeps the tap after the process leaves. So the
 * bridge enters /run/netns/NS (setns), opens and attaches the tap, returns to the namespace
 * it was started in, and only then makes its UDP socket. Its datagrams thus travel on the
 * caller's loopback, where the hosted kernel already is: `skiff run --hosted` runs the
 * kernel in its own process, which cannot move into a namespace, and does not need root
 * itself. (Under `ip netns exec NS tapbridge …` without --netns the bridge works as well,
 * with its UDP socket on the namespace's loopback.) setns needs CAP_SYS_ADMIN.
 *
 * --impair: a lossy, reordering wire, for tests against Linux where the kernel has no
 * sch_netem (this machine's has none, and no modules): in each direction every frame is
 * dropped with probability `loss`, sent twice with `duplicate`, or held back with
 * `reorder` and sent after the next frame in that direction (or after HOLD_MS if none
 * comes) — a swap, as netem's reordering makes. Probabilities are in [0, 1); the seed makes
 * a run repeatable. The counts are in the stop line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The largest UDP payload over IPv4: a longer frame (a tap MTU near 64 KiB) cannot cross. */
#define MAX_FRAME 65507
/* Larger than any frame a tap gives, so read(2) never truncates one silently. */
#define BUFFER_BYTES (1 << 17)
/* Frames moved per direction per poll round, so one busy direction cannot starve the other. */
#define BATCH 64
#define EXIT_FAILED 1
#define EXIT_USAGE 2

static const char usage[] = "usage: tapbridge [--netns NS] [--impair loss=P,reorder=P,duplicate=P,seed=N] IFNAME LOCALPORT REMOTEPORT\n";

/* A frame held back for reordering goes out at the latest this long after it came. */
#define HOLD_MS 5

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int signal_number) { stop_signal = signal_number; }

/* Prints "tapbridge: <message>: <strerror(errno)>" and exits with EXIT_FAILED. */
static void fail_errno(const char *format, ...) {
  int saved = errno;
  va_list args;
  va_start(args, format);
  fputs("tapbridge: ", stderr);
  vfprintf(stderr, format, args);
  va_end(args);
  fprintf(stderr, ": %s\n", strerror(saved));
  exit(EXIT_FAILED);
}

/* Prints "tapbridge: <message>" and exits with EXIT_FAILED. */
static void fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("tapbridge: ", stderr);
  vfprintf(stderr, format, args);
  va_end(args);
  fputs("\n", stderr);
  exit(EXIT_FAILED);
}

static void fail_usage(const char *format, const char *value) {
  fputs("tapbridge: ", stderr);
  fprintf(stderr, format, value);
  fputs("\n", stderr);
  fputs(usage, stderr);
  exit(EXIT_USAGE);
}

static unsigned short parse_port(const char *text) {
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 65535) fail_usage("%s is not a port (0-65535)", text);
  return (unsigned short)value;
}

static void set_nonblocking(int fd, const char *what) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) fail_errno("cannot make %s non-blocking", what);
}

/* Enters network namespace NS by its iproute2 name; returns a descriptor of the one we left. */
static int enter_netns(const char *name) {
  int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) fail_errno("cannot open /proc/self/ns/net");
  char path[256];
  if (snprintf(path, sizeof path, "/run/netns/%s", name) >= (int)sizeof path) fail_usage("namespace name %s is too long", name);
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) fail_errno("cannot open network namespace %s (%s; ip netns add %s)", name, path, name);
  if (setns(target, CLONE_NEWNET) < 0) fail_errno("cannot enter network namespace %s (setns needs CAP_SYS_ADMIN)", name);
  close(target);
  return home;
}

static void leave_netns(int home, const char *name) {
  if (setns(home, CLONE_NEWNET) < 0) fail_errno("cannot leave network namespace %s", name);
  close(home);
}

/*
 * Attaches to the existing tap IFNAME. TUNSETIFF would quietly make a new, unconfigured tap
 * for a mistyped name, so a missing interface is an error instead.
 */
static int open_tap(const char *ifname, const char *netns) {
  const char *in = netns ? " in network namespace " : "";
  if (if_nametoindex(ifname) == 0) {
    fail("cannot attach to tap %s%s%s: there is no such interface (ip tuntap add dev %s mode tap)", ifname, in, netns ? netns : "", ifname);
  }
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open /dev/net/tun");
  struct ifreq request;
  memset(&request, 0, sizeof request);
  request.ifr_flags = IFF_TAP | IFF_NO_PI;
  memcpy(request.ifr_name, ifname, strlen(ifname)); /* checked < IFNAMSIZ by main */
  if (ioctl(fd, TUNSETIFF, &request) < 0) {
    fail_errno("cannot attach to tap %s%s%s (TUNSETIFF: is it a tap, not held by another process, and yours?)", ifname, in, netns ? netns : "");
  }
  set_nonblocking(fd, "the tap");
  return fd;
}

static int open_udp(unsigned short local_port, struct sockaddr_in *bound) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) fail_errno("cannot make a UDP socket");
  struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(local_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) fail_errno("cannot bind udp 127.0.0.1:%u", local_port);
  socklen_t length = sizeof *bound;
  if (getsockname(fd, (struct sockaddr *)bound, &length) < 0) fail_errno("cannot read the bound UDP address");
  /* Room for bursts while the hosted kernel is busy (a TCP window of frames). */
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  return fd;
}

struct counters {
  unsigned long tap_to_udp, udp_to_tap, dropped_send, dropped_tap_write, dropped_stranger;
  unsigned long impair_lost, impair_reordered, impair_duplicated;
};

/* --impair: probabilities per frame and the generator (xorshift64*, seeded). */
struct impairment {
  double loss, reorder, duplicate;
  unsigned long long state;
};

static double next_random(struct impairment *impair) {
  unsigned long long x = impair->state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  impair->state = x;
  return (double)((x * 2685821657736338717ULL) >> 11) / 9007199254740992.0; /* [0, 1) */
}

static double parse_probability(const char *key, const char *text) {
  char *end;
  errno = 0;
  double value = strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(value >= 0 && value < 1)) fail_usage("--impair %s needs a probability in [0, 1)", key);
  return value;
}

/* "loss=0.02,reorder=0.02,duplicate=0,seed=7" */
static void parse_impairment(char *spec, struct impairment *impair) {
  impair->state = 0x9e3779b97f4a7c15ULL;
  for (char *item = strtok(spec, ","); item; item = strtok(NULL, ",")) {
    char *equals = strchr(item, '=');
    if (!equals) fail_usage("--impair item %s is not KEY=VALUE", item);
    *equals = '\0';
    const char *value = equals + 1;
    if (strcmp(item, "loss") == 0) impair->loss = parse_probability(item, value);
    else if (strcmp(item, "reorder") == 0) impair->reorder = parse_probability(item, value);
    else if (strcmp(item, "duplicate") == 0) impair->duplicate = parse_probability(item, value);
    else if (strcmp(item, "seed") == 0) impair->state ^= strtoull(value, NULL, 10) * 0xbf58476d1ce4e5b9ULL + 1;
    else fail_usage("--impair: unknown key %s (loss, reorder, duplicate, seed)", item);
  }
}

/* One direction of the wire: how a frame is put on it, and the frame held for reordering. */
struct direction {
  int (*put)(const struct direction *, const unsigned char *, size_t);
  int fd;
  const struct sockaddr_in *remote;
  unsigned char *held;
  size_t held_length;
  long long held_at_ms;
};

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int put_udp(const struct direction *d, const unsigned char *frame, size_t length) {
  return sendto(d->fd, frame, length, 0, (const struct sockaddr *)d->remote, sizeof *d->remote) < 0 ? -1 : 0;
}

static int put_tap(const struct direction *d, const unsigned char *frame, size_t length) {
  return write(d->fd, frame, length) < 0 ? -1 : 0;
}

/* Sends the held frame, if any. */
static int release_held(struct direction *d) {
  if (d->held_length == 0) return 0;
  int result = d->put(d, d->held, d->held_length);
  d->held_length = 0;
  return result;
}

/*
 * Puts one frame on the wire through the impairment (none when `impair` is NULL).
 * Returns put's result for the frame itself (0 also when the wire lost it on purpose).
 */
static int transmit(struct direction *d, struct impairment *impair, const unsigned char *frame, size_t length, struct counters *counts) {
  if (!impair) return d->put(d, frame, length);
  if (next_random(impair) < impair->loss) {
    counts->impair_lost++;
    return 0;
  }
  if (d->held_length == 0 && next_random(impair) < impair->reorder) {
    memcpy(d->held, frame, length);
    d->held_length = length;
    d->held_at_ms = now_ms();
    counts->impair_reordered++;
    return 0;
  }
  int result = d->put(d, frame, length);
  if (result == 0 && next_random(impair) < impair->duplicate) {
    counts->impair_duplicated++;
    d->put(d, frame, length);
  }
  release_held(d); /* the frame held back goes after this one: the two swapped */
  return result;
}

/*
 * Tap → UDP: up to BATCH frames. A frame the socket cannot take now, or too long for one
 * datagram, is dropped ("unsent"), as a wire would drop it.
 */
static void tap_to_udp(int tap, struct direction *out, struct impairment *impair, unsigned char *buffer, struct counters *counts) {
  for (int i = 0; i < BATCH; i++) {
    ssize_t length = read(tap, buffer, BUFFER_BYTES);
    if (length < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      fail_errno("cannot read from the tap (was it deleted?)");
    }
    if (length > MAX_FRAME) {
      counts->dropped_send++;
    } else if (transmit(out, impair, buffer, (size_t)length, counts) < 0) {
      if (errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED && errno != EINTR) fail_errno("cannot send a frame to udp 127.0.0.1:%u", ntohs(out->remote->sin_port));
      counts->dropped_send++;
    } else {
      counts->tap_to_udp++;
    }
  }
}

/* UDP → tap: up to BATCH datagrams from the peer. */
static void udp_to_tap(int udp, struct direction *in, struct impairment *impair, const struct sockaddr_in *remote, unsigned char *buffer, struct counters *counts) {
  for (int i = 0; i < BATCH; i++) {
    struct sockaddr_in from;
    socklen_t from_length = sizeof from;
    ssize_t length = recvfrom(udp, buffer, BUFFER_BYTES, 0, (struct sockaddr *)&from, &from_length);
    if (length < 0) {
      /* ECONNREFUSED: an ICMP port-unreachable for an earlier send (the peer is not up yet). */
      if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED) return;
      fail_errno("cannot receive from the UDP socket");
    }
    if (from.sin_port != remote->sin_port || from.sin_addr.s_addr != remote->sin_addr.s_addr) {
      counts->dropped_stranger++;
      continue;
    }
    if (transmit(in, impair, buffer, (size_t)length, counts) < 0) {
      /* EIO: the tap is down; EINVAL: not an Ethernet frame. Either way the wire loses it. */
      if (errno != EAGAIN && errno != EIO && errno != EINVAL && errno != EINTR) fail_errno("cannot write a frame to the tap");
      counts->dropped_tap_write++;
    } else {
      counts->udp_to_tap++;
    }
  }
}

/*
 * True when stdin reached end of file (its data, if any, is read and ignored). Called only
 * when poll says stdin is readable, so the read does not block; stdin is not made
 * non-blocking, since that flag would change the terminal or pipe for everyone sharing it.
 */
static int stdin_closed(void) {
  char sink[256];
  ssize_t length = read(STDIN_FILENO, sink, sizeof sink);
  return length == 0 || (length < 0 && errno != EAGAIN && errno != EINTR);
}

int main(int argc, char **argv) {
  const char *netns = NULL;
  struct impairment impairment = { 0 };
  struct impairment *impair = NULL;
  int arg = 1;
  for (;;) {
    if (arg < argc && strcmp(argv[arg], "--netns") == 0) {
      if (arg + 1 >= argc) fail_usage("%s needs a namespace name", "--netns");
      netns = argv[arg + 1];
      arg += 2;
    } else if (arg < argc && strcmp(argv[arg], "--impair") == 0) {
      if (arg + 1 >= argc) fail_usage("%s needs loss=P,reorder=P,duplicate=P,seed=N", "--impair");
      parse_impairment(argv[arg + 1], &impairment);
      impair = &impairment;
      arg += 2;
    } else {
      break;
    }
  }
  if (argc - arg != 3) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *ifname = argv[arg];
  if (strlen(ifname) == 0 || strlen(ifname) >= IFNAMSIZ) fail_usage("%s is not an interface name (1-15 characters)", ifname);
  unsigned short local_port = parse_port(argv[arg + 1]);
  unsigned short remote_port = parse_port(argv[arg + 2]);
  if (remote_port == 0) fail_usage("REMOTEPORT %s: the peer needs a real port", argv[arg + 2]);

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_stop_signal; /* no SA_RESTART: poll returns EINTR */
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  signal(SIGPIPE, SIG_IGN);

  int home = netns ? enter_netns(netns) : -1;
  int tap = open_tap(ifname, netns);
  if (netns) leave_netns(home, netns);

  struct sockaddr_in bound;
  int udp = open_udp(local_port, &bound);
  struct sockaddr_in remote = { .sin_family = AF_INET, .sin_port = htons(remote_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

  static unsigned char buffer[BUFFER_BYTES];
  static unsigned char held_out[BUFFER_BYTES], held_in[BUFFER_BYTES];
  struct counters counts = { 0 };
  struct direction out = { .put = put_udp, .fd = udp, .remote = &remote, .held = held_out };
  struct direction in = { .put = put_tap, .fd = tap, .remote = &remote, .held = held_in };
  printf("tapbridge: ready %s %u\n", ifname, ntohs(bound.sin_port));
  fflush(stdout);

  struct pollfd fds[3] = {
    { .fd = tap, .events = POLLIN },
    { .fd = udp, .events = POLLIN },
    { .fd = STDIN_FILENO, .events = POLLIN },
  };
  while (!stop_signal) {
    int holding = out.held_length > 0 || in.held_length > 0;
    if (poll(fds, 3, holding ? HOLD_MS : -1) < 0) {
      if (errno == EINTR) continue;
      fail_errno("poll failed");
    }
    long long now = now_ms();
    if (out.held_length > 0 && now - out.held_at_ms >= HOLD_MS) release_held(&out);
    if (in.held_length > 0 && now - in.held_at_ms >= HOLD_MS) release_held(&in);
    if (fds[0].revents & (POLLERR | POLLNVAL)) {
      fail("the tap %s failed (was it deleted?)", ifname);
    }
    if (fds[0].revents & POLLIN) tap_to_udp(tap, &out, impair, buffer, &counts);
    if (fds[1].revents & (POLLIN | POLLERR)) udp_to_tap(udp, &in, impair, &remote, buffer, &counts);
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL) && stdin_closed()) break;
  }
  fprintf(stderr, "tapbridge: stopped (%s): %lu frames tap→udp, %lu udp→tap; dropped %lu unsent, %lu unwritten, %lu from strangers",
          stop_signal ? strsignal(stop_signal) : "end of stdin", counts.tap_to_udp, counts.udp_to_tap,
          counts.dropped_send, counts.dropped_tap_write, counts.dropped_stranger);
  if (impair) fprintf(stderr, "; impaired: %lu lost, %lu reordered, %lu duplicated", counts.impair_lost, counts.impair_reordered, counts.impair_duplicated);
  fputs("\n", stderr);
  return 0;
}
