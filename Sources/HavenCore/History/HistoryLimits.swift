/// How much history one record may hold. Each is far beyond what a case needs and keeps a
/// careless or hostile client from filling the disk through one record; the next note or
/// consent change past a limit is refused with `limit_reached` and changes nothing.
public struct HistoryLimits: Sendable, Equatable {
    public static let defaultNotes: UInt64 = 100_000
    public static let defaultConsentEvents: UInt64 = 10_000
    /// Characters (Unicode scalars) in one note.
    public static let noteCharacters = 10_000

    public let notes: UInt64
    public let consentEvents: UInt64

    public init(notes: UInt64 = Self.defaultNotes, consentEvents: UInt64 = Self.defaultConsentEvents) {
        self.notes = notes
        self.consentEvents = consentEvents
    }

    /// Throws `limit_reached` if a record with `count` notes may not take another.
    public func checkNote(after count: UInt64) throws(HavenError) {
        guard count < notes else {
            throw HavenError(.limitReached, "the record holds \(count) notes, the most one record may hold",
                             hint: "havend --max-notes-per-record sets this limit")
        }
    }

    /// Throws `limit_reached` if a record with `count` consent events may not take another.
    public func checkConsentEvent(after count: UInt64) throws(HavenError) {
        guard count < consentEvents else {
            throw HavenError(.limitReached, "the record holds \(count) consent events, the most one record may hold",
                             hint: "havend --max-consent-events-per-record sets this limit")
        }
    }
}
