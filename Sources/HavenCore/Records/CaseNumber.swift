/// A record's case number at one agency (`OV-26-0042`): the agency's prefix, the last two
/// digits of the year it was given, and the agency's count of records numbered that year.
/// It is what staff write down and say to each other instead of a name: made only from the
/// agency, the date and a count, never from anything the record holds.
public struct CaseNumber: Hashable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let sequence: Int

    public init(prefix: String, year: Int, sequence: Int) {
        self.prefix = prefix
        self.year = year
        self.sequence = sequence
    }

    /// As shown: four digits at least, more once an agency numbers ten thousand a year.
    public var description: String {
        let yy = String(year % 100)
        let seq = String(sequence)
        return "\(prefix)-\(yy.count < 2 ? "0" + yy : yy)-\(String(repeating: "0", count: max(0, 4 - seq.count)))\(seq)"
    }

    /// The form a lookup compares: upper case, letters and digits only, so `ov-26-0042`,
    /// `OV260042` and `OV 26 0042` are one number.
    public var lookupKey: String { Self.lookupKey(description) }

    public static func lookupKey(_ typed: String) -> String {
        String(String.UnicodeScalarView(typed.uppercased().unicodeScalars.filter { $0.isASCIIAlphanumeric }))
    }

    /// Whether `typed` has the shape of a case number (letters, then at least six digits,
    /// with or without dashes or spaces): what a record id argument is tried as when it is
    /// not a record id. A record id is 26 characters of a-z and 2-7 with no separator.
    public static func looksLikeOne(_ typed: String) -> Bool {
        guard typed.utf8.count <= 40 else { return false }
        let scalars = typed.unicodeScalars
        guard scalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "-" || $0 == " " }) else { return false }
        let key = Array(lookupKey(typed).unicodeScalars)
        guard let firstDigit = key.firstIndex(where: { $0.properties.numericType != nil }), firstDigit > 0 else { return false }
        let digits = key[firstDigit...]
        return digits.count >= 6 && digits.allSatisfy { $0.properties.numericType != nil }
            && key[..<firstDigit].allSatisfy { $0.properties.isAlphabetic }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("A"..."Z").contains(self) || ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
