import Glibc

/// An exclusive `flock` held for the daemon's lifetime. One on the data directory keeps
/// two daemons off one vault; one beside the socket keeps a second daemon from deleting a
/// live socket (binding cleans up an existing socket file, which is only safe once we
/// know no one else is serving it).
struct InstanceLock {
    let fd: Int32

    init(path: String, what: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StartupError("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StartupError("another havend is already serving \(what) (lock \(path) is held)")
        }
        self.fd = fd
    }
}
