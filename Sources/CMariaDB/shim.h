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

#endif
