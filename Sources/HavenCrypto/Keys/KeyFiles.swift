import Glibc
import HavenCore
import HavenSystem

/// Reading and writing key files on disk, with the permission rules Haven promises (SPEC §4).
public enum KeyFiles {
    /// Upper bound on a key file's size; anything larger is not a key file.
    static let maximumSize = 4096

    /// Reads a secret key file straight into guarded memory.
    ///
    /// Refuses a file readable or writable by group or others, like ssh does: a key others can
    /// read is already compromised, and silently using it would hide that.
    public static func readSecret(kind: KeyFileKind, path: String) throws(HavenError) -> SecureBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw fileError("cannot open key file", path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fileError("cannot stat key file", path: path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw HavenError(.invalidKey, "\(path): not a regular file")
        }
        guard st.st_mode & 0o077 == 0 else {
            throw HavenError(.invalidKey, "\(path): key file is accessible by group or others (mode \(String(st.st_mode & 0o777, radix: 8)))",
                             hint: "run 'chmod 600 \(path)'")
        }
        let size = Int(st.st_size)
        guard size > 0, size <= maximumSize else { throw HavenError(.invalidKey, "\(path): not a key file (size \(size))") }
        let raw: SecureBytes
        do {
            raw = try SecureBytes(count: size) { out in
                var done = 0
                while done < size {
                    guard let n = try? systemCall("read", { read(fd, out.baseAddress! + done, size - done) }), n > 0 else {
                        throw HavenError(.ioError, "\(path): read failed")
                    }
                    done += n
                }
            }
        } catch let error as HavenError {
            throw error
        } catch {
            throw HavenError(.ioError, "\(path): read failed")
        }
        do {
            return try raw.withUnsafeBytes { (b) throws(CryptoError) -> SecureBytes in
                try KeyFileFormat.decode(kind: kind, file: b)
            }
        } catch {
            throw HavenError(.invalidKey, "\(path): \(describe(error))")
        }
    }

    /// Reads a public key file (no permission rule: public keys are meant to be shared).
    public static func readPublic(path: String) throws(HavenError) -> PublicKey {
        let contents = try readSmallFile(path, limit: maximumSize)
        do {
            return try decodePublic(contents)
        } catch {
            throw HavenError(.invalidKey, "\(path): \(describe(error))")
        }
    }

    public static func parsePublic(_ text: String) throws(HavenError) -> PublicKey {
        do {
            return try decodePublic(Array(text.utf8))
        } catch {
            throw HavenError(.invalidKey, "public key: \(describe(error))")
        }
    }

    private static func decodePublic(_ contents: [UInt8]) throws(CryptoError) -> PublicKey {
        let decoded = contents.withUnsafeBytes { b in
            Result { () throws(CryptoError) -> SecureBytes in try KeyFileFormat.decode(kind: .ed25519Public, file: b) }
        }
        let key = try decoded.get()
        return try key.withUnsafeBytes { (b) throws(CryptoError) -> PublicKey in try PublicKey(bytes: Array(b)) }
    }

    /// Creates a new file with `mode`, refusing to overwrite: replacing a key by accident
    /// would make a vault or an identity unrecoverable. Extracts and exports are written the
    /// same way; `what` names the file in the refusal ("an extract"), so it is not called a key.
    public static func create(path: String, contents: UnsafeRawBufferPointer, mode: mode_t,
                              what: String = "a key file") throws(HavenError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw HavenError(.ioError, "\(path) already exists", hint: "choose another path; Haven never overwrites \(what)")
            }
            throw fileError("cannot create", path: path)
        }
        var ok = fchmod(fd, mode) == 0
        var done = 0
        while ok && done < contents.count {
            // A failed write leaves its errno for the message below (fsync is not tried).
            guard let n = try? systemCall("write", { write(fd, contents.baseAddress! + done, contents.count - done) }), n > 0 else {
                ok = false
                break
            }
            done += n
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(path)
            throw fileError("cannot write", path: path)
        }
    }

    public static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(HavenError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError("cannot open", path: path) }
        defer { close(fd) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n: Int
            do {
                n = try systemCall("read") { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) } }
            } catch {
                throw HavenError(.ioError, "cannot read \(path): \(error.reason)")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            guard out.count <= limit else { throw HavenError(.ioError, "\(path): larger than \(limit) bytes") }
        }
        return out
    }

    static func fileError(_ what: String, path: String) -> HavenError {
        let reason = String(cString: strerror(errno))
        return HavenError(.ioError, "\(what) \(path): \(reason)")
    }

    static func describe(_ error: CryptoError) -> String {
        switch error {
        case .invalidFormat(let s), .invalidKey(let s), .libsodium(let s): return s
        case .authenticationFailure: return "authentication failed"
        }
    }
}
