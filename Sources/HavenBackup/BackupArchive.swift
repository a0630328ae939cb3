import Glibc
import HavenCore
import HavenCrypto
import HavenSystem

/// A backup archive (FORMAT.md in HavenVault, "backup archive"): a consistent snapshot of
/// the vault's database, encrypted as a whole under a key derived from the root key, and
/// signed by the vault's key so anyone with vault.pub can check it offline.
///
///     "HAVEN-BACKUP-v1\n" | u32 header length | header (canonical JSON, `BackupHeader`)
///     | frames: u32 length (> 0) | secretstream chunk ... | u32 0 | Ed25519 signature (64)
///
/// The chunks are the snapshot file, 1 MiB at a time, through libsodium's secretstream; the
/// first chunk's associated data is the header, and the last carries the FINAL tag. The
/// signature is over "haven/backup/v1\n" and the BLAKE2b-256 of every byte before it, so
/// one byte changed anywhere — header, chunk, framing — is refused by `verify`.
public enum BackupArchive {
    static let magic = Array("HAVEN-BACKUP-v1\n".utf8)
    static let domain = Array("haven/backup/v1\n".utf8)
    static let chunkBytes = 1 << 20
    static let signatureBytes = 64
    /// A header larger than this is not one (its seal file is at most a few KiB).
    static let maximumHeaderBytes = 64 * 1024

    /// Encrypts the file at `snapshot` into a new archive at `path` (0600), under `key`, and signs it.
    public static func write(snapshot: String, to path: String, header make: ([UInt8]) -> BackupHeader, key: SecureBytes,
                             signer: SigningKey) throws(HavenError) -> (header: BackupHeader, bytes: Int) {
        let input = try FileStream(reading: snapshot)
        let output = try FileStream(creating: path)
        var ok = false
        defer { if !ok { unlink(path) } }
        let pusher = SecretStream.Pusher(key: key)
        let header = make(pusher.header)
        let headerBytes = header.bytes
        let digest = BLAKE2bStream()
        func emit(_ bytes: [UInt8]) throws(HavenError) {
            digest.update(bytes)
            try output.write(bytes)
        }
        try emit(magic + bigEndian(UInt32(headerBytes.count)) + headerBytes)
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        var first = true
        var pending = try input.read(into: &chunk)
        while true {
            var next = [UInt8](repeating: 0, count: chunkBytes)
            let following = pending == 0 ? 0 : try input.read(into: &next)
            let final = following == 0
            let sealed = chunk.withUnsafeBytes { pusher.push(UnsafeRawBufferPointer(rebasing: $0[..<pending]), ad: first ? headerBytes : [], final: final) }
            try emit(bigEndian(UInt32(sealed.count)) + sealed)
            first = false
            if final { break }
            chunk = next
            pending = following
        }
        try emit(bigEndian(UInt32(0)))
        let signature = signer.sign(domain + digest.finish().bytes)
        try output.write(signature)
        try output.sync()
        ok = true
        return (header, output.written)
    }

    /// Checks an archive's framing and signature, by `key` (vault.pub) or, if nil, by the
    /// key its header names (which says the archive is whole, not whose it is).
    @discardableResult
    public static func verify(_ path: String, key: PublicKey?) throws(HavenError) -> BackupHeader {
        try read(path, key: key, decrypt: nil)
    }

    /// Verifies the archive, then decrypts its snapshot into a new file at `out` (0600).
    public static func decrypt(_ path: String, key: PublicKey?, backupKey: SecureBytes, to out: String) throws(HavenError) -> BackupHeader {
        try verify(path, key: key)
        let output = try FileStream(creating: out)
        var ok = false
        defer { if !ok { unlink(out) } }
        let header = try read(path, key: key, decrypt: (backupKey, output))
        try output.sync()
        ok = true
        return header
    }

