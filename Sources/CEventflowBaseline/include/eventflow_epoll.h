#ifndef EVENTFLOW_EPOLL_H
#define EVENTFLOW_EPOLL_H

// epoll for the benchmark's design prototypes (`eventflow-db-bench --only DESIGNS`).
// `struct epoll_event` is packed on x86-64, which Swift imports poorly: these take and fill plain
// values instead.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Watches `fd` for `events` once (the next readiness disarms it); `add` on its first arming.
static inline int eventflow_epoll_arm(int epoll, int fd, uint32_t events, int add) {
    struct epoll_event event;
    event.events = events | EPOLLONESHOT;
    event.data.fd = fd;
    return epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

/// Watches `fd` for input for as long as it is registered (a loop's wake-up descriptor).
static inline int eventflow_epoll_watch(int epoll, int fd) {
    struct epoll_event event;
    event.events = EPOLLIN;
    event.data.fd = fd;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

/// Waits up to `timeout` ms (-1: no limit) and writes up to 64 ready descriptors to `fds`.
/// Returns how many, or -1.
static inline int eventflow_epoll_wait(int epoll, int *fds, int timeout) {
    struct epoll_event ready[64];
    int count = epoll_wait(epoll, ready, 64, timeout);
    for (int index = 0; index < count; index++) fds[index] = ready[index].data.fd;
    return count;
}

#endif
