import HavenCore
@testable import HavenServer
import Testing

/// The shares of authenticated connections: per user, per peer uid, the ordinary roles'
/// total that stops short of the reserved slots, and every slot given back once.
@Suite struct SessionSlotsTests {
    static func user(_ name: String) throws -> EnrolledUser {
        EnrolledUser(name: try UserName(name), role: try RoleName("analyst"), agency: try AgencyName("haven"),
                     publicKey: Array(repeating: 1, count: 32), uid: nil,
                     createdAt: Timestamp(millisecondsSinceEpoch: 0), createdBy: try UserName("admin"))
    }

    static func slots(perUser: Int = 2, perUid: Int = 3, ordinary: Int = 4) -> SessionSlots {
        SessionSlots(limits: .init(perUser: perUser, perUid: perUid, ordinary: ordinary))
    }

    @Test func aUserCannotHoldMoreThanTheirShare() throws {
        let slots = Self.slots()
        let analyst = try Self.user("analyst")
        let connections = (0..<3).map { _ in ConnectionSessionSlot(slots: slots) }
        #expect(connections[0].admit(analyst, uid: 1000, privileged: false) == nil)
        #expect(connections[1].admit(analyst, uid: 1000, privileged: false) == nil)
        #expect(connections[2].admit(analyst, uid: 1000, privileged: false)?.code == .tooManyConnections)
        // Another user of the same uid still gets in.
        #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("police"), uid: 1000, privileged: false) == nil)
        // One connection closes: its slot is free again, once.
        connections[0].release()
        connections[0].release()
        #expect(connections[2].admit(analyst, uid: 1000, privileged: false) == nil)
        #expect(ConnectionSessionSlot(slots: slots).admit(analyst, uid: 1000, privileged: false)?.code == .tooManyConnections)
    }

    @Test func aUidCannotHoldMoreThanItsShareOfOrdinarySessions() throws {
        let slots = Self.slots(perUser: 10, perUid: 3, ordinary: 10)
        for n in 0..<3 {
            #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("u\(n)"), uid: 1000, privileged: false) == nil)
        }
        #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("u9"), uid: 1000, privileged: false)?.code == .tooManyConnections)
        #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("u9"), uid: 1001, privileged: false) == nil)
        // An administrator sharing the flooded uid is held to their own share only.
        #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("admin"), uid: 1000, privileged: true) == nil)
    }

    /// Ordinary sessions from many users and uids fill their total; an administrator still
    /// gets in (the reserved slots), up to their own share.
    @Test func aCrowdOfOrdinarySessionsLeavesTheReservedSlots() throws {
        let slots = Self.slots(perUser: 2, perUid: 2, ordinary: 4)
        for n in 0..<4 {
            #expect(ConnectionSessionSlot(slots: slots).admit(try Self.user("u\(n)"), uid: UInt32(1000 + n), privileged: false) == nil)
        }
        let refused = ConnectionSessionSlot(slots: slots).admit(try Self.user("late"), uid: 2000, privileged: false)
        #expect(refused?.code == .tooManyConnections)
        let admin = try Self.user("admin")
        #expect(ConnectionSessionSlot(slots: slots).admit(admin, uid: 1000, privileged: true) == nil)
        #expect(ConnectionSessionSlot(slots: slots).admit(admin, uid: 1000, privileged: true) == nil)
        #expect(ConnectionSessionSlot(slots: slots).admit(admin, uid: 1000, privileged: true)?.code == .tooManyConnections)
    }

    /// Authenticating again as someone else moves the slot; refused, the old one is kept.
    @Test func authenticatingAgainMovesTheSlot() throws {
        let slots = Self.slots(perUser: 1, perUid: 5, ordinary: 5)
        let a = try Self.user("a"), b = try Self.user("b")
        let connection = ConnectionSessionSlot(slots: slots)
        #expect(connection.admit(a, uid: 1, privileged: false) == nil)
        #expect(connection.admit(a, uid: 1, privileged: false) == nil, "the same session again takes nothing more")
        #expect(ConnectionSessionSlot(slots: slots).admit(b, uid: 1, privileged: false) == nil)
        #expect(connection.admit(b, uid: 1, privileged: false)?.code == .tooManyConnections)
        #expect(ConnectionSessionSlot(slots: slots).admit(a, uid: 1, privileged: false)?.code == .tooManyConnections, "still held by a")
        connection.release()
        #expect(ConnectionSessionSlot(slots: slots).admit(a, uid: 1, privileged: false) == nil)
    }
}
