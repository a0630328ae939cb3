/// One connection's share of the slots for connections not yet authenticated. A slot is
/// taken once the peer's uid is known and given back exactly once, when the connection
/// authenticates or closes: one local user's idle sockets must not take the slots everyone
/// else needs, and a slot given back twice would let them.
struct PeerAdmission {
    private let counters: ServerCounters
    private let perUid: Int
    private let total: Int
    /// The uid whose slot this connection holds, while it holds one.
    private var holder: UInt32?

    init(counters: ServerCounters, perUid: Int, total: Int) {
        self.counters = counters
        self.perUid = perUid
        self.total = total
    }

    /// Takes a slot for a connection of `uid`; false when that uid's share or the total is
    /// used up, and the connection is to be closed.
    mutating func admit(uid: UInt32) -> Bool {
        guard holder == nil else { return true }
        guard counters.admitUnauthenticated(uid: uid, perUid: perUid, total: total) else { return false }
        holder = uid
        return true
    }

    /// Gives the slot back if this connection holds one; later calls do nothing.
    mutating func release() {
        guard let uid = holder else { return }
        holder = nil
        counters.releaseUnauthenticated(uid: uid)
    }
}
