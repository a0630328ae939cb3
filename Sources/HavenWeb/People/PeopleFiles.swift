import Glibc
import HavenCore
import HavenCrypto
import HavenSystem

/// The file operations of the people directory: its directories checked as the key file
/// rules ask, files written whole or not at all, and read without following links.
enum PeopleFiles {
    /// Largest file the directory holds (an invitation, a language); a key file is read by `KeyFiles`.
    static let maximumSize = 4096

    /// Creates `path` (mode 0700) if absent; refuses a non-directory, another user's, or one
    /// group or others may write — whoever can write it can plant a key file or an invitation.
    static func ensureDirectory(_ path: String, what: String, create: Bool, followLink: Bool) throws(HavenError) {
        var st = stat()
        var found = followLink ? stat(path, &st) : lstat(path, &st)
        if found != 0 && errno == ENOENT && create {
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw HavenError(.ioError, "cannot create \(what) \(path): \(String(cString: strerror(errno)))")
            }
            found = followLink ? stat(path, &st) : lstat(path, &st)
        }
        guard found == 0 else {
            throw HavenError(.ioError, "cannot use \(what) \(path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw HavenError(.ioError, "refusing \(what) \(path): it is not a directory")
        }
        guard st.st_uid == geteuid() else {
            throw HavenError(.ioError, "refusing \(what) \(path): it is owned by uid \(st.st_uid), not by this user (uid \(geteuid()))",
                             hint: "run haven-web (serve, invite and forget alike) as the directory's owner, "
                                 + "for example with 'sudo -u OWNER haven-web …'")
        }
        guard st.st_mode & 0o022 == 0 else {
            throw HavenError(.ioError,
                             "refusing \(what) \(path): group or others may write it (mode \(String(st.st_mode & 0o777, radix: 8)))",
                             hint: "run 'chmod 700 \(path)'")
        }
    }

    /// Writes `contents` to `path` whole or not at all (mode 0600): a temporary file beside
    /// it, flushed, then renamed over it (`replace`) or linked to it (not replacing, so two
    /// writers cannot both think they made it), and the directory flushed.
    static func write(_ contents: UnsafeRawBufferPointer, to path: String, replace: Bool) throws(HavenError) {
        let directory = String(path[..<path.lastIndex(of: "/")!])
        let temporary = directory + "/.tmp-" + Hex.encode(Random.bytes(8))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure("create a file in", directory) }
        var ok = fchmod(fd, 0o600) == 0
        var done = 0
        while ok && done < contents.count {
            guard let n = try? systemCall("write", { Glibc.write(fd, contents.baseAddress! + done, contents.count - done) }), n > 0 else {
                ok = false
                break
            }
            done += n
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            let error = failure("write a file in", directory)
            unlink(temporary)
            throw error
        }
        if replace {
            guard rename(temporary, path) == 0 else {
                let error = failure("rename a file in", directory)
                unlink(temporary)
                throw error
            }
        } else {
            let linked = link(temporary, path) == 0
            let code = errno
            unlink(temporary)
            guard linked else {
                if code == EEXIST { throw HavenError(.conflict, "\(path) exists already") }
                errno = code
                throw failure("write", path)
            }
        }
        syncDirectory(directory)
    }

    static func write(_ text: String, to path: String, replace: Bool) throws(HavenError) {
        let bytes = Array(text.utf8)
        let outcome = bytes.withUnsafeBytes { b in Result { () throws(HavenError) in try write(b, to: path, replace: replace) } }
        try outcome.get()
    }

    /// A small regular file's bytes, never through a link; nil if there is no such file.
    static func read(_ path: String) throws(HavenError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("open", path)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size <= maximumSize else {
            throw HavenError(.ioError, "\(path) is not a small regular file")
        }
        var out = [UInt8](repeating: 0, count: maximumSize + 1)
        var count = 0
        while count < out.count {
            let n: Int
            do {
                n = try systemCall("read") { out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) } }
            } catch {
                throw HavenError(.ioError, "cannot read \(path): \(error.reason)")
            }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumSize else { throw HavenError(.ioError, "\(path) is larger than \(maximumSize) bytes") }
        return Array(out[..<count])
    }

    /// Whether anything is at `path` (a link counts: it is not followed).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Removes `path`; true if it was there.
    @discardableResult
    static func remove(_ path: String) throws(HavenError) -> Bool {
        guard unlink(path) == 0 else {
            if errno == ENOENT { return false }
            throw failure("remove", path)
        }
        return true
    }

    /// The names in `directory` (not `.` and `..`).
    static func names(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    static func failure(_ what: String, _ path: String) -> HavenError {
        HavenError(.ioError, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }
}
