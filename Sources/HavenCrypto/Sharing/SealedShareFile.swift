import HavenCore

/// A share of a vault's root key sealed to its custodian (`CustodianSeal`): what `haven init`
/// and a rotation hand out, so that neither the daemon's answer nor the person who runs
/// the command ever holds a share in clear.
///
/// A plaintext header says which share it is and whose, so that status can name a file
/// without any key; the box holds the version-1 share (`ShareFile`). A sealed box has no
/// associated data, so once opened the inner share must agree with the header field by
/// field (vault, index, threshold, count, check value): a header moved onto another box,
/// or edited, is refused. The custodian's public key in the header must be the opener's.
/// Layout (216 bytes): version 2 | vault id 16 | index 1 | threshold 1 | count 1 |
/// check 32 (the inner share's) | custodian's Ed25519 public key 32 | sealed box 132.
public struct SealedShareFile: Sendable {
    public static let headerCount = 1 + 16 + 3 + 32 + PublicKey.byteCount
    public static let byteCount = headerCount + ShareFile.byteCount + CustodianSeal.overhead
    static let version: UInt8 = 2

    /// The file's content (what the key file's base64 holds); no secret in clear.
    public let bytes: [UInt8]

    /// Reads a sealed share's header; `what` names it in errors (its file name).
    public init(bytes: [UInt8], what: String) throws(HavenError) {
        guard bytes.count == Self.byteCount, bytes[0] == Self.version else {
            throw HavenError(.invalidKey, "\(what) is not a sealed root key share")
        }
        self.bytes = bytes
        guard index >= 1, Int(index) <= count, threshold >= 2, threshold <= count else {
            throw HavenError(.invalidKey, "\(what) names share \(index) of \(count) with threshold \(threshold), which cannot be")
        }
    }

    /// `share` sealed to `custodian`.
    public init(sealing share: ShareFile, to custodian: PublicKey) throws(HavenError) {
        let inner = share.bytes.withUnsafeBytes { Array($0) }
        let header = [Self.version] + inner[1..<20] + share.checkValue + custodian.bytes
        try self.init(bytes: header + (try CustodianSeal.seal(share.bytes, to: custodian)), what: "share \(share.index)")
    }

    public var vault: VaultID { VaultID(bytes: Array(bytes[1..<17])) }
    public var index: UInt8 { bytes[17] }
    public var threshold: Int { Int(bytes[18]) }
    public var count: Int { Int(bytes[19]) }
    public var checkValue: [UInt8] { Array(bytes[20..<52]) }
    public var custodian: PublicKey { try! PublicKey(bytes: Array(bytes[52..<Self.headerCount])) }

    /// Opens the share with its custodian's key and checks it is the one the header names.
    public func open(with key: SigningKey, what: String) throws(HavenError) -> ShareFile {
        guard key.publicKey == custodian else {
            throw HavenError(.invalidKey, "\(what) is sealed to key \(custodian.keyID), not to \(key.publicKey.keyID)",
                             hint: "each custodian opens only the share sealed to their own key")
        }
        let inner = try ShareFile(bytes: try CustodianSeal.open(Array(bytes[Self.headerCount...]), with: key), what: what)
        guard inner.vault == vault, inner.index == index, inner.threshold == threshold, inner.count == count,
              inner.checkValue == checkValue else {
            throw HavenError(.invalidKey, "\(what): its header does not name the share sealed in it (edited, or moved from another file)")
        }
        return inner
    }

    /// A short fingerprint of the share, for people: the first 4 bytes of its check value.
    public var fingerprint: String { Hex.encode(Array(checkValue.prefix(4))) }
}
