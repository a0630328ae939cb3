/// What `haven audit verify` found: every problem, and the first bad sequence number.
public struct VerificationReport: Sendable, Codable, Equatable {
    public struct Problem: Sendable, Codable, Equatable {
        /// The entry the problem is first visible at, when it is about one.
        public let seq: UInt64?
        /// The checkpoint (by tree size) the problem is about, when it is about one.
        public let checkpoint: UInt64?
        public let message: String
    }

    public var entries: UInt64 = 0
    public var checkpoints = 0
    /// Entries covered by a checkpoint whose signature and root both verified.
    public var verifiedSize: UInt64 = 0
    /// The earliest entry that is altered, missing or out of place, if any.
    public var firstBadSeq: UInt64?
    public var problems: [Problem] = []
    /// Entries after the last checkpoint: chained but not yet signed (not a failure).
    public var unsignedTail: UInt64 = 0

    public var ok: Bool { problems.isEmpty }

    public init() {}

    /// Keeps the first problems only: after one break, later ones are mostly echoes.
    public static let maximumProblems = 20

    public mutating func add(_ message: String, seq: UInt64? = nil, checkpoint: UInt64? = nil, firstBad: UInt64? = nil) {
        if let bad = firstBad ?? seq { firstBadSeq = min(firstBadSeq ?? bad, bad) }
        if problems.count < Self.maximumProblems { problems.append(Problem(seq: seq, checkpoint: checkpoint, message: message)) }
    }

    enum CodingKeys: String, CodingKey {
        case ok, entries, checkpoints, problems
        case verifiedSize = "verified_size"
        case firstBadSeq = "first_bad_seq"
        case unsignedTail = "unsigned_tail"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decode(UInt64.self, forKey: .entries)
        checkpoints = try c.decode(Int.self, forKey: .checkpoints)
        verifiedSize = try c.decode(UInt64.self, forKey: .verifiedSize)
        firstBadSeq = try c.decodeIfPresent(UInt64.self, forKey: .firstBadSeq)
        problems = try c.decode([Problem].self, forKey: .problems)
        unsignedTail = try c.decode(UInt64.self, forKey: .unsignedTail)
    }

    /// `ok` is written for scripts (`jq .ok`) and never read back: the problems decide it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ok, forKey: .ok)
        try c.encode(entries, forKey: .entries)
        try c.encode(checkpoints, forKey: .checkpoints)
        try c.encode(verifiedSize, forKey: .verifiedSize)
        try c.encodeIfPresent(firstBadSeq, forKey: .firstBadSeq)
        try c.encode(problems, forKey: .problems)
        try c.encode(unsignedTail, forKey: .unsignedTail)
    }
}
