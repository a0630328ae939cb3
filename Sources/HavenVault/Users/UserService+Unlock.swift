import HavenAPI
import HavenCore
import HavenCrypto
import NIOCore

extension UserService {
    /// `user.manage`: lifts every lockout of the user's key, from every peer uid, at once —
    /// without it, a user locked out (by their own typing, or by someone failing from their
    /// uid) waits out the period, or a daemon restart, which on a sealed vault needs its
    /// custodians. Lifted only once the entry, naming the user, the key and how many
    /// lockouts were in force, is durable: an unlock that cannot be audited does not happen.
    public func unlock(_ ctx: RequestContext, name rawName: String) -> EventLoopFuture<UnlockUserResponse> {
        var entry = pipeline.begin("user.unlock", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<UnlockUserResponse> in
            _ = try pipeline.authorize(ctx, &entry, .userManage, under: pipeline.policies.policy)
            let name = try UserName(rawName)
            entry.event.detail["user"] = name.rawValue
            guard let target = directory.user(named: name), target.isActive else {
                throw HavenError.notFound("no active user \(name)")
            }
            let keyID = (try? PublicKey(bytes: target.publicKey))?.keyID ?? "?"
            entry.event.detail["key_id"] = keyID
            let now = pipeline.clock.now()
            entry.event.detail["lockouts"] = String(throttle.lockouts(keyID: keyID, now: now))
            let throttle = self.throttle
            return pipeline.answer(ctx, entry, ()).map { _ in
                let lifted = throttle.unlock(keyID: keyID, now: now)
                return UnlockUserResponse(user: name.rawValue, keyID: keyID, lockoutsLifted: lifted)
            }
        }
    }
}
