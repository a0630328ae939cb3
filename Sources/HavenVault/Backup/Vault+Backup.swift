import Foundation
import Glibc
import HavenAPI
import HavenAudit
import HavenBackup
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging
import NIOCore

extension Vault {
    /// Archives wait here (DATA/backups, 0700) until the administrator's client fetches them.
    var backupSpool: String { directory.path + "/backups" }
    /// Bytes per fetched chunk.
    public static let backupChunkBytes = 4 << 20

    /// `key.manage`: a consistent snapshot of the serving vault (`VACUUM INTO` on a reader's
    /// connection: one read transaction, writers carry on), encrypted as a whole under the
    /// root-derived backup key and signed with the vault's key (`BackupArchive`). The
    /// request's own entry, with a checkpoint, is committed first, so the archive's log
    /// records its own making.
    public func createBackup(_ ctx: RequestContext) -> EventLoopFuture<BackupCreated> {
        var record = RequestRecord(action: "backup.create", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<BackupCreated> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            let random = Random.bytes(4)
            let stamp = clock.now().rfc3339.filter { $0.isNumber }.prefix(14)
            let name = "backup-\(stamp)-\(Hex.encode(random)).hvbk"
            record.event.detail["archive"] = name
            return writer.audit(on: ctx.eventLoop, record.event, checkpoint: true).flatMap { _ in
                let promise = ctx.eventLoop.makePromise(of: BackupCreated.self)
                Thread.detachNewThread { [self] in
                    do {
                        promise.succeed(try writeArchive(name))
                    } catch {
                        logger.error("backup failed", metadata: ["archive": "\(name)", "error": "\(error)"])
                        promise.fail(error)
                    }
                }
                return promise.futureResult
            }
        }
    }

    private func writeArchive(_ name: String) throws -> BackupCreated {
        if mkdir(backupSpool, 0o700) != 0 && errno != EEXIST {
            throw HavenError(.ioError, "cannot create \(backupSpool): \(String(cString: strerror(errno)))")
        }
        // The seal is read before the snapshot, with this vault's keys: a rotation can only
        // commit after this vault has closed, so seal, keys and snapshot are of one key.
        let mode = directory.sealMode
        let sealFile: [UInt8]? = switch mode {
        case .file: nil
        case .passphrase: try KeyFiles.readSecret(kind: .rootKeyPassphrase, path: directory.passphraseSealPath).withUnsafeBytes { Array($0) }
        case .shares: try KeyFiles.readSecret(kind: .rootShareSet, path: directory.shareSetPath).withUnsafeBytes { Array($0) }
        }
        let snapshot = backupSpool + "/" + name + ".snapshot"
        defer { unlink(snapshot) }
        let (size, checkpoint) = try takeSnapshot(into: snapshot)
        let now = clock.now()
        let written = try BackupArchive.write(snapshot: snapshot, to: backupSpool + "/" + name, header: { stream in
            BackupHeader(vaultID: keys.vaultID, vaultPublicKey: keys.publicKey.bytes, createdAt: now, auditSize: size,
                         checkpoint: checkpoint, seal: mode, sealFile: sealFile, streamHeader: stream)
        }, key: keys.backupKey, signer: keys.signingKey)
        return BackupCreated(name: name, size: written.bytes, vaultID: keys.vaultID.rawValue, createdAt: now.rfc3339, auditSize: size)
    }

    /// `VACUUM INTO` from a connection of its own, and the snapshot's log size and latest checkpoint.
    private func takeSnapshot(into path: String) throws -> (UInt64, SignedCheckpoint?) {
        let previous = umask(0o077)
        defer { umask(previous) }
        do {
            let source = try Connection(path: directory.databasePath, mode: .readWrite)
            try source.execute("PRAGMA busy_timeout = 5000")
            try source.execute("VACUUM INTO '\(path.replacingOccurrences(of: "'", with: "''"))'")
            let copy = try Connection(path: path, mode: .readOnly)
            let size = try AuditTable.count(on: copy)
            let latest = try AuditTable.latestCheckpoint(on: copy).flatMap { try? SignedCheckpoint(json: $0.note) }
            copy.resetStatements()
            return (size, latest)
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.storeUnavailable, "the snapshot could not be taken: \(error)")
        }
    }

    /// Empties the spool at start: a snapshot left by a crash, or an archive never fetched,
    /// is a copy of the vault as it was — it would keep records erased since.
    static func emptySpool(_ directory: DataDirectory, logger: Logger) {
        let spool = directory.path + "/backups"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: spool), !names.isEmpty else { return }
        for name in names { unlink(spool + "/" + name) }
        logger.notice("removed backups left in the spool (never fetched, or interrupted)", metadata: ["files": "\(names.count)"])
    }

    /// `key.manage`: one chunk of a spooled archive. Each fetch is audited.
    public func backupChunk(_ ctx: RequestContext, name: String, offset: Int) -> EventLoopFuture<BackupChunk> {
        var record = RequestRecord(action: "backup.fetch", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<BackupChunk> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            let path = try spooled(name)
            record.event.detail["archive"] = name
            record.event.detail["offset"] = String(offset)
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw HavenError.notFound("no backup \(name) waiting") }
            defer { close(fd) }
            var st = stat()
            fstat(fd, &st)
            let size = Int(st.st_size)
            guard offset >= 0, offset <= size else { throw HavenError(.invalidValue, "offset \(offset) is beyond the archive (\(size) bytes)") }
            var bytes = [UInt8](repeating: 0, count: min(Self.backupChunkBytes, size - offset))
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            guard n == bytes.count else { throw HavenError(.ioError, "cannot read the archive \(name)") }
            let chunk = BackupChunk(offset: offset, size: size, data: Base64.encode(bytes))
            return writer.audit(on: ctx.eventLoop, record.event).map { _ in chunk }
        }
    }

    /// `key.manage`: the spooled archive removed once fetched.
    public func deleteBackup(_ ctx: RequestContext, name: String) -> EventLoopFuture<[String: String]> {
        var record = RequestRecord(action: "backup.delete", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<[String: String]> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            let path = try spooled(name)
            record.event.detail["archive"] = name
            guard unlink(path) == 0 else { throw HavenError.notFound("no backup \(name) waiting") }
            return writer.audit(on: ctx.eventLoop, record.event).map { _ in ["deleted": name] }
        }
    }

    /// The spool path of an archive name; anything but a name Haven gives is refused.
    private func spooled(_ name: String) throws(HavenError) -> String {
        guard name.hasPrefix("backup-"), name.hasSuffix(".hvbk"), name.count < 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw HavenError(.invalidValue, "not a backup name")
        }
        return backupSpool + "/" + name
    }
}
