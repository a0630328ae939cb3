#define _GNU_SOURCE
#include "CHavenSystem.h"
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

// A prompt with echo off must not leave the terminal silent when a signal ends it. The
// handler does only async-signal-safe calls: it puts the saved settings back and lets the
// signal take its default course, so the shell sees the process ended by it (128 + signal).

static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };
#define GUARDED_COUNT (sizeof guarded / sizeof guarded[0])
static volatile sig_atomic_t guarded_fd = -1;
static struct termios guarded_settings;
static struct sigaction previous[GUARDED_COUNT];
static int installed[GUARDED_COUNT];

static void restore_and_end(int signal_number) {
    int fd = guarded_fd;
    if (fd >= 0) {
        tcsetattr(fd, TCSANOW, &guarded_settings);
        (void)!write(fd, "\n", 1);
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    // Blocked while this handler runs: delivered, at its default, as soon as it returns.
    raise(signal_number);
}

int haven_terminal_guard_begin(int fd, const struct termios *settings) {
    guarded_settings = *settings;
    guarded_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_and_end;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < GUARDED_COUNT; i++) sigaddset(&action.sa_mask, guarded[i]);
    int failed = 0;
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        installed[i] = 0;
        if (sigaction(guarded[i], NULL, &previous[i]) != 0) { failed = -1; continue; }
        // A signal the caller ignores (nohup, a background job) stays ignored.
        if (previous[i].sa_handler == SIG_IGN) continue;
        if (sigaction(guarded[i], &action, NULL) != 0) { failed = -1; continue; }
        installed[i] = 1;
    }
    return failed;
}

void haven_terminal_guard_end(void) {
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        if (installed[i]) sigaction(guarded[i], &previous[i], NULL);
        installed[i] = 0;
    }
    guarded_fd = -1;
}

// The signals ignored when this process started, before the Swift runtime, a library or the
// command changed any disposition: `nohup haven backup restore …` and a shell's background
// jobs hand haven SIGHUP (or SIGINT, SIGQUIT) ignored, and a program exec'd from here must
// inherit that, as it would have from the shell. A constructor runs before main.
static sigset_t inherited_ignored;

__attribute__((constructor)) static void haven_signals_record_inherited(void) {
    sigemptyset(&inherited_ignored);
    for (int s = 1; s < NSIG; s++) {
        struct sigaction current;
        if (sigaction(s, NULL, &current) == 0 && current.sa_handler == SIG_IGN) sigaddset(&inherited_ignored, s);
    }
}

void haven_signals_clean(void) {
    struct sigaction fallback, ignored;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    ignored = fallback;
    ignored.sa_handler = SIG_IGN;
    // SIGKILL and SIGSTOP cannot be changed, and glibc keeps its own real-time signals:
    // sigaction refuses those, which is what is wanted. What this process set itself (a
    // handler, an ignored SIGPIPE) goes back to the default; what it inherited ignored stays so.
    for (int s = 1; s < NSIG; s++) sigaction(s, sigismember(&inherited_ignored, s) == 1 ? &ignored : &fallback, NULL);
    sigset_t nothing;
    sigemptyset(&nothing);
    pthread_sigmask(SIG_SETMASK, &nothing, NULL);
}
