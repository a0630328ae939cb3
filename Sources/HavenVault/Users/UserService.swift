import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

/// Enrolment (`vault.users`): the administrator adds, lists, revokes and re-keys users; the
/// directory changes only after the change is committed with its audit entry.
public struct UserService: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys
    /// Failed authentications, whose lockouts an administrator lifts (`unlock`).
    let throttle: AuthenticationThrottle
    /// The enrolled users, as the pipeline checks each caller against them.
    var directory: UserDirectory { pipeline.users }

    /// `user.manage`: enrol a user with a role from the policy in force.
    public func add(_ ctx: RequestContext, request: AddUserRequest) -> EventLoopFuture<UserSummary> {
        var entry = pipeline.begin("user.add", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<UserSummary> in
            let policy = pipeline.policies.policy
            let admin = try pipeline.authorize(ctx, &entry, .userManage, under: policy)
            let name = try UserName(request.name)
            // A refused add keeps what was typed (made printable: it is untrusted), so the log
            // shows which role or agency was asked for.
            entry.event.detail.merge(["user": name.rawValue, "role": NameRules.printable(request.role),
                                      "agency": NameRules.printable(request.agency)]) { _, typed in typed }
            let roles = policy.roles.keys.map(\.rawValue).sorted()
            guard let role = try? RoleName(request.role), policy.role(role) != nil else {
                throw HavenError(.invalidValue, "unknown role '\(NameRules.printable(request.role))'",
                                 hint: CloseMatches.question(request.role, among: roles) + "roles in force: \(roles.joined(separator: ", "))")
            }
            entry.event.detail["role"] = role.rawValue
            // A typo must not found a new agency whose records nobody else can see.
            let agency = try policy.agencies.named(request.agency, what: "user \(name)")
            entry.event.detail["agency"] = agency.rawValue
            let key = try KeyFiles.parsePublic(request.publicKey)
            entry.event.detail["key_id"] = key.keyID
            if let uid = request.uid { entry.event.detail["uid"] = String(uid) }
            if directory.user(named: name) != nil { throw HavenError(.conflict, "user \(name) already exists") }
            if directory.activeUser(withKey: key.bytes) != nil {
                throw HavenError(.conflict, "key \(key.keyID) is already enrolled for another user")
            }
            let user = EnrolledUser(name: name, role: role, agency: agency, publicKey: key.bytes, uid: request.uid,
                                    createdAt: pipeline.clock.now(), createdBy: admin.name)
            let state = keys.rows.user(user)
            let logger = pipeline.logger
            return pipeline.change(ctx, entry) { (tx, _) throws(HavenError) -> EnrolledUser in
                do {
                    try UserTable.insert(user, on: tx.db)
                } catch let e as SQLiteError where e.isConstraint {
                    throw HavenError(.conflict, "user \(name) or key \(key.keyID) is already enrolled")
                } catch {
                    logger.error("store failure", metadata: ["error": "\(error)"])
                    throw HavenError.storeUnavailable
                }
                tx.wrote(.user(user.name), state)
                return user
            }.map { committed in
                directory.added(committed.value)
                return Self.summary(committed.value)
            }
        }
    }

    /// `user.manage`: every enrolled user, active and revoked.
    public func list(_ ctx: RequestContext) -> EventLoopFuture<UserListResponse> {
        var entry = pipeline.begin("user.list", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<UserListResponse> in
            _ = try pipeline.authorize(ctx, &entry, .userManage, under: pipeline.policies.policy)
            let list = UserListResponse(users: directory.all().map(Self.summary))
            return pipeline.answer(ctx, entry, list)
        }
    }

    /// `user.manage`: revoke a user; their open connections are refused from their next request.
    public func revoke(_ ctx: RequestContext, name rawName: String) -> EventLoopFuture<UserSummary> {
        var entry = pipeline.begin("user.revoke", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<UserSummary> in
            let policy = pipeline.policies.policy
            let admin = try pipeline.authorize(ctx, &entry, .userManage, under: policy)
            let name = try UserName(rawName)
            entry.event.detail["user"] = name.rawValue
            guard let target = directory.user(named: name), target.isActive else {
                throw HavenError.notFound("no active user \(name)")
            }
            let managers = directory.all().filter { $0.isActive && policy.role($0.role)?.actions.contains(.userManage) == true }
            if managers.map(\.name) == [name] {
                throw HavenError(.conflict, "\(name) is the last user who can manage users; enrol another first")
            }
            let logger = pipeline.logger
            let rows = keys.rows
            return pipeline.change(ctx, entry) { (tx, _) throws(HavenError) -> Timestamp in
                let done = try storeCall(logger) { try UserTable.revoke(name, by: admin.name, at: tx.now, on: tx.db) }
                guard done else { throw HavenError.notFound("no active user \(name)") }
                var revoked = target
                revoked.revokedAt = tx.now
                revoked.revokedBy = admin.name
                tx.wrote(.user(name), rows.user(revoked))
                return tx.now
            }.flatMapThrowing { committed in
                directory.revoked(name, at: committed.value, by: admin.name)
                _ = try pipeline.journaled(committed, .userRevoked(name), by: admin.name, keys: keys)
                var revoked = target
                revoked.revokedAt = committed.value
                revoked.revokedBy = admin.name
                return Self.summary(revoked)
            }
        }
    }

    static func summary(_ u: EnrolledUser) -> UserSummary {
        UserSummary(name: u.name.rawValue, role: u.role.rawValue, agency: u.agency.rawValue,
                    keyID: (try? PublicKey(bytes: u.publicKey))?.keyID ?? "?", uid: u.uid,
                    status: u.isActive ? "active" : "revoked", createdAt: u.createdAt.rfc3339,
                    revokedAt: u.revokedAt?.rfc3339)
    }
}
