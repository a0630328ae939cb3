import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

extension Vault {
    /// Reloads `policy/` (SIGHUP). A policy that does not validate is refused and the one
    /// in force stays; both outcomes are audited with the versions involved.
    public func reloadPolicy(on eventLoop: any EventLoop) -> EventLoopFuture<Result<Policy, HavenError>> {
        let old = policies.policy
        var event = AuditEvent(action: "policy.reload", decision: .allow, rule: "", policyVersion: old.version)
        let outcome: Result<Policy, HavenError>
        do throws(HavenError) {
            let new = try PolicyDirectory.load(policyPath)
            policies.replace(with: new)
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
        return writer.audit(on: eventLoop, event).map { _ in outcome }
    }
}
