import HavenCore
import HavenVault
import Synchronization

/// The authenticated connections of a server, counted by user, by peer uid and by kind, so
/// that no one user, no one Unix account and no crowd of ordinary users can hold the
/// connections the others need (SECURITY.md, "Limits").
///
/// Sessions of a privileged role (one that manages users or keys) are held only to their
/// user's share. Every other session also counts against its uid's share and against the
/// ordinary sessions' total, which stops `reserved` connections short of what the
/// unauthenticated ones may leave: however many ordinary sessions are open, an
/// administrator's connection is accepted and authenticates.
final class SessionSlots: Sendable {
    struct Limits: Sendable {
        let perUser: Int
        let perUid: Int
        /// Ordinary sessions in all.
        let ordinary: Int
    }

    /// One slot taken: what to give back.
    struct Held: Sendable, Equatable {
        let user: UserName
        let uid: UInt32
        let privileged: Bool
    }

    private struct Counts {
        var byUser: [UserName: Int] = [:]
        var byUid: [UInt32: Int] = [:]
        var ordinary = 0
    }

    let limits: Limits
    private let counts = Mutex(Counts())

    init(limits: Limits) {
        self.limits = limits
    }

    /// Takes a slot, or says which share is used up.
    func take(_ slot: Held) -> HavenError? {
        counts.withLock { c in
            if c.byUser[slot.user, default: 0] >= limits.perUser {
                return HavenError(.tooManyConnections, "user \(slot.user) already holds \(limits.perUser) connections, the most one user may",
                                  hint: "close connections you no longer use (--max-connections-per-user)")
            }
            if !slot.privileged {
                if c.byUid[slot.uid, default: 0] >= limits.perUid {
                    return HavenError(.tooManyConnections, "uid \(slot.uid) already holds \(limits.perUid) sessions, the most one uid may",
                                      hint: "close connections you no longer use (--max-connections-per-uid)")
                }
                if c.ordinary >= limits.ordinary {
                    return HavenError(.tooManyConnections, "the daemon holds as many sessions as it serves at once; the rest are kept for administrators",
                                      hint: "try again shortly")
                }
                c.byUid[slot.uid, default: 0] += 1
                c.ordinary += 1
            }
            c.byUser[slot.user, default: 0] += 1
            return nil
        }
    }

    /// Gives back a slot `take` gave.
    func release(_ slot: Held) {
        counts.withLock { c in
            c.byUser[slot.user] = Self.less(c.byUser[slot.user])
            if !slot.privileged {
                c.byUid[slot.uid] = Self.less(c.byUid[slot.uid])
                c.ordinary -= 1
            }
        }
    }

    private static func less(_ n: Int?) -> Int? {
        let left = (n ?? 1) - 1
        return left > 0 ? left : nil
    }
}

/// One connection's session slot: taken when it authenticates (asked by the vault as it
/// grants the session, `SessionAdmission`) and given back exactly once, when the connection
/// closes or authenticates again as someone else.
final class ConnectionSessionSlot: SessionAdmission {
    private let slots: SessionSlots
    private let held = Mutex<SessionSlots.Held?>(nil)

    init(slots: SessionSlots) {
        self.slots = slots
    }

    func admit(_ user: EnrolledUser, uid: UInt32, privileged: Bool) -> HavenError? {
        let wanted = SessionSlots.Held(user: user.name, uid: uid, privileged: privileged)
        return held.withLock { h in
            if h == wanted { return nil }
            // Refused, the connection keeps the session and the slot it had.
            if let refusal = slots.take(wanted) { return refusal }
            if let old = h { slots.release(old) }
            h = wanted
            return nil
        }
    }

    /// The connection closed; later calls do nothing.
    func release() {
        held.withLock { h in
            if let old = h { slots.release(old) }
            h = nil
        }
    }
}
