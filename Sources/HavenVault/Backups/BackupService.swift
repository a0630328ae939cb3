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

/// Backups (`vault.backups`): a consistent archive of the serving vault made on request,
/// spooled, fetched in audited chunks and removed; and what a restore writes in the log.
public struct BackupService: Sendable {
    let pipeline: RequestPipeline
    let directory: DataDirectory
    let keys: VaultKeys
    let spool: BackupSpool
    /// Re-applies the erasures journaled since an archive was made, at its restore.
    let shredder: RecordShredder
    /// Re-applies the withdrawals and referral revocations journaled since.
    let changes: RecordChanges

    /// Bytes per fetched chunk.
    public static let chunkBytes = 4 << 20

    /// `key.manage`: a consistent snapshot of the serving vault (`VACUUM INTO` on a reader's
    /// connection: one read transaction, writers carry on), encrypted as a whole under the
    /// root-derived backup key and signed with the vault's key (`BackupArchive`). The
    /// request's own entry, with a checkpoint, is committed first, so the archive's log
    /// records its own making.
    public func create(_ ctx: RequestContext) -> EventLoopFuture<BackupCreated> {
        var entry = pipeline.begin("backup.create", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<BackupCreated> in
            _ = try pipeline.authorize(ctx, &entry, .keyManage, under: pipeline.policies.policy)
            let random = Random.bytes(4)
            let stamp = pipeline.clock.now().rfc3339.filter { $0.isNumber }.prefix(14)
            let name = "backup-\(stamp)-\(Hex.encode(random)).hvbk"
            entry.event.detail["archive"] = name
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event, checkpoint: true).flatMap { _ in
                let promise = ctx.eventLoop.makePromise(of: BackupCreated.self)
                Thread.detachNewThread { [self] in
                    do {
                        promise.succeed(try writeArchive(name))
                    } catch {
                        pipeline.logger.error("backup failed", metadata: ["archive": "\(name)", "error": "\(error)"])
                        promise.fail(error)
                    }
                }
                return promise.futureResult
            }
        }
    }

    private func writeArchive(_ name: String) throws -> BackupCreated {
        if mkdir(spool.path, 0o700) != 0 && errno != EEXIST {
            throw HavenError(.ioError, "cannot create \(spool.path): \(String(cString: strerror(errno)))")
        }
        // The seal is read before the snapshot, with this vault's keys: a rotation can only
        // commit after this vault has closed, so seal, keys and snapshot are of one key.
        let mode = directory.sealMode
        let sealFile: [UInt8]? = switch mode {
        case .file: nil
        case .passphrase: try KeyFiles.readSecret(kind: .rootKeyPassphrase, path: directory.passphraseSealPath).withUnsafeBytes { Array($0) }
        case .shares: try KeyFiles.readSecret(kind: .rootShareSet, path: directory.shareSetPath).withUnsafeBytes { Array($0) }
        }
        let snapshot = spool.path + "/" + name + ".snapshot"
        defer { unlink(snapshot) }
        let (size, checkpoint) = try takeSnapshot(into: snapshot)
        let now = pipeline.clock.now()
        let written = try BackupArchive.write(snapshot: snapshot, to: spool.path + "/" + name, header: { stream in
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

    /// `key.manage`: one chunk of a spooled archive. Each fetch is audited.
    public func chunk(_ ctx: RequestContext, name: String, offset: Int) -> EventLoopFuture<BackupChunk> {
        var entry = pipeline.begin("backup.fetch", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<BackupChunk> in
            _ = try pipeline.authorize(ctx, &entry, .keyManage, under: pipeline.policies.policy)
            let path = try spool.file(name)
            entry.event.detail["archive"] = name
            entry.event.detail["offset"] = String(offset)
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw HavenError.notFound("no backup \(name) waiting") }
            defer { close(fd) }
            var st = stat()
            fstat(fd, &st)
            let size = Int(st.st_size)
            guard offset >= 0, offset <= size else { throw HavenError(.invalidValue, "offset \(offset) is beyond the archive (\(size) bytes)") }
            var bytes = [UInt8](repeating: 0, count: min(Self.chunkBytes, size - offset))
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            guard n == bytes.count else { throw HavenError(.ioError, "cannot read the archive \(name)") }
            let chunk = BackupChunk(offset: offset, size: size, data: Base64.encode(bytes))
            return pipeline.answer(ctx, entry, chunk)
        }
    }

    /// `key.manage`: the spooled archive removed once fetched.
    public func delete(_ ctx: RequestContext, name: String) -> EventLoopFuture<[String: String]> {
        var entry = pipeline.begin("backup.delete", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<[String: String]> in
            _ = try pipeline.authorize(ctx, &entry, .keyManage, under: pipeline.policies.policy)
            let path = try spool.file(name)
            entry.event.detail["archive"] = name
            guard unlink(path) == 0 else { throw HavenError.notFound("no backup \(name) waiting") }
            return pipeline.answer(ctx, entry, ["deleted": name])
        }
    }
}
