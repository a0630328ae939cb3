/// Where a page of `record list` ended, in the order of last change: the record's last-change
/// time and its id (which breaks ties between records changed in the same millisecond).
///
/// Written as `<milliseconds>-<id>`, e.g. `1764578400123-abcdefghijklmnopqrstuvwxyz`. It names
/// a position, not a permission: the next page is still cut to the caller's reach.
public struct RecordCursor: Sendable, Hashable, CustomStringConvertible {
    public let updatedAt: Timestamp
    public let id: RecordID

    public init(updatedAt: Timestamp, id: RecordID) {
        self.updatedAt = updatedAt
        self.id = id
    }

    public init(_ text: String) throws(HavenError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let ms = Int64(parts[0]),
              let id = try? RecordID(String(parts[1])) else {
            throw HavenError(.invalidValue, "invalid cursor '\(NameRules.printable(text))'",
                             hint: "pass the 'next' of the previous page, as given")
        }
        self.init(updatedAt: Timestamp(millisecondsSinceEpoch: ms), id: id)
    }

    public var description: String { "\(updatedAt.millisecondsSinceEpoch)-\(id.rawValue)" }
}

/// The orders `record list` pages in.
public enum RecordOrder: String, Sendable, CaseIterable {
    /// By last change, the latest first (the CLI's default).
    case newest
    /// By last change, the earliest first.
    case oldest
    /// By id: the order of earlier releases, whose cursor is a record id.
    case id
}
