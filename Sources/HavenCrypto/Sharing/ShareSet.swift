import HavenCore

/// Which shares open a vault: kept in the data directory beside a vault sealed by shares,
/// it holds no secret, only the check value of each share of the current split.
///
/// A share's own check names a corrupted file; the set names a share that is intact but
/// not one of this vault's current shares (another vault's, or an older split's after a
/// rotation). Without it such a share would combine into a wrong key, and the failure
/// could not say whose share was wrong. The checks are BLAKE2b-256 outputs over 32 random
/// bytes each, so they tell nothing about the shares. Like the share's check, the set is
/// not a signature: what the shares combine into must still open the vault.
/// Layout: version 1 | vault id 16 | threshold 1 | count 1 | the count check values, 32 each.
public struct ShareSet: Sendable, Equatable {
    static let version: UInt8 = 1
    static let headerCount = 1 + 16 + 2

    public let vault: VaultID
    public let threshold: Int
    public let count: Int
    /// Check value of share `i + 1`.
    let checks: [[UInt8]]

    /// The set of `shares`, all of one split.
    public init(shares: [ShareFile]) throws(HavenError) {
        guard let first = shares.first, shares.count == first.count,
              shares.enumerated().allSatisfy({ $0.element.index == UInt8($0.offset + 1) && $0.element.vault == first.vault
                                               && $0.element.threshold == first.threshold && $0.element.count == first.count })
        else { throw HavenError(.invalidValue, "a share set is every share of one split, in order") }
        vault = first.vault
        threshold = first.threshold
        count = first.count
        checks = shares.map(\.checkValue)
    }

    public init(bytes: [UInt8]) throws(HavenError) {
        guard bytes.count > Self.headerCount, bytes[0] == Self.version else {
            throw HavenError(.invalidKey, "not a version-1 root share set")
        }
        let threshold = Int(bytes[17]), count = Int(bytes[18])
        guard threshold >= 2, threshold <= count, bytes.count == Self.headerCount + 32 * count else {
            throw HavenError(.invalidKey, "the root share set is damaged (threshold \(threshold) of \(count), \(bytes.count) bytes)")
        }
        vault = VaultID(bytes: Array(bytes[1..<17]))
        self.threshold = threshold
        self.count = count
        checks = (0..<count).map { Array(bytes[(Self.headerCount + 32 * $0)..<(Self.headerCount + 32 * ($0 + 1))]) }
    }

    public var bytes: [UInt8] {
        [Self.version] + (Hex.decode(vault.rawValue) ?? []) + [UInt8(threshold), UInt8(count)] + checks.flatMap { $0 }
    }

    /// Refuses a share that is not one of this set's, naming why.
    public func check(_ share: ShareFile, what: String) throws(HavenError) {
        guard share.vault == vault else {
            throw HavenError(.invalidKey, "\(what) is a share of vault \(share.vault), not of this vault (\(vault))")
        }
        guard share.threshold == threshold, share.count == count, Int(share.index) <= count,
              checks[Int(share.index) - 1] == share.checkValue else {
            throw HavenError(.invalidKey, "\(what) (share \(share.index) of \(share.count)) is not one of this vault's current shares",
                             hint: "shares from before the last root key rotation no longer open the vault")
        }
    }
}
