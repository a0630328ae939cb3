import Glibc

/// The signals havend acts on, taken one at a time by `sigwait` on the main thread.
///
/// They are blocked before any other thread starts, and every later thread inherits the
/// mask. A signal sent at any moment, even during start before "ready", stays pending until
/// the main thread takes it: it is neither lost in the gap before a handler is installed
/// nor able to kill the daemon half-way through its start.
enum DaemonSignals {
    /// SIGTERM and SIGINT stop gracefully; SIGHUP reloads the policy.
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks the handled signals in the calling thread and in every thread it starts later.
    static func block() {
        var set = handledSet
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the next handled signal and returns it.
    static func next() -> Int32 {
        var set = handledSet
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        return signal
    }

    private static var handledSet: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        return set
    }
}
