#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "eventflow_baseline.h"

#include <stddef.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

struct baseline_connection {
    MYSQL *mysql;
    MYSQL_STMT *insert;
    MYSQL_STMT *select;
    MYSQL_STMT *claim;
};

static const char *INSERT_SQL = "INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char *SELECT_SQL =
    "SELECT e.id, e.timestamp, e.domain, e.rid, e.pid, e.name, e.data FROM event e WHERE e.domain = ? AND e.pid = ? "
    "ORDER BY e.timestamp, e.seq";
// The library's claim: the claim time, a random token (which tells a caller whose reply was lost
// whether it won) and the hub, while the row is unclaimed.
static const char *CLAIM_SQL =
    "UPDATE event_published SET consumed_hub = ?, consumed_hub_claim = ?, hub = ? WHERE event_id = ? AND consumed_hub IS NULL";

static MYSQL_STMT *prepare(MYSQL *mysql, const char *sql) {
    MYSQL_STMT *statement = mysql_stmt_init(mysql);
    if (statement && mysql_stmt_prepare(statement, sql, strlen(sql)) != 0) {
        mysql_stmt_close(statement);
        return NULL;
    }
    return statement;
}

baseline_connection *baseline_connect(const char *host, unsigned int port, const char *user, const char *password,
                                      const char *database, char *error) {
    MYSQL *mysql = mysql_init(NULL);
    unsigned int protocol = MYSQL_PROTOCOL_TCP;
    mysql_options(mysql, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(mysql, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
    if (!mysql_real_connect(mysql, host, user, password, database, port, NULL, 0)) {
        snprintf(error, 256, "%s", mysql_error(mysql));
        mysql_close(mysql);
        return NULL;
    }
    baseline_connection *connection = calloc(1, sizeof(baseline_connection));
    connection->mysql = mysql;
    connection->insert = prepare(mysql, INSERT_SQL);
    connection->select = prepare(mysql, SELECT_SQL);
    connection->claim = prepare(mysql, CLAIM_SQL);
    if (!connection->insert || !connection->select || !connection->claim) {
        snprintf(error, 256, "prepare failed: %s", mysql_error(mysql));
        baseline_close(connection);
        return NULL;
    }
    return connection;
}

void baseline_close(baseline_connection *connection) {
    if (!connection) return;
    if (connection->insert) mysql_stmt_close(connection->insert);
    if (connection->select) mysql_stmt_close(connection->select);
    if (connection->claim) mysql_stmt_close(connection->claim);
    mysql_close(connection->mysql);
    free(connection);
}

static void now_as_time(MYSQL_TIME *time, int with_milliseconds) {
    struct timeval now;
    gettimeofday(&now, NULL);
    time_t seconds = now.tv_sec;
    struct tm parts;
    gmtime_r(&seconds, &parts);
    memset(time, 0, sizeof(*time));
    time->year = parts.tm_year + 1900;
    time->month = parts.tm_mon + 1;
    time->day = parts.tm_mday;
    time->hour = parts.tm_hour;
    time->minute = parts.tm_min;
    time->second = parts.tm_sec;
    time->second_part = with_milliseconds ? (now.tv_usec / 1000) * 1000 : 0;
    time->time_type = MYSQL_TIMESTAMP_DATETIME;
}

static void bind_string(MYSQL_BIND *bind, const char *text, unsigned long length) {
    bind->buffer_type = MYSQL_TYPE_STRING;
    bind->buffer = (void *)text;
    bind->buffer_length = length;
}

int64_t baseline_persist_events(baseline_connection *connection, int64_t first, int64_t count) {
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char id[21], pid[16], data[256], payload[151];
    memset(payload, 'x', 150);
    payload[150] = 0;
    MYSQL_TIME timestamp;
    MYSQL_BIND binds[7];
    for (int64_t i = first; i < first + count; i++) {
        for (int c = 0; c < 20; c++) id[c] = alphabet[rand() % 36];
        id[20] = 0;
        int pid_length = snprintf(pid, sizeof pid, "p%lld", (long long)(i % 200));
        int data_length = snprintf(data, sizeof data, "{\"n\":%lld,\"payload\":\"%s\",\"qux\":\"foobar\"}", (long long)i, payload);
        now_as_time(&timestamp, 1);
        memset(binds, 0, sizeof binds);
        bind_string(&binds[0], id, 20);
        binds[1].buffer_type = MYSQL_TYPE_DATETIME;
        binds[1].buffer = &timestamp;
        bind_string(&binds[2], "bench", 5);
        binds[3].buffer_type = MYSQL_TYPE_NULL;
        bind_string(&binds[4], pid, pid_length);
        bind_string(&binds[5], "created", 7);
        bind_string(&binds[6], data, data_length);
        if (mysql_stmt_bind_param(connection->insert, binds) != 0 || mysql_stmt_execute(connection->insert) != 0) {
            fprintf(stderr, "baseline insert: %s\n", mysql_stmt_error(connection->insert));
            return i - first;
        }
    }
    return count;
}

int64_t baseline_read_events(baseline_connection *connection, const char *domain, const char *pid) {
    MYSQL_STMT *statement = connection->select;
    MYSQL_BIND parameters[2];
    memset(parameters, 0, sizeof parameters);
    bind_string(&parameters[0], domain, strlen(domain));
    bind_string(&parameters[1], pid, strlen(pid));
    if (mysql_stmt_bind_param(statement, parameters) != 0 || mysql_stmt_execute(statement) != 0) return -1;

    // The same fetch as the project's driver: text columns into 512-byte buffers, longer
    // values fetched again; the JSON is left as text.
    enum { COLUMNS = 7, INLINE = 512 };
    char buffers[COLUMNS][INLINE];
    unsigned long lengths[COLUMNS];
    my_bool nulls[COLUMNS], errors[COLUMNS];
    MYSQL_TIME timestamp;
    MYSQL_BIND results[COLUMNS];
    memset(results, 0, sizeof results);
    for (int c = 0; c < COLUMNS; c++) {
        results[c].buffer_type = MYSQL_TYPE_BLOB;
        results[c].buffer = buffers[c];
        results[c].buffer_length = INLINE;
        results[c].length = &lengths[c];
        results[c].is_null = &nulls[c];
        results[c].error = &errors[c];
    }
    results[1].buffer_type = MYSQL_TYPE_DATETIME;
    results[1].buffer = &timestamp;
    results[1].buffer_length = sizeof timestamp;
    if (mysql_stmt_bind_result(statement, results) != 0) return -1;
    int64_t rows = 0;
    int status;
    while ((status = mysql_stmt_fetch(statement)) == 0 || status == MYSQL_DATA_TRUNCATED) {
        for (int c = 0; c < COLUMNS; c++) {
            if (c != 1 && !nulls[c] && lengths[c] > INLINE) {
                char *long_value = malloc(lengths[c]);
                MYSQL_BIND fetch;
                memset(&fetch, 0, sizeof fetch);
                fetch.buffer_type = MYSQL_TYPE_BLOB;
                fetch.buffer = long_value;
                fetch.buffer_length = lengths[c];
                mysql_stmt_fetch_column(statement, &fetch, c, 0);
                free(long_value);
            }
        }
        rows++;
    }
    mysql_stmt_free_result(statement);
    return status == MYSQL_NO_DATA ? rows : -1;
}

int64_t baseline_claim_events(baseline_connection *connection, const char *prefix, int64_t count, const char *hub) {
    static const char hex[] = "0123456789abcdef";
    char id[64];
    char token[32];
    unsigned char random[16];
    MYSQL_TIME now;
    MYSQL_BIND binds[4];
    int64_t wins = 0;
    for (int64_t i = 0; i < count; i++) {
        int id_length = snprintf(id, sizeof id, "%s%lld", prefix, (long long)i);
        now_as_time(&now, 0);
        if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random) return -1;
        for (int j = 0; j < 16; j++) {
            token[2 * j] = hex[random[j] >> 4];
            token[2 * j + 1] = hex[random[j] & 15];
        }
        memset(binds, 0, sizeof binds);
        binds[0].buffer_type = MYSQL_TYPE_DATETIME;
        binds[0].buffer = &now;
        bind_string(&binds[1], token, sizeof token);
        bind_string(&binds[2], hub, strlen(hub));
        bind_string(&binds[3], id, id_length);
        if (mysql_stmt_bind_param(connection->claim, binds) != 0 || mysql_stmt_execute(connection->claim) != 0) {
            if (mysql_stmt_errno(connection->claim) == 1213) continue;  // a deadlock is a lost claim
            fprintf(stderr, "baseline claim: %s\n", mysql_stmt_error(connection->claim));
            return -1;
        }
        if (mysql_stmt_affected_rows(connection->claim) == 1) wins++;
    }
    return wins;
}

/// W4's floor: the W1 events `first`..<`first + count`, `per_statement` rows per execution through
/// MariaDB's array binding (STMT_ATTR_ARRAY_SIZE: one statement, one round trip, many rows),
/// in autocommit. The fastest bulk path Connector/C offers.
int64_t baseline_persist_bulk(baseline_connection *connection, int64_t first, int64_t count, int per_statement) {
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    if (per_statement < 1 || per_statement > 10000) return 0;
    MYSQL_STMT *statement = prepare(connection->mysql, INSERT_SQL);
    if (!statement) return 0;
    size_t n = (size_t)per_statement;
    char (*ids)[21] = malloc(n * sizeof *ids);
    char (*pids)[16] = malloc(n * sizeof *pids);
    char (*data)[256] = malloc(n * sizeof *data);
    char **id_pointers = malloc(n * sizeof(char *)), **pid_pointers = malloc(n * sizeof(char *));
    char **data_pointers = malloc(n * sizeof(char *)), **domain_pointers = malloc(n * sizeof(char *));
    char **name_pointers = malloc(n * sizeof(char *));
    unsigned long *id_lengths = malloc(n * sizeof(unsigned long)), *pid_lengths = malloc(n * sizeof(unsigned long));
    unsigned long *data_lengths = malloc(n * sizeof(unsigned long)), *domain_lengths = malloc(n * sizeof(unsigned long));
    unsigned long *name_lengths = malloc(n * sizeof(unsigned long));
    MYSQL_TIME *times = malloc(n * sizeof(MYSQL_TIME));
    // Column-wise array binding takes a pointer per row for every type that is not a number.
    MYSQL_TIME **time_pointers = malloc(n * sizeof(MYSQL_TIME *));
    char payload[151];
    memset(payload, 'x', 150);
    payload[150] = 0;
    int64_t done = 0;
    while (done < count) {
        unsigned int rows = (unsigned int)((count - done) < (int64_t)n ? (count - done) : (int64_t)n);
        for (unsigned int r = 0; r < rows; r++) {
            int64_t i = first + done + r;
            for (int c = 0; c < 20; c++) ids[r][c] = alphabet[rand() % 36];
            ids[r][20] = 0;
            id_pointers[r] = ids[r];
            id_lengths[r] = 20;
            pid_lengths[r] = (unsigned long)snprintf(pids[r], sizeof pids[r], "p%lld", (long long)(i % 200));
            pid_pointers[r] = pids[r];
            data_lengths[r] = (unsigned long)snprintf(
                data[r], sizeof data[r], "{\"n\":%lld,\"payload\":\"%s\",\"qux\":\"foobar\"}", (long long)i, payload);
            data_pointers[r] = data[r];
            domain_pointers[r] = "bench";
            domain_lengths[r] = 5;
            name_pointers[r] = "created";
            name_lengths[r] = 7;
            now_as_time(&times[r], 1);
            time_pointers[r] = &times[r];
        }
        MYSQL_BIND binds[7];
        memset(binds, 0, sizeof binds);
        binds[0].buffer_type = MYSQL_TYPE_STRING;
        binds[0].buffer = id_pointers;
        binds[0].length = id_lengths;
        binds[1].buffer_type = MYSQL_TYPE_DATETIME;
        binds[1].buffer = time_pointers;
        binds[2].buffer_type = MYSQL_TYPE_STRING;
        binds[2].buffer = domain_pointers;
        binds[2].length = domain_lengths;
        binds[3].buffer_type = MYSQL_TYPE_NULL;
        binds[4].buffer_type = MYSQL_TYPE_STRING;
        binds[4].buffer = pid_pointers;
        binds[4].length = pid_lengths;
        binds[5].buffer_type = MYSQL_TYPE_STRING;
        binds[5].buffer = name_pointers;
        binds[5].length = name_lengths;
        binds[6].buffer_type = MYSQL_TYPE_STRING;
        binds[6].buffer = data_pointers;
        binds[6].length = data_lengths;
        if (mysql_stmt_attr_set(statement, STMT_ATTR_ARRAY_SIZE, &rows) != 0 ||
            mysql_stmt_bind_param(statement, binds) != 0 || mysql_stmt_execute(statement) != 0) {
            fprintf(stderr, "baseline bulk insert: %s\n", mysql_stmt_error(statement));
            break;
        }
        done += rows;
    }
    mysql_stmt_close(statement);
    free(ids); free(pids); free(data); free(id_pointers); free(pid_pointers); free(data_pointers);
    free(domain_pointers); free(name_pointers); free(id_lengths); free(pid_lengths); free(data_lengths);
    free(domain_lengths); free(name_lengths); free(times); free(time_pointers);
    return done;
}
