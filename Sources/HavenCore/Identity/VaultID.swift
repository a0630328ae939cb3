/// A vault's identity: 16 random bytes, written as 32 lower-case hex digits.
///
/// It is bound into every ciphertext, audit checkpoint and extract, so material from one
/// vault never verifies in another.
public struct VaultID: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard rawValue.utf8.count == 32, Hex.decode(rawValue) != nil, rawValue == rawValue.lowercased() else {
            throw HavenError(.invalidValue, "invalid vault id")
        }
        self.rawValue = rawValue
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a vault id is 16 bytes")
        self.rawValue = Hex.encode(bytes)
    }
}
