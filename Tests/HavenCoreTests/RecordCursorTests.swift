import HavenCore
import Testing

/// The cursor `record list` pages with: written and read back exactly, anything else refused.
@Suite struct RecordCursorTests {
    let id = RecordID(bytes: (0..<16).map { UInt8($0) })

    @Test func aCursorRoundTrips() throws {
        let cursor = RecordCursor(updatedAt: Timestamp(millisecondsSinceEpoch: 1_764_578_400_123), id: id)
        #expect(cursor.description == "1764578400123-" + id.rawValue)
        #expect(try RecordCursor(cursor.description) == cursor)
    }

    @Test(arguments: ["", "-", "123", "abc-x", "+1-%ID%", "-1-%ID%", "1.5-%ID%", "1-%ID%-2", "99999999999999999999-%ID%", "1-%ID%x", "١-%ID%"])
    func anythingElseIsRefused(text: String) {
        #expect(throws: HavenError.self) { try RecordCursor(text.replacingOccurrences(of: "%ID%", with: id.rawValue)) }
    }
}
