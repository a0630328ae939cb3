import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import NIOCore

extension UserService {
    /// `user.manage`: replaces a user's key (a lost laptop, a key that may have leaked).
    /// The user's open sessions were opened with the old key: each fails its next request,
    /// as a revoked user's do (`currentUser` compares the session's key with the enrolled
    /// one), and the old key opens no new session. The entry names both key ids.
    public func rekey(_ ctx: RequestContext, name rawName: String, request: RekeyUserRequest) -> EventLoopFuture<UserSummary> {
        var entry = pipeline.begin("user.rekey", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<UserSummary> in
            let admin = try pipeline.authorize(ctx, &entry, .userManage, under: pipeline.policies.policy)
            let name = try UserName(rawName)
            entry.event.detail["user"] = name.rawValue
            let key = try KeyFiles.parsePublic(request.publicKey)
            entry.event.detail["key_id"] = key.keyID
            guard let target = directory.user(named: name), target.isActive else {
                throw HavenError.notFound("no active user \(name)")
            }
            entry.event.detail["old_key_id"] = (try? PublicKey(bytes: target.publicKey))?.keyID ?? "?"
            guard target.publicKey != key.bytes else { throw HavenError(.conflict, "\(name) is already enrolled with key \(key.keyID)") }
            // Revoked users keep their keys enrolled (the table's UNIQUE constraint): a key is never reused.
            if directory.all().contains(where: { $0.publicKey == key.bytes }) {
                throw HavenError(.conflict, "key \(key.keyID) is already enrolled for another user")
            }
            let rekeyed = target.with(publicKey: key.bytes)
            let state = keys.rows.user(rekeyed)
            let logger = pipeline.logger
            return pipeline.change(ctx, entry) { (tx, _) throws(HavenError) -> EnrolledUser in
                let done: Bool
                do {
                    done = try UserTable.rekey(name, publicKey: key.bytes, on: tx.db)
                } catch let e as SQLiteError where e.isConstraint {
                    throw HavenError(.conflict, "key \(key.keyID) is already enrolled for another user")
                } catch {
                    logger.error("store failure", metadata: ["error": "\(error)"])
                    throw HavenError.storeUnavailable
                }
                guard done else { throw HavenError.notFound("no active user \(name)") }
                tx.wrote(.user(name), state)
                return rekeyed
            }.flatMapThrowing { committed in
                directory.rekeyed(committed.value, from: target.publicKey)
                return Self.summary(try pipeline.journaled(committed, .userRekeyed(name, publicKey: key.bytes), by: admin.name, keys: keys))
            }
        }
    }
}
