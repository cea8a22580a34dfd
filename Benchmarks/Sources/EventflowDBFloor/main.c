// eventflow-db-floor DATABASE CONNECTIONS
//
// The benchmark's floor in a process of its own: the C baseline (the same prepared statements
// as EventflowDB's repositories, on Connector/C) driven slice by slice over a pipe by
// eventflow-db-bench, so nothing in the Swift process (its threads, its allocator, its
// cooperative pool) slows it down, and it is idle, blocked on its pipe, while the Swift side runs.
//
// Connects to the EVENTFLOW_MYSQL_HOST/PORT/USER/PASS server, prints "ready", then answers one
// line per command with "ok VALUE NANOSECONDS" (the time of the work alone) or "error TEXT":
//   persist THREADS SLICE PER_THREAD   thread t persists events (SLICE*THREADS+t)*PER_THREAD …
//   read PASSES FROM TO DOMAIN          reads the logs of pids pFROM..<pTO, PASSES times
//   claim THREADS COUNT PREFIX          thread t claims PREFIX0 … for hub bench-hub-t
//   bulk FIRST COUNT PER_STATEMENT      persists events FIRST… by array binding, PER_STATEMENT a statement
//   quit
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eventflow_baseline.h"

#define MAX_CONNECTIONS 64

static baseline_connection *connections[MAX_CONNECTIONS];
static int connection_count = 0;

typedef struct {
    int index;
    int64_t first, count;
    const char *prefix;
    int64_t result;
} job;

static int64_t now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (int64_t)time.tv_sec * 1000000000 + time.tv_nsec;
}

static void *persist_job(void *argument) {
    job *work = argument;
    work->result = baseline_persist_events(connections[work->index], work->first, work->count);
    return NULL;
}

static void *claim_job(void *argument) {
    job *work = argument;
    char hub[32];
    snprintf(hub, sizeof hub, "bench-hub-%d", work->index);
    work->result = baseline_claim_events(connections[work->index], work->prefix, work->count, hub);
    return NULL;
}

/// Runs `body` on `threads` threads with the jobs given; returns the sum of their results.
static int64_t on_threads(int threads, job *jobs, void *(*body)(void *)) {
    pthread_t ids[MAX_CONNECTIONS];
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, body, &jobs[t]);
    int64_t sum = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        sum += jobs[t].result < 0 ? 0 : jobs[t].result;
    }
    return sum;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: eventflow-db-floor DATABASE CONNECTIONS\n");
        return 2;
    }
    const char *host = getenv("EVENTFLOW_MYSQL_HOST") ? getenv("EVENTFLOW_MYSQL_HOST") : "127.0.0.1";
    unsigned int port = getenv("EVENTFLOW_MYSQL_PORT") ? (unsigned int)atoi(getenv("EVENTFLOW_MYSQL_PORT")) : 3306;
    const char *user = getenv("EVENTFLOW_MYSQL_USER") ? getenv("EVENTFLOW_MYSQL_USER") : "root";
    const char *password = getenv("EVENTFLOW_MYSQL_PASS") ? getenv("EVENTFLOW_MYSQL_PASS") : "";
    int wanted = atoi(argv[2]);
    if (wanted < 1 || wanted > MAX_CONNECTIONS) wanted = 1;
    for (; connection_count < wanted; connection_count++) {
        char error[256] = {0};
        connections[connection_count] = baseline_connect(host, port, user, password, argv[1], error);
        if (!connections[connection_count]) {
            printf("error %s\n", error);
            fflush(stdout);
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);

    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        char command[16] = {0}, text[256] = {0};
        long long a = 0, b = 0, c = 0;
        job jobs[MAX_CONNECTIONS];
        int64_t started, value;
        if (sscanf(line, "%15s", command) != 1 || strcmp(command, "quit") == 0) break;
        if (strcmp(command, "persist") == 0 && sscanf(line, "%*s %lld %lld %lld", &a, &b, &c) == 3 && a <= connection_count) {
            for (int t = 0; t < a; t++) jobs[t] = (job){t, (b * a + t) * c, c, NULL, 0};
            started = now_ns();
            value = on_threads((int)a, jobs, persist_job);
        } else if (strcmp(command, "read") == 0 && sscanf(line, "%*s %lld %lld %lld %255s", &a, &b, &c, text) == 4) {
            started = now_ns();
            value = 0;
            for (long long pass = 0; pass < a; pass++) {
                for (long long pid = b; pid < c; pid++) {
                    char name[32];
                    snprintf(name, sizeof name, "p%lld", pid);
                    int64_t rows = baseline_read_events(connections[0], text, name);
                    value += rows < 0 ? 0 : rows;
                }
            }
        } else if (strcmp(command, "bulk") == 0 && sscanf(line, "%*s %lld %lld %lld", &a, &b, &c) == 3) {
            started = now_ns();
            value = baseline_persist_bulk(connections[0], a, b, (int)c);
        } else if (strcmp(command, "claim") == 0 && sscanf(line, "%*s %lld %lld %255s", &a, &b, text) == 3 && a <= connection_count) {
            for (int t = 0; t < a; t++) jobs[t] = (job){t, 0, b, text, 0};
            started = now_ns();
            value = on_threads((int)a, jobs, claim_job);
        } else {
            printf("error unknown command\n");
            fflush(stdout);
            continue;
        }
        printf("ok %lld %lld\n", (long long)value, (long long)(now_ns() - started));
        fflush(stdout);
    }
    for (int i = 0; i < connection_count; i++) baseline_close(connections[i]);
    return 0;
}