    private static func read(_ path: String, key: PublicKey?, decrypt: (key: SecureBytes, out: FileStream)?) throws(HavenError) -> BackupHeader {
        let damaged = { (what: String) in HavenError(.invalidDocument, "\(path) is not an intact Haven backup: \(what)") }
        let input = try FileStream(reading: path)
        let digest = BLAKE2bStream()
        func take(_ count: Int, _ what: String) throws(HavenError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            guard try input.read(into: &bytes) == count else { throw damaged("it ends inside \(what)") }
            digest.update(bytes)
            return bytes
        }
        guard try take(magic.count, "its first line") == magic else { throw damaged("it does not begin HAVEN-BACKUP-v1") }
        let headerCount = Int(uint32(try take(4, "the header length")))
        guard headerCount <= maximumHeaderBytes else { throw damaged("its header length is \(headerCount)") }
        let headerBytes = try take(headerCount, "the header")
        let header = try BackupHeader(bytes: headerBytes)
        var puller: SecretStream.Puller?
        if let decrypt {
            do { puller = try SecretStream.Puller(key: decrypt.key, header: header.streamHeader) } catch { throw damaged("its stream header") }
        }
        var first = true
        while true {
            let length = Int(uint32(try take(4, "a chunk length")))
            if length == 0 { break }
            guard length >= SecretStream.overhead, length <= chunkBytes + SecretStream.overhead else {
                throw damaged("a chunk of \(length) bytes")
            }
            let sealed = try take(length, "a chunk")
            if let puller, let out = decrypt?.out {
                var plain = [UInt8](repeating: 0, count: length - SecretStream.overhead)
                let ad = first ? headerBytes : []
                let opened = plain.withUnsafeMutableBytes { p -> Bool in
                    do {
                        try puller.pull(sealed, ad: ad, into: p)
                        return true
                    } catch {
                        return false
                    }
                }
                guard opened else {
                    throw HavenError(.invalidKey, "the backup does not open with this root key (or it was altered)",
                                     hint: "give the root key, passphrase or shares of the vault it was made from")
                }
                try out.write(plain)
            }
            first = false
        }
        if let puller, !puller.finished { throw damaged("it was cut short (no final chunk)") }
        var signature = [UInt8](repeating: 0, count: signatureBytes)
        guard try input.read(into: &signature) == signatureBytes else { throw damaged("its signature is missing") }
        var extra = [UInt8](repeating: 0, count: 1)
        guard try input.read(into: &extra) == 0 else { throw damaged("bytes follow its signature") }
        let signer: PublicKey
        do {
            signer = try key ?? PublicKey(bytes: header.vaultPublicKey)
        } catch {
            throw damaged("its vault key")
        }
        guard signer.bytes == header.vaultPublicKey else {
            throw HavenError(.invalidDocument, "\(path) is a backup of another vault (key \(((try? PublicKey(bytes: header.vaultPublicKey))?.keyID) ?? "?")), not of \(signer.keyID)")
        }
        do {
            try signer.verify(signature: signature, message: domain + digest.finish().bytes)
        } catch {
            throw damaged("its signature does not match (a byte was changed)")
        }
        if let c = header.checkpoint {
            try c.verify(with: signer, vault: header.vaultID)
            guard c.checkpoint.size <= header.auditSize else { throw damaged("its checkpoint is beyond its log") }
        }
        return header
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func uint32(_ b: [UInt8]) -> UInt32 { b.reduce(0) { $0 << 8 | UInt32($1) } }
}

/// A file read or written front to back, with errors that name it.
final class FileStream {
    let path: String
    let fd: Int32
    private(set) var written = 0

    init(reading path: String) throws(HavenError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    /// A new file, 0600; an existing one is never overwritten.
    init(creating path: String) throws(HavenError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Fills `buffer` as far as the file allows; returns how much it read.
    func read(into buffer: inout [UInt8]) throws(HavenError) -> Int {
        var done = 0
        while done < buffer.count {
            let n: Int
            do {
                n = try systemCall("read") { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) } }
            } catch {
                throw HavenError(.ioError, "cannot read \(path): \(error.reason)")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func write(_ bytes: [UInt8]) throws(HavenError) {
        var done = 0
        while done < bytes.count {
            let n: Int
            do {
                n = try systemCall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) } }
            } catch {
                throw HavenError(.ioError, "cannot write \(path): \(error.reason)")
            }
            guard n > 0 else { throw HavenError(.ioError, "cannot write \(path): \(String(cString: strerror(errno)))") }
            done += n
        }
        written += bytes.count
    }

    func sync() throws(HavenError) {
        guard fsync(fd) == 0 else { throw HavenError(.ioError, "cannot flush \(path): \(String(cString: strerror(errno)))") }
    }
}
