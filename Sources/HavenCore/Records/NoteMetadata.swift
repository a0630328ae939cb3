/// What Haven knows about a case note without decrypting it: who wrote it, when, and its class.
public struct NoteMetadata: Sendable, Equatable, Codable {
    /// Position in the record's append-only note list, starting at 1.
    public let index: UInt64
    public let fieldClass: FieldClass
    public let author: UserName
    public let createdAt: Timestamp

    public init(index: UInt64, fieldClass: FieldClass, author: UserName, createdAt: Timestamp) {
        self.index = index
        self.fieldClass = fieldClass
        self.author = author
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case index, author
        case fieldClass = "class"
        case createdAt = "created_at"
    }
}
