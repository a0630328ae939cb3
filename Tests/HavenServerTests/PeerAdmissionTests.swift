@testable import HavenServer
import Testing

/// The slots for connections not yet authenticated: a share per uid, a total, and every
/// slot given back exactly once.
@Suite struct PeerAdmissionTests {
    /// A connection of `uid`: its admission if it got a slot, nil if it is to be closed.
    static func connect(_ counters: ServerCounters, uid: UInt32, perUid: Int = 2, total: Int = 10) -> PeerAdmission? {
        var admission = PeerAdmission(counters: counters, perUid: perUid, total: total)
        return admission.admit(uid: uid) ? admission : nil
    }

    @Test func aUidCannotTakeMoreThanItsShare() {
        let counters = ServerCounters()
        #expect(Self.connect(counters, uid: 1000) != nil)
        #expect(Self.connect(counters, uid: 1000) != nil)
        #expect(Self.connect(counters, uid: 1000) == nil, "uid 1000 has used its share")
        #expect(Self.connect(counters, uid: 1001) != nil, "another uid keeps its own share")
    }

    @Test func theTotalHoldsAcrossUids() {
        let counters = ServerCounters()
        for uid: UInt32 in 1...3 {
            #expect(Self.connect(counters, uid: uid, total: 3) != nil)
        }
        #expect(Self.connect(counters, uid: 4, total: 3) == nil)
    }

    @Test func aSlotIsGivenBackOnce() throws {
        let counters = ServerCounters()
        var held = try #require(Self.connect(counters, uid: 1000, perUid: 1))
        held.release()
        held.release()  // authenticated, then closed: the second release must not count
        #expect(Self.connect(counters, uid: 1000, perUid: 1) != nil, "the slot given back is free again")
        #expect(Self.connect(counters, uid: 1000, perUid: 1) == nil, "and only that one: it was not given back twice")
    }

    @Test func aRefusedConnectionGivesNothingBack() throws {
        let counters = ServerCounters()
        _ = try #require(Self.connect(counters, uid: 1000, perUid: 1))
        var refused = PeerAdmission(counters: counters, perUid: 1, total: 10)
        let admitted = refused.admit(uid: 1000)
        #expect(!admitted)
        refused.release()
        #expect(Self.connect(counters, uid: 1000, perUid: 1) == nil, "the refused connection freed no slot")
    }
}
