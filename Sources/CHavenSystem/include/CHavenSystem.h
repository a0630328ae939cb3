#ifndef HAVEN_SYSTEM_H
#define HAVEN_SYSTEM_H

#include <spawn.h>
#include <termios.h>

/// prctl(2) is variadic, which Swift cannot call; these wrappers name the two uses Haven has.

/// prctl(PR_SET_DUMPABLE, 0): no core dumps, no ptrace or /proc/PID/mem by same-uid processes.
int haven_set_non_dumpable(void);

/// prctl(PR_GET_DUMPABLE): 0 when the process is non-dumpable.
int haven_get_dumpable(void);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), which Swift's Glibc module does
/// not declare: the child starts with no descriptor at or above `lowfd`.
int haven_spawn_close_from(posix_spawn_file_actions_t *actions, int lowfd);

/// Until haven_terminal_guard_end: SIGINT, SIGTERM or SIGHUP (unless ignored) first puts
/// `settings` back on terminal `fd` (echo on again), then ends the process as the signal would.
int haven_terminal_guard_begin(int fd, const struct termios *settings);

/// The dispositions in force before haven_terminal_guard_begin, again.
void haven_terminal_guard_end(void);

/// Every signal at its default disposition, except those ignored when this process started
/// (nohup's SIGHUP), which stay ignored, and none blocked in the calling thread: what a
/// program exec'd from here should start with, whatever the runtime blocked or set here.
void haven_signals_clean(void);

/// posix_openpt, grantpt, unlockpt and ptsname_r, which Swift's Glibc module does not
/// declare: a new pseudo-terminal's master (close-on-exec), its device's path in `device`.
int haven_open_pseudo_terminal(char *device, size_t size);

#endif
