import HavenCore

/// Why a record may be erased (`policy/erasure.yaml`): a closed list of codes, so the audit
/// entry of an erasure — kept for as long as the log — holds a word the policy defines and
/// never a sentence someone typed (where a survivor's name or address would end up).
public struct ErasureReasons: Sendable, Equatable {
    /// One reason: its code, what it means, and whether it takes a reference.
    public struct Reason: Sendable, Equatable {
        public let code: String
        public let label: String
        public let reference: ReferenceRule

        public init(code: String, label: String, reference: ReferenceRule) {
            self.code = code
            self.label = label
            self.reference = reference
        }
    }

    /// Whether a reason takes a reference (a court order's number, a ticket of the request).
    public enum ReferenceRule: String, Sendable, Equatable, CaseIterable {
        case required, optional, none
    }

    public let reasons: [String: Reason]

    public init(_ reasons: [Reason]) {
        self.reasons = Dictionary(reasons.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Without `erasure.yaml`: the four reasons an erasure is made for, so a policy written
    /// before the file can still honour a survivor's request.
    public static let standard = ErasureReasons([
        Reason(code: "survivor_request", label: "the survivor asked for her record to be destroyed", reference: .optional),
        Reason(code: "retention_ended", label: "the retention period of the record ended", reference: .optional),
        Reason(code: "court_order", label: "a court ordered the record destroyed", reference: .required),
        Reason(code: "entered_in_error", label: "the record was entered in error", reference: .optional),
    ])

    /// The codes, sorted, as an error's hint lists them.
    public var codes: [String] { reasons.keys.sorted() }

    /// Longest reference: a court order's number or a request's ticket, never a sentence.
    public static let maximumReference = 40
    /// What a reference may be: letters and digits of the Latin alphabet, and `/ . - _ :`
    /// between them; no space, so it cannot be a phrase.
    public static let referenceRule = "a reference is 1 to \(maximumReference) characters: A-Z, a-z, 0-9 and / . - _ : "
        + "(no spaces), starting with a letter or digit, with at least one digit"

    /// Whether `reference` is a reference and not free text.
    public static func isReference(_ reference: String) -> Bool {
        let bytes = Array(reference.utf8)
        guard (1...maximumReference).contains(bytes.count), let first = bytes.first, isAlphanumeric(first),
              bytes.contains(where: { (0x30...0x39).contains($0) }) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || [0x2F, 0x2E, 0x2D, 0x5F, 0x3A].contains($0) }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }

    /// The reason `code` with `reference`, as the policy allows them; invalid_value otherwise,
    /// naming the codes. A value that is not a code is never echoed: the refusal goes into
    /// the audit log, and the words someone typed there are what the codes keep out of it.
    public func check(code: String, reference: String?) throws(HavenError) -> Reason {
        guard let reason = reasons[code] else {
            throw HavenError(.invalidValue, "the erasure reason must be one of the policy's erasure reason codes",
                             hint: "one of: \(codes.joined(separator: ", ")) (policy/erasure.yaml); "
                                 + "add --reference for a court order's number")
        }
        switch (reason.reference, reference) {
        case (.required, nil):
            throw HavenError(.invalidValue, "an erasure for \(code) needs a reference", hint: Self.referenceRule)
        case (.none, .some):
            throw HavenError(.invalidValue, "an erasure for \(code) takes no reference")
        case (_, .some(let r)) where !Self.isReference(r):
            throw HavenError(.invalidValue, "the reference is not a reference", hint: Self.referenceRule)
        default:
            return reason
        }
    }
}
