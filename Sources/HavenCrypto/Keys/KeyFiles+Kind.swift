import Glibc

extension KeyFiles {
    /// Which kind of key file `path` holds, from its label alone, or nil if it is not one.
    ///
    /// Read a byte at a time and never past the label's colon: a secret key's bytes, which
    /// follow it, stay on disk (they are read only into guarded memory, by `readSecret`).
    /// Needs no mode rule, so a public key given where a private one is expected can be
    /// named as such before being told to `chmod 600`.
    public static func kind(ofFile path: String) -> KeyFileKind? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var line = [UInt8]()
        var inComment = false
        var byte: UInt8 = 0
        for _ in 0..<maximumSize {
            guard read(fd, &byte, 1) == 1 else { return nil }
            if line.isEmpty && !inComment && byte == UInt8(ascii: "#") {
                inComment = true
            } else if byte == UInt8(ascii: "\n") {
                if !inComment && !line.isEmpty { return nil }
                inComment = false
                line = []
            } else if inComment {
                continue
            } else if byte == UInt8(ascii: ":") {
                return KeyFileKind(rawValue: String(decoding: line, as: UTF8.self))
            } else if byte != UInt8(ascii: "\r") {
                line.append(byte)
                guard line.count <= 64 else { return nil }
            }
        }
        return nil
    }
}
