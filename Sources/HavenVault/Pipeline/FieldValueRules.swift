import HavenCore

/// Rules every stored text obeys, whatever its field: no control characters except tab
/// and line breaks. Escape sequences in a stored value would otherwise reach the terminal
/// of every counsellor who reads it, and NUL bytes break the C tools auditors use.
enum FieldValueRules {
    /// Longest purpose, reason or break-glass reason accepted: each is stored in the audit log.
    static let maximumPurposeLength = 1000

    static func check(_ value: String, what: String) throws(HavenError) {
        for scalar in value.unicodeScalars {
            let v = scalar.value
            let control = v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D
            if control || v == 0x7F || (0x80...0x9F).contains(v) {
                throw HavenError(.invalidValue, "\(what) contains a control character (U+\(String(v, radix: 16, uppercase: true)))",
                                 hint: "only tab and line breaks are allowed")
            }
        }
    }

    /// Purposes, reasons and evidence: free text, bounded, with the same character rules.
    static func checkText(_ value: String, what: String, maximum: Int) throws(HavenError) {
        guard value.unicodeScalars.count <= maximum else {
            throw HavenError(.invalidValue, "\(what) is longer than \(maximum) characters")
        }
        try check(value, what: what)
    }

    /// A purpose or reason that must say something: it goes into the audit log, so it is
    /// checked like a read's purpose, and blank is refused.
    static func checkReason(_ text: String, what: String) throws(HavenError) {
        try checkText(text, what: what, maximum: maximumPurposeLength)
        guard text.contains(where: { !$0.isWhitespace }) else { throw HavenError(.invalidValue, "the \(what) is empty") }
    }
}
