#ifndef HAVEN_CSQLITE_SHIM_H
#define HAVEN_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
