#ifndef EVENTFLOWDB_BENCH_CMARIADB_SHIM_H
#define EVENTFLOWDB_BENCH_CMARIADB_SHIM_H

// Connector/C for the benchmark's C targets only (the baseline and the floor). A module of its
// own, since the root package's CMariaDB is not a product; no Swift file imports it.
// <mysql.h> uses size_t without including its definition.
#include <stddef.h>
#include <mysql.h>

#endif
