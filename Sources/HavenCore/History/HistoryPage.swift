/// One page of an append-only history (a record's notes or consent events): the latest
/// `limit` entries before `before`, so the first page is the most recent and a reader pages
/// back with the first index it got. A page costs the same whatever the history's length.
public struct HistoryPage: Sendable, Equatable {
    /// A screenful: a read's cost grows with the notes it answers with, never with the history.
    public static let defaultLimit = 20
    public static let maximumLimit = 1000

    /// The indexes of the page, oldest first; empty when there is nothing before `before`.
    public let indexes: ClosedRange<UInt64>?

    /// `total` entries numbered from 1; `before` is exclusive and defaults to after the last;
    /// `what` names the parameters in an error ("notes" gives `notes_before`, `notes_limit`).
    public init(total: UInt64, before: UInt64?, limit: Int?, what: String) throws(HavenError) {
        let limit = limit ?? Self.defaultLimit
        guard (0...Self.maximumLimit).contains(limit) else {
            throw HavenError(.invalidValue, "\(what)_limit must be between 0 and \(Self.maximumLimit)",
                             hint: "page back with \(what)_before")
        }
        if let before, before == 0 {
            throw HavenError(.invalidValue, "\(what)_before must be 1 or more (entries are numbered from 1)")
        }
        let end = min(before.map { $0 - 1 } ?? total, total)
        guard end >= 1, limit > 0 else {
            indexes = nil
            return
        }
        let start = end >= UInt64(limit) ? end - UInt64(limit) + 1 : 1
        indexes = start...end
    }
}
