/// What remains of an erased record in its row: who created it, who erased it and when —
/// no value, no key, nothing sealed. The row stays so that the record answers `erased`
/// with the date to the roles that could have read it (decided by the row's agency column,
/// which its state tag binds; everyone else hears "no such record", and no one but the
/// auditor who erased it), its audit history keeps its subject, and the state tag of the
/// row, which the erasure's audit entry commits to, shows it was erased through Haven.
///
/// Bytes (the row's header column): "haven-erased-v1\ncreated_by NAME\nerased_at MS\nerased_by NAME\n".
public struct RecordTombstone: Sendable, Equatable {
    /// The row status of an erased record.
    public static let status = "erased"
    static let magic = "haven-erased-v1"

    public let createdBy: UserName
    public let erasedAt: Timestamp
    public let erasedBy: UserName

    public init(createdBy: UserName, erasedAt: Timestamp, erasedBy: UserName) {
        self.createdBy = createdBy
        self.erasedAt = erasedAt
        self.erasedBy = erasedBy
    }

    public var bytes: [UInt8] {
        Array("\(Self.magic)\ncreated_by \(createdBy)\nerased_at \(erasedAt.millisecondsSinceEpoch)\nerased_by \(erasedBy)\n".utf8)
    }

    /// Nil for anything but the exact bytes `bytes` writes.
    public init?(bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 5, lines[0] == Self.magic, lines[4].isEmpty,
              lines[1].hasPrefix("created_by "), lines[2].hasPrefix("erased_at "), lines[3].hasPrefix("erased_by "),
              let created = try? UserName(String(lines[1].dropFirst(11))),
              let ms = Int64(lines[2].dropFirst(10)),
              let erased = try? UserName(String(lines[3].dropFirst(10))) else { return nil }
        self.init(createdBy: created, erasedAt: Timestamp(millisecondsSinceEpoch: ms), erasedBy: erased)
        guard self.bytes == bytes else { return nil }
    }
}
