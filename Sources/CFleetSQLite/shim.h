#include <sqlite3.h>

/// Turns off SQLite's memory statistics, before the library initializes (SQLITE_MISUSE after:
/// the call then changes nothing). With them on, every allocation and free SQLite makes takes a
/// process-wide mutex to count bytes nobody here reads (sqlite3_memory_used, the soft heap limit):
/// eleven lock and unlock pairs per event appended. SQLite's own list of recommended compile-time
/// options turns them off too (SQLITE_DEFAULT_MEMSTATUS=0). In C because sqlite3_config is
/// variadic, which Swift cannot call.
static inline int fleet_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
