#ifndef EVENTFLOWDB_CMARIADB_SHIM_H
#define EVENTFLOWDB_CMARIADB_SHIM_H

// <mysql.h> uses size_t without including its definition.
#include <stddef.h>
#include <mysql.h>
#include <errmsg.h>

// mysql_library_init is a macro, which Swift cannot call.
static inline int eventflow_mysql_library_init(void) {
    return mysql_library_init(0, NULL, NULL);
}

// mariadb_get_infov is variadic, which Swift cannot call. The status flags of the last reply:
// SERVER_STATUS_IN_TRANS, SERVER_SESSION_STATE_CHANGED, ...
static inline unsigned int eventflow_server_status(MYSQL *mysql) {
    unsigned int status = 0;
    mariadb_get_infov(mysql, MARIADB_CONNECTION_SERVER_STATUS, &status);
    return status;
}

// Thread names (Linux keeps 15 bytes), for `top -H`, debuggers and tests.
#include <sys/prctl.h>

static inline void eventflow_set_thread_name(const char *name) {
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/// Writes the calling thread's name to `name` (16 bytes).
static inline void eventflow_thread_name(char *name) {
    prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0);
}

// The binary log, read as a replica reads it: a follower in one process learns within
// milliseconds that another process committed a write to the event table (issue #23).
#include <string.h>
#include <mariadb_rpl.h>

// Opens a binary log stream on `mysql` at `file` and `position`, as replica `server_id`; NULL
// when it cannot (the error is on `mysql`). mariadb_rpl_init and mariadb_rpl_optionsv are a
// macro and variadic, which Swift cannot call.
static inline MARIADB_RPL *eventflow_binlog_open(
    MYSQL *mysql, const char *file, unsigned long position, unsigned int server_id) {
    MARIADB_RPL *rpl = mariadb_rpl_init_ex(mysql, MARIADB_RPL_VERSION);
    if (rpl == NULL) return NULL;
    if (mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file, (size_t)strlen(file)) ||
        mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, position) ||
        mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, server_id) ||
        mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, (unsigned int)0) ||
        mariadb_rpl_open(rpl)) {
        mariadb_rpl_close(rpl);
        return NULL;
    }
    return rpl;
}

// What eventflow_binlog_next read.
enum eventflow_binlog_kind {
    EVENTFLOW_BINLOG_END = 0,        // the stream failed or ended: the error is on the MYSQL handle
    EVENTFLOW_BINLOG_TABLE = 1,      // a table map of `database`.`table`: the transaction writes it
    EVENTFLOW_BINLOG_COMMIT = 2,     // a transaction's commit
    EVENTFLOW_BINLOG_OTHER = 3,      // anything else (rows, heartbeats, rotations, other tables)
};

// Reads the next event of the stream into `*event` (reused from call to call; free it with
// mariadb_free_rpl_event) and says what it is, for the table `database`.`table`.
static inline int eventflow_binlog_next(
    MARIADB_RPL *rpl, MARIADB_RPL_EVENT **event, const char *database, const char *table) {
    MARIADB_RPL_EVENT *next = mariadb_rpl_fetch(rpl, *event);
    if (next == NULL) {
        // Connector/C 3.3 frees the event it was given when the read fails: never free it again
        // (a version that does not would leak one event per ended stream, never crash).
        *event = NULL;
        return EVENTFLOW_BINLOG_END;
    }
    *event = next;
    switch (next->event_type) {
    case TABLE_MAP_EVENT: {
        MARIADB_STRING db = next->event.table_map.database, name = next->event.table_map.table;
        if (db.length == strlen(database) && name.length == strlen(table) &&
            memcmp(db.str, database, db.length) == 0 && memcmp(name.str, table, name.length) == 0)
            return EVENTFLOW_BINLOG_TABLE;
        return EVENTFLOW_BINLOG_OTHER;
    }
    case XID_EVENT:
        return EVENTFLOW_BINLOG_COMMIT;
    case QUERY_EVENT: {
        MARIADB_STRING statement = next->event.query.statement;
        if (statement.length == 6 && memcmp(statement.str, "COMMIT", 6) == 0) return EVENTFLOW_BINLOG_COMMIT;
        return EVENTFLOW_BINLOG_OTHER;
    }
    default:
        return EVENTFLOW_BINLOG_OTHER;
    }
}

#endif
