import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

/// The key custodian's requests on an open vault (`vault.custody`): may the caller seal it
/// or rotate its root key. `VaultGate` carries them out; this decides and audits.
public struct CustodyService: Sendable {
    let pipeline: RequestPipeline

    /// `key.manage`: may the caller seal the vault? The answer is the entry that will close
    /// the log as the vault stops (`Vault.shutdown(finalEvent:)`), so the seal is the last
    /// thing written under the keys it wipes. A refusal is audited and answered here.
    public func sealRequest(_ ctx: RequestContext, mode: SealMode) -> EventLoopFuture<AuditEvent> {
        var entry = pipeline.begin("vault.seal", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<AuditEvent> in
            _ = try pipeline.authorize(ctx, &entry, .keyManage, under: pipeline.policies.policy)
            guard mode != .file else {
                throw HavenError(.conflict, "this vault's root key is kept in a file, which would open it again at once",
                                 hint: "seal a vault created with --seal passphrase or --seal shares")
            }
            entry.event.detail["seal"] = mode.rawValue
            return ctx.eventLoop.makeSucceededFuture(entry.event)
        }
    }

    /// `key.manage`: may the caller rotate the root key? The answer is the rotation's entry,
    /// written by `RootRotation` in its transaction, under the new key.
    public func rotateRequest(_ ctx: RequestContext, mode: SealMode, step: String) -> EventLoopFuture<AuditEvent> {
        var entry = pipeline.begin("vault.rotate", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<AuditEvent> in
            _ = try pipeline.authorize(ctx, &entry, .keyManage, under: pipeline.policies.policy)
            entry.event.detail["seal"] = mode.rawValue
            entry.event.detail["step"] = step
            return ctx.eventLoop.makeSucceededFuture(entry.event)
        }
    }

    /// Whether the caller may see the whole seal status (key.manage). A look, not an act:
    /// not audited, and no answer but the shorter status depends on it.
    public func mayManageKeys(_ ctx: RequestContext) -> Bool {
        guard let user = try? pipeline.currentUser(ctx) else { return false }
        return pipeline.policies.policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .keyManage,
                                                             now: pipeline.clock.now())).allowed
    }

    /// Writes an entry that changes no data (the first step of a rotation by shares).
    public func note(_ event: AuditEvent, on loop: any EventLoop) -> EventLoopFuture<Void> {
        pipeline.writer.audit(on: loop, event).map { _ in () }
    }
}
