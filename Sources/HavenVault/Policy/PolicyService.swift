import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

/// The policy in force, reloaded from `policy/` on SIGHUP (`vault.policy`).
public struct PolicyService: Sendable {
    let pipeline: RequestPipeline
    let path: String

    /// Reloads `policy/`. A policy that does not validate is refused and the one in force
    /// stays; both outcomes are audited with the versions involved.
    public func reload(on eventLoop: any EventLoop) -> EventLoopFuture<Result<Policy, HavenError>> {
        let old = pipeline.policies.policy
        var event = AuditEvent(action: "policy.reload", decision: .allow, rule: "", policyVersion: old.version)
        let outcome: Result<Policy, HavenError>
        do throws(HavenError) {
            let new = try PolicyDirectory.load(path)
            pipeline.policies.replace(with: new)
            event.rule = "policy reloaded"
            event.policyVersion = new.version
            event.detail = ["previous_version": old.version, "version": new.version]
            outcome = .success(new)
        } catch {
            event.decision = .deny
            event.outcome = error.code.rawValue
            event.rule = "reload refused, previous policy stays in force: \(error.message)"
            outcome = .failure(error)
        }
        return pipeline.writer.audit(on: eventLoop, event).map { _ in outcome }
    }
}
