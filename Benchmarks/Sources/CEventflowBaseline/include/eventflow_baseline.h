#ifndef EVENTFLOW_BASELINE_H
#define EVENTFLOW_BASELINE_H

#include <stdint.h>

/// The benchmark's floor: the same prepared statements as EventflowDB's MariaDB repositories,
/// issued by plain C on Connector/C. One connection per baseline_connection; not thread-safe,
/// use one per thread.
typedef struct baseline_connection baseline_connection;

/// Connects over TCP; NULL on failure (the reason is written to `error`, 256 bytes).
baseline_connection *baseline_connect(const char *host, unsigned int port, const char *user, const char *password,
                                      const char *database, char *error);
void baseline_close(baseline_connection *connection);

/// W1: persists `count` events numbered from `first`, one INSERT each in autocommit.
/// Returns the number persisted (less than `count` on an error).
int64_t baseline_persist_events(baseline_connection *connection, int64_t first, int64_t count);

/// W2: reads the event log of (`domain`, `pid`), fetching every column without parsing JSON.
/// Returns the number of rows, -1 on an error.
int64_t baseline_persist_bulk(baseline_connection *connection, int64_t first, int64_t count, int per_statement);

int64_t baseline_read_events(baseline_connection *connection, const char *domain, const char *pid);

/// W3: tries to claim each of `count` published events `prefix0` … for `hub`.
/// Returns how many claims this connection won, -1 on an error.
int64_t baseline_claim_events(baseline_connection *connection, const char *prefix, int64_t count, const char *hub);

#endif
