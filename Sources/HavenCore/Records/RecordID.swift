/// A record's identity: 16 random bytes in lower-case base32 (26 characters), opaque by design.
///
/// Random rather than sequential so that an id reveals nothing about how many records an
/// agency holds or when one was made, and cannot be guessed.
public struct RecordID: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard rawValue.utf8.count == 26, Base32.decode(rawValue)?.count == 16 else {
            throw HavenError(.invalidValue, "invalid record id '\(NameRules.printable(rawValue))'",
                             hint: "record ids are 26 characters from a-z and 2-7, as printed by 'haven record create'")
        }
        self.rawValue = rawValue
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a record id is 16 bytes")
        self.rawValue = Base32.encode(bytes)
    }
}
