import HavenCore

/// `GET /v1/operator/seal`, and the answer of unseal and seal: whether the vault is sealed,
/// how its root key is kept, and how far custodians have come.
public struct SealStatus: Codable, Sendable, Equatable {
    public let sealed: Bool
    /// `file`, `passphrase` or `shares`.
    public let seal: String
    public let vaultID: String
    /// Shares entered so far, while sealed by shares.
    public let received: Int?
    /// Shares needed, and shares there are, for a vault sealed by shares.
    public let threshold: Int?
    public let shares: Int?
    /// While the root key is being rotated: rows done, of how many.
    public let rotating: [Int]?

    public init(sealed: Bool, seal: SealMode, vaultID: String, received: Int? = nil, threshold: Int? = nil, shares: Int? = nil,
                rotating: [Int]? = nil) {
        self.rotating = rotating
        self.sealed = sealed
        self.seal = seal.rawValue
        self.vaultID = vaultID
        self.received = received
        self.threshold = threshold
        self.shares = shares
    }

    enum CodingKeys: String, CodingKey {
        case sealed, seal, received, threshold, shares, rotating
        case vaultID = "vault_id"
    }

    /// "sealed: 1 of 2 shares entered (3 custodians)", for people.
    public var summary: String {
        if let rotating, rotating.count == 2 { return "closed while its root key is rotated (\(rotating[0]) of \(rotating[1]) rows)" }
        guard sealed else { return "unsealed (\(seal))" }
        if let received, let threshold, let shares {
            return "sealed: \(received) of \(threshold) shares entered (\(shares) custodians)"
        }
        return "sealed: waiting for the passphrase"
    }
}

/// `POST /v1/operator/unseal` body: exactly one of a passphrase and a share (the share
/// file's bytes, base64, as in the file).
public struct UnsealRequest: Codable, Sendable {
    public let passphrase: String?
    public let share: String?

    public init(passphrase: String? = nil, share: String? = nil) {
        self.passphrase = passphrase
        self.share = share
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["passphrase", "share"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        passphrase = try c.decodeIfPresent(String.self, forKey: .passphrase)
        share = try c.decodeIfPresent(String.self, forKey: .share)
        guard (passphrase == nil) != (share == nil) else {
            throw HavenError(.invalidValue, "give exactly one of 'passphrase' and 'share'")
        }
    }
}

/// `POST /v1/operator/rotate` body: a new root key. For a vault kept in a file, nothing;
/// under a passphrase, the current passphrase and the one to seal the new key under (the
/// same or a new one); by shares, first `shares` and `threshold` (the new split, answered
/// with the shares and a `pending` id), then `commit` with that id and `current_shares`,
/// the custodians' current shares, once the new ones are safely written.
public struct RotateRequest: Codable, Sendable {
    public let passphrase: String?
    public let currentPassphrase: String?
    public let shares: Int?
    public let threshold: Int?
    public let commit: String?
    /// Share files' key bytes, base64.
    public let currentShares: [String]?

    public init(passphrase: String? = nil, currentPassphrase: String? = nil, shares: Int? = nil, threshold: Int? = nil,
                commit: String? = nil, currentShares: [String]? = nil) {
        self.passphrase = passphrase
        self.currentPassphrase = currentPassphrase
        self.shares = shares
        self.threshold = threshold
        self.commit = commit
        self.currentShares = currentShares
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["passphrase", "current_passphrase", "shares", "threshold", "commit", "current_shares"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        passphrase = try c.decodeIfPresent(String.self, forKey: .passphrase)
        currentPassphrase = try c.decodeIfPresent(String.self, forKey: .currentPassphrase)
        shares = try c.decodeIfPresent(Int.self, forKey: .shares)
        threshold = try c.decodeIfPresent(Int.self, forKey: .threshold)
        commit = try c.decodeIfPresent(String.self, forKey: .commit)
        currentShares = try c.decodeIfPresent([String].self, forKey: .currentShares)
    }

    enum CodingKeys: String, CodingKey {
        case passphrase, shares, threshold, commit
        case currentPassphrase = "current_passphrase"
        case currentShares = "current_shares"
    }
}

/// `POST /v1/operator/rotate` answer: rotated, or (shares) the new split to hand out first.
public struct RotateAnswer: Codable, Sendable {
    public let rotated: Bool
    public let seal: String
    public let vaultID: String
    public let records: Int?
    public let entries: UInt64?
    /// The split waiting for `commit`; the share files' key bytes, base64, index order.
    public let pending: String?
    public let shareFiles: [String]?

    public init(rotated: Bool, seal: SealMode, vaultID: String, records: Int? = nil, entries: UInt64? = nil, pending: String? = nil,
                shareFiles: [String]? = nil) {
        self.rotated = rotated
        self.seal = seal.rawValue
        self.vaultID = vaultID
        self.records = records
        self.entries = entries
        self.pending = pending
        self.shareFiles = shareFiles
    }

    enum CodingKeys: String, CodingKey {
        case rotated, seal, records, entries, pending
        case vaultID = "vault_id"
        case shareFiles = "share_files"
    }
}
