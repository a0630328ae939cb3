#define _GNU_SOURCE
#include "CHavenSystem.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int haven_open_pseudo_terminal(char *device, size_t size) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, device, size) != 0) {
        close(master);
        return -1;
    }
    return master;
}
