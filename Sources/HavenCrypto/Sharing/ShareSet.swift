import HavenCore

/// Which shares open a vault: kept in the data directory beside a vault sealed by shares,
/// it holds no secret, only the check value of each share of the current split and, from
/// version 2, the public key of the custodian each share is sealed to.
///
/// A share's own check names a corrupted file; the set names a share that is intact but
/// not one of this vault's current shares (another vault's, or an older split's after a
/// rotation). Without it such a share would combine into a wrong key, and the failure
/// could not say whose share was wrong. The checks are BLAKE2b-256 outputs over 32 random
/// bytes each, so they tell nothing about the shares.
///
/// Version 2 also says whom a rotation seals the new shares to, by default. That list must
/// not be the administrator's to change (swapping a custodian's key for their own would
/// hand them a share at the next rotation), so it is tagged under the root key (the row
/// authentication key, its own domain): the tag is checked once the shares have formed the
/// key — before the vault opens, and before a rotation uses the list.
/// Layout v1: version 1 | vault id 16 | threshold 1 | count 1 | count × check 32.
/// Layout v2: version 2 | vault id 16 | threshold 1 | count 1 | count × (check 32 |
/// custodian's Ed25519 public key 32) | tag 16, keyed BLAKE2b of the framed
/// ("haven/root-share-set/v2", blob(everything before the tag)).
public struct ShareSet: Sendable, Equatable {
    static let headerCount = 1 + 16 + 2
    static let domain = "haven/root-share-set/v2"

    public let version: UInt8
    public let vault: VaultID
    public let threshold: Int
    public let count: Int
    /// Check value of share `i + 1`.
    let checks: [[UInt8]]
    /// The custodian of share `i + 1` (version 2; none in version 1).
    public let custodians: [PublicKey]
    let tag: [UInt8]

    /// The version-1 set of `shares`, all of one split (vaults made before custodian keys).
    public init(shares: [ShareFile]) throws(HavenError) {
        try Self.checkSplit(shares)
        version = 1
        vault = shares[0].vault
        threshold = shares[0].threshold
        count = shares[0].count
        checks = shares.map(\.checkValue)
        custodians = []
        tag = []
    }

    /// The version-2 set of `shares`, share `i + 1` sealed to `custodians[i]`, tagged under `root`.
    public init(shares: [ShareFile], custodians: [PublicKey], root: RootKey) throws(HavenError) {
        try Self.checkSplit(shares)
        guard custodians.count == shares.count else { throw HavenError(.invalidValue, "one custodian key per share") }
        var body = [2] + (Hex.decode(shares[0].vault.rawValue) ?? []) + [UInt8(shares[0].threshold), UInt8(shares[0].count)]
        for (s, c) in zip(shares, custodians) { body += s.checkValue + c.bytes }
        try self.init(bytes: body + Self.tag(body, root: root).bytes)
    }

    private static func checkSplit(_ shares: [ShareFile]) throws(HavenError) {
        guard let first = shares.first, shares.count == first.count,
              shares.enumerated().allSatisfy({ $0.element.index == UInt8($0.offset + 1) && $0.element.vault == first.vault
                                               && $0.element.threshold == first.threshold && $0.element.count == first.count })
        else { throw HavenError(.invalidValue, "a share set is every share of one split, in order") }
    }

    public init(bytes: [UInt8]) throws(HavenError) {
        guard bytes.count > Self.headerCount, bytes[0] == 1 || bytes[0] == 2 else {
            throw HavenError(.invalidKey, "not a version-1 or version-2 root share set")
        }
        version = bytes[0]
        let threshold = Int(bytes[17]), count = Int(bytes[18])
        let member = version == 1 ? 32 : 32 + PublicKey.byteCount
        let tail = version == 1 ? 0 : Tag16.byteCount
        guard threshold >= 2, threshold <= count, bytes.count == Self.headerCount + member * count + tail else {
            throw HavenError(.invalidKey, "the root share set is damaged (threshold \(threshold) of \(count), \(bytes.count) bytes)")
        }
        vault = VaultID(bytes: Array(bytes[1..<17]))
        self.threshold = threshold
        self.count = count
        let at = { (i: Int) in Self.headerCount + member * i }
        checks = (0..<count).map { Array(bytes[at($0)..<(at($0) + 32)]) }
        custodians = version == 1 ? [] : (0..<count).map { try! PublicKey(bytes: Array(bytes[(at($0) + 32)..<at($0 + 1)])) }
        tag = Array(bytes[(bytes.count - tail)...])
    }

    public var bytes: [UInt8] {
        var out = [version] + (Hex.decode(vault.rawValue) ?? []) + [UInt8(threshold), UInt8(count)]
        for i in 0..<count { out += checks[i] + (version == 1 ? [] : custodians[i].bytes) }
        return out + tag
    }

    /// Refuses a version-2 set whose tag is not the root key's: its custodian list was
    /// changed outside Haven. A version-1 set has no list to check.
    public func verify(root: RootKey) throws(HavenError) {
        guard version == 2 else { return }
        let body = Array(bytes.dropLast(Tag16.byteCount))
        guard Self.tag(body, root: root).bytes == tag else {
            throw HavenError(.integrityError, "the root share set (root.shares) was changed outside Haven: its custodian keys are not "
                             + "the ones the vault's key sealed", hint: "restore root.shares from a backup of the data directory")
        }
    }

    private static func tag(_ body: [UInt8], root: RootKey) -> Tag16 {
        var message = AssociatedData(domain: domain)
        message.blob(body)
        return TagKey(rootKey: root, purpose: .rowAuthentication).tag(message)
    }

    /// Refuses a share that is not one of this set's, naming why.
    public func check(_ share: ShareFile, what: String) throws(HavenError) {
        guard share.vault == vault else {
            throw HavenError(.invalidKey, "\(what) is a share of vault \(share.vault), not of this vault (\(vault))")
        }
        try check(index: share.index, count: share.count, checkValue: share.checkValue, threshold: share.threshold, what: what)
    }

    /// Whether a share file (sealed or not) is one of this set's, by its header alone.
    public func holds(_ share: StoredShare) -> Bool {
        share.vault == vault && share.count == count && Int(share.index) <= count && share.index >= 1
            && checks[Int(share.index) - 1] == share.checkValue
    }

    private func check(index: UInt8, count: Int, checkValue: [UInt8], threshold: Int, what: String) throws(HavenError) {
        guard threshold == self.threshold, count == self.count, index >= 1, Int(index) <= count,
              checks[Int(index) - 1] == checkValue else {
            throw HavenError(.invalidKey, "\(what) (share \(index) of \(count)) is not one of this vault's current shares",
                             hint: "shares from before the last root key rotation no longer open the vault")
        }
    }

    /// Each share's fingerprint (the first 4 bytes of its check value, hex), in index order.
    public var fingerprints: [String] { checks.map { Hex.encode(Array($0.prefix(4))) } }
}
