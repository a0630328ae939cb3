/// A user's enrolled name: lower-case letters, digits, `.`, `_` and `-`, 1 to 64 characters.
///
/// The narrow alphabet keeps names safe to print in tables, logs and file names.
public struct UserName: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard NameRules.isValid(rawValue) else {
            throw HavenError(.invalidValue, "invalid user name '\(NameRules.printable(rawValue))'",
                             hint: "use 1-64 characters from a-z, 0-9, '.', '_' and '-'")
        }
        self.rawValue = rawValue
    }
}

/// The agency a user or record belongs to (an OSSC, shelter, police unit …), same alphabet as user names.
public struct AgencyName: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard NameRules.isValid(rawValue) else {
            throw HavenError(.invalidValue, "invalid agency name '\(NameRules.printable(rawValue))'",
                             hint: "use 1-64 characters from a-z, 0-9, '.', '_' and '-'")
        }
        self.rawValue = rawValue
    }
}

/// Shared syntax rules for names that end up in tables, logs and audit entries.
public enum NameRules {
    public static func isValid(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x5F || b == 0x2D
        }
    }

    /// A short, printable rendering of an untrusted name for an error message.
    public static func printable(_ s: String) -> String {
        let cleaned = s.unicodeScalars.map { scalar -> String in
            scalar.properties.generalCategory == .control ? "?" : String(scalar)
        }.joined()
        return cleaned.count > 64 ? String(cleaned.prefix(64)) + "…" : cleaned
    }
}
