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

    public init(sealed: Bool, seal: SealMode, vaultID: String, received: Int? = nil, threshold: Int? = nil, shares: Int? = nil) {
        self.sealed = sealed
        self.seal = seal.rawValue
        self.vaultID = vaultID
        self.received = received
        self.threshold = threshold
        self.shares = shares
    }

    enum CodingKeys: String, CodingKey {
        case sealed, seal, received, threshold, shares
        case vaultID = "vault_id"
    }

    /// "sealed: 1 of 2 shares entered (3 custodians)", for people.
    public var summary: String {
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
