import HavenCore

/// `GET /v1/operator/seal`, and the answer of unseal and seal: whether the vault is sealed,
/// how its root key is kept, and how many shares are still needed. Without a session that is
/// all it says (no vault id, no count of shares, nothing while a rotation runs): whoever can
/// reach the socket learns nothing about the vault. An administrator's session sees the rest.
public struct SealStatus: Codable, Sendable, Equatable {
    public let sealed: Bool
    /// `file`, `passphrase` or `shares`.
    public let seal: String
    /// Shares still needed to unseal, while sealed by shares.
    public let needed: Int?
    /// The rest, for an administrator only.
    public let vaultID: String?
    /// Shares entered so far, while sealed by shares.
    public let received: Int?
    /// Shares needed, and shares there are, for a vault sealed by shares.
    public let threshold: Int?
    public let shares: Int?
    /// While the root key is being rotated: rows done, of how many.
    public let rotating: [Int]?

    public init(sealed: Bool, seal: SealMode, needed: Int? = nil, vaultID: String? = nil, received: Int? = nil, threshold: Int? = nil,
                shares: Int? = nil, rotating: [Int]? = nil) {
        self.rotating = rotating
        self.sealed = sealed
        self.seal = seal.rawValue
        self.needed = needed
        self.vaultID = vaultID
        self.received = received
        self.threshold = threshold
        self.shares = shares
    }

    enum CodingKeys: String, CodingKey {
        case sealed, seal, needed, received, threshold, shares, rotating
        case vaultID = "vault_id"
    }

    /// What anyone may be told: sealed or not, how many shares are still needed, and that a
    /// rotation runs (not how far: the rows it counts are the vault's size).
    public var anonymous: SealStatus {
        SealStatus(sealed: sealed, seal: SealMode(rawValue: seal) ?? .file, needed: needed, rotating: rotating.map { _ in [] })
    }

    /// "sealed: 1 more share needed", for people.
    public var summary: String {
        if let rotating {
            return "closed while its root key is rotated" + (rotating.count == 2 ? " (\(rotating[0]) of \(rotating[1]) rows)" : "")
        }
        guard sealed else { return "unsealed (\(seal))" }
        if let needed {
            return "sealed: \(needed) more \(needed == 1 ? "share" : "shares") needed"
                + (received.map { r in threshold.map { " (\(r) of \($0) entered)" } ?? "" } ?? "")
        }
        return seal == SealMode.shares.rawValue ? "sealed" : "sealed: waiting for the passphrase"
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
/// same or a new one); by shares, first the new split (an administrator's session): any of
/// `shares`, `threshold` and `custodian_keys` (base64 Ed25519 public keys), each as in force
/// when left out, answered with the shares sealed to their custodians and a `pending` id;
/// then, one request per custodian and no session needed, `commit` with that id and
/// `current_share`, one current share (`current_shares` with exactly one is the same);
/// `commit` alone describes the pending split (its custodians and threshold), changing nothing.
public struct RotateRequest: Codable, Sendable {
    public let passphrase: String?
    public let currentPassphrase: String?
    public let shares: Int?
    public let threshold: Int?
    public let custodianKeys: [String]?
    public let commit: String?
    /// A share file's key bytes, base64 (a version-1 share: the custodian opens theirs first).
    public let currentShare: String?
    public let currentShares: [String]?

    public init(passphrase: String? = nil, currentPassphrase: String? = nil, shares: Int? = nil, threshold: Int? = nil,
                custodianKeys: [String]? = nil, commit: String? = nil, currentShare: String? = nil) {
        self.passphrase = passphrase
        self.currentPassphrase = currentPassphrase
        self.shares = shares
        self.threshold = threshold
        self.custodianKeys = custodianKeys
        self.commit = commit
        self.currentShare = currentShare
        self.currentShares = nil
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["passphrase", "current_passphrase", "shares", "threshold", "custodian_keys", "commit",
                                                    "current_share", "current_shares"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        passphrase = try c.decodeIfPresent(String.self, forKey: .passphrase)
        currentPassphrase = try c.decodeIfPresent(String.self, forKey: .currentPassphrase)
        shares = try c.decodeIfPresent(Int.self, forKey: .shares)
        threshold = try c.decodeIfPresent(Int.self, forKey: .threshold)
        custodianKeys = try c.decodeIfPresent([String].self, forKey: .custodianKeys)
        commit = try c.decodeIfPresent(String.self, forKey: .commit)
        currentShare = try c.decodeIfPresent(String.self, forKey: .currentShare)
        currentShares = try c.decodeIfPresent([String].self, forKey: .currentShares)
    }

    enum CodingKeys: String, CodingKey {
        case passphrase, shares, threshold, commit
        case custodianKeys = "custodian_keys"
        case currentPassphrase = "current_passphrase"
        case currentShare = "current_share"
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
    /// The split waiting for the custodians' current shares; the new share files' key bytes
    /// (each sealed to its custodian), base64, index order.
    public let pending: String?
    public let shareFiles: [String]?
    /// Current shares still needed to commit `pending`.
    public let needed: Int?
    /// The key ids of `pending`'s custodians, in share order, and how many of them open the
    /// new key: what a custodian commits to by offering a share.
    public let custodians: [String]?
    public let threshold: Int?

    public init(rotated: Bool, seal: SealMode, vaultID: String, records: Int? = nil, entries: UInt64? = nil, pending: String? = nil,
                shareFiles: [String]? = nil, needed: Int? = nil, custodians: [String]? = nil, threshold: Int? = nil) {
        self.needed = needed
        self.custodians = custodians
        self.threshold = threshold
        self.rotated = rotated
        self.seal = seal.rawValue
        self.vaultID = vaultID
        self.records = records
        self.entries = entries
        self.pending = pending
        self.shareFiles = shareFiles
    }

    enum CodingKeys: String, CodingKey {
        case rotated, seal, records, entries, pending, needed, custodians, threshold
        case vaultID = "vault_id"
        case shareFiles = "share_files"
    }
}
