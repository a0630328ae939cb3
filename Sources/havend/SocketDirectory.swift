import Glibc

/// The directory the socket lives in must keep others out: the socket itself is 0660,
/// but a directory others — or other members of the group, who are the CLI's users — can
/// write to would let them replace it with their own, and clients would then talk to an
/// impostor. So 0750 or tighter.
enum SocketDirectory {
    static func check(socketPath: String) throws {
        let dir = socketPath.contains("/") ? String(socketPath[..<socketPath.lastIndex(of: "/")!]) : "."
        let path = dir.isEmpty ? "/" : dir
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw StartupError("socket directory \(path) is missing: \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw StartupError("socket directory \(path) is not a directory") }
        guard st.st_uid == geteuid() else {
            throw StartupError("socket directory \(path) is owned by uid \(st.st_uid), not by this user (uid \(geteuid())); "
                               + "use a directory of the daemon's own, e.g. /run/haven")
        }
        let mode = st.st_mode & 0o777
        guard mode & 0o007 == 0 else {
            throw StartupError("socket directory \(path) is accessible by others (mode \(String(mode, radix: 8))); "
                               + "run 'chmod o-rwx \(path)' or choose a directory only the owner and group can enter")
        }
        guard mode & 0o020 == 0 else {
            throw StartupError("socket directory \(path) is writable by its group (mode \(String(mode, radix: 8))); "
                               + "run 'chmod g-w \(path)': members of the group could replace the socket with their own")
        }
    }
}
