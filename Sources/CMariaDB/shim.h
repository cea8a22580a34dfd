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

#endif
