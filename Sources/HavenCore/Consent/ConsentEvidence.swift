/// What a consent event's evidence may be: the SHA-256 digest of the signed form, written
/// `sha256:` and 64 lower-case hex digits, never free text.
///
/// Why: evidence is shown by `consent show` to everyone who may review consent, including
/// a counsellor whose own consent was withdrawn. Free text invited the survivor's name, date
/// of birth or phone; a digest proves which form was signed and says nothing about her.
/// `haven consent grant --evidence-file FORM` computes it on the client; the form never
/// leaves the machine it was scanned on.
public enum ConsentEvidence {
    public static let prefix = "sha256:"

    public static func isDigest(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == prefix.utf8.count + 64, text.hasPrefix(prefix) else { return false }
        return utf8.dropFirst(prefix.utf8.count).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Evidence as it may be shown: a digest as it is; free text, which records from before
    /// this rule may hold, is not shown at all.
    public static func shown(_ stored: String?) -> String? {
        stored.map { isDigest($0) ? $0 : "(withheld: free text recorded before evidence had to be a digest)" }
    }

    public static func validate(_ text: String) throws(HavenError) {
        guard isDigest(text) else {
            throw HavenError(.invalidValue, "evidence must be a digest, sha256: and 64 lower-case hex digits",
                             hint: "give the signed form itself with --evidence-file FORM, which sends only its digest")
        }
    }
}
