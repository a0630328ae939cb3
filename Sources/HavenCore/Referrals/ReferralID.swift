/// A referral's identity: 10 random bytes in lower-case base32 (16 characters), short
/// enough to read over a telephone between two agencies, and never derived from the record.
public struct ReferralID: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard rawValue.utf8.count == 16, Base32.decode(rawValue)?.count == 10 else {
            throw HavenError(.invalidValue, "invalid referral '\(NameRules.printable(rawValue))'",
                             hint: "referrals are 16 characters from a-z and 2-7, as printed by 'haven referral create' and 'haven referral list'")
        }
        self.rawValue = rawValue
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 10, "a referral id is 10 bytes")
        self.rawValue = Base32.encode(bytes)
    }
}
