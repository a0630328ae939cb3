import Glibc
import HavenCore

extension VaultInitializer {
    /// Refuses, without writing anything, a data directory that `makeEmptyDirectory` would
    /// refuse later: run before a passphrase is asked, so that no one types it twice only to
    /// learn that the directory's parent is missing. What it finds is what `init` and
    /// `restore` tell: one line, and a hint.
    public static func checkTarget(_ path: String, command: String = "haven init") throws(HavenError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw HavenError(.ioError, "\(path) exists and is not a directory", hint: "choose a new directory for --data")
            }
            if access(path + "/haven.db", F_OK) == 0 {
                throw HavenError(.ioError, "\(path) already holds a vault",
                                 hint: "\(command) makes a vault in a new or empty directory; choose another --data")
            }
            guard isEmpty(path) else {
                throw HavenError(.ioError, "\(path) is not empty", hint: "\(command) makes a vault in a new or empty directory")
            }
            guard access(path, W_OK | X_OK) == 0 else {
                throw HavenError(.ioError, "\(path) is not writable by this user",
                                 hint: "run as the user havend runs as, or choose a directory you can write")
            }
            return
        }
        guard errno == ENOENT else {
            throw HavenError(.ioError, "cannot use \(path): \(String(cString: strerror(errno)))")
        }
        let parent = Self.parent(of: path)
        guard stat(parent, &st) == 0 else {
            throw HavenError(.ioError, "cannot create \(path): its parent directory \(parent) does not exist",
                             hint: "create it first (mkdir -p \(parent)), or choose another --data")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw HavenError(.ioError, "cannot create \(path): \(parent) is not a directory", hint: "choose another --data")
        }
        guard access(parent, W_OK | X_OK) == 0 else {
            throw HavenError(.ioError, "cannot create \(path): \(parent) is not writable by this user",
                             hint: "run as the user havend runs as, or choose a directory you can write")
        }
    }

    /// The directory `path` would be made in ("." for a bare name).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func isEmpty(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { return false }
        }
        return true
    }
}
