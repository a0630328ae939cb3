#ifndef HAVEN_SYSTEM_H
#define HAVEN_SYSTEM_H

#include <spawn.h>

/// prctl(2) is variadic, which Swift cannot call; these wrappers name the two uses Haven has.

/// prctl(PR_SET_DUMPABLE, 0): no core dumps, no ptrace or /proc/PID/mem by same-uid processes.
int haven_set_non_dumpable(void);

/// prctl(PR_GET_DUMPABLE): 0 when the process is non-dumpable.
int haven_get_dumpable(void);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), which Swift's Glibc module does
/// not declare: the child starts with no descriptor at or above `lowfd`.
int haven_spawn_close_from(posix_spawn_file_actions_t *actions, int lowfd);

#endif
