import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

extension Vault {
    /// `key.manage`: may the caller seal the vault? The answer is the entry that will close
    /// the log as the vault stops (`shutdown(finalEvent:)`), so the seal is the last thing
    /// written under the keys it wipes. A refusal is audited and answered here.
    public func sealRequest(_ ctx: RequestContext, mode: SealMode) -> EventLoopFuture<AuditEvent> {
        var record = RequestRecord(action: "vault.seal", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<AuditEvent> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            guard mode != .file else {
                throw HavenError(.conflict, "this vault's root key is kept in a file, which would open it again at once",
                                 hint: "seal a vault created with --seal passphrase or --seal shares")
            }
            record.event.detail["seal"] = mode.rawValue
            return ctx.eventLoop.makeSucceededFuture(record.event)
        }
    }

    /// `key.manage`: may the caller rotate the root key? The answer is the rotation's entry,
    /// written by `RootRotation` in its transaction, under the new key.
    public func rotateRequest(_ ctx: RequestContext, mode: SealMode, step: String) -> EventLoopFuture<AuditEvent> {
        var record = RequestRecord(action: "vault.rotate", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<AuditEvent> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            record.event.detail["seal"] = mode.rawValue
            record.event.detail["step"] = step
            return ctx.eventLoop.makeSucceededFuture(record.event)
        }
    }

    /// Writes an entry that changes no data (the first step of a rotation by shares).
    public func note(_ event: AuditEvent, on loop: any EventLoop) -> EventLoopFuture<Void> {
        writer.audit(on: loop, event).map { _ in () }
    }
}
