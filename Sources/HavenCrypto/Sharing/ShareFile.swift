import HavenCore

/// One share of a vault's root key as its custodian keeps it: which vault, which share of
/// how many, how many are needed, the share's values, and a check value.
///
/// The check is BLAKE2b-256 over the domain "haven/root-share/v1" and everything before it,
/// so a share that was corrupted, cut, or belongs to another vault or another split is
/// named and refused before it is combined (a wrong share would otherwise combine into a
/// wrong key without a word). It is not a signature: someone who can write a share file
/// can write a consistent one, and what the shares combine into is checked against the
/// vault itself. Layout (84 bytes): version 1 | vault id 16 | index 1 | threshold 1 |
/// count 1 | values 32 | check 32.
public struct ShareFile: Sendable {
    public static let byteCount = 1 + 16 + 3 + RootKey.byteCount + 32
    static let version: UInt8 = 1
    static let domain = Array("haven/root-share/v1".utf8)

    /// The file's content (what the key file's base64 holds).
    public let bytes: SecureBytes

    /// Reads and checks a share; `what` names it in errors (its file name).
    public init(bytes: SecureBytes, what: String) throws(HavenError) {
        guard bytes.count == Self.byteCount, bytes.withUnsafeBytes({ $0[0] }) == Self.version else {
            throw HavenError(.invalidKey, "\(what) is not a version-1 root key share")
        }
        self.bytes = bytes
        let expected = Self.check(bytes)
        let stored = bytes.withUnsafeBytes { Array($0[(Self.byteCount - 32)...]) }
        guard constantTimeEqual(expected, stored) else {
            throw HavenError(.invalidKey, "\(what) is damaged: its check value does not match (share \(index) of \(count))",
                             hint: "use the custodian's original copy of this share")
        }
        guard index >= 1, index <= count, threshold >= 2, threshold <= count else {
            throw HavenError(.invalidKey, "\(what) names share \(index) of \(count) with threshold \(threshold), which cannot be")
        }
    }

    /// A share of `root` for `vault`, checked.
    public init(share: Shamir.Share, vault: VaultID, threshold: Int, count: Int) throws(HavenError) {
        guard let vaultBytes = Hex.decode(vault.rawValue), share.values.count == RootKey.byteCount else {
            throw HavenError(.invalidValue, "a share of a root key is \(RootKey.byteCount) bytes of one vault")
        }
        let head = [Self.version] + vaultBytes + [share.index, UInt8(threshold), UInt8(count)]
        // Guarded memory is read-only once filled: the check is computed over the body first.
        let body = try Self.secure(count: Self.byteCount - 32) { out in
            out.copyBytes(from: head)
            share.values.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[head.count...]).copyMemory(from: $0) }
        }
        let check = Self.check(body)
        let filled = try Self.secure(count: Self.byteCount) { out in
            body.withUnsafeBytes { out.copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: out[(Self.byteCount - 32)...]).copyBytes(from: check)
        }
        try self.init(bytes: filled, what: "share \(share.index)")
    }

    public var vault: VaultID { VaultID(bytes: bytes.withUnsafeBytes { Array($0[1..<17]) }) }
    public var index: UInt8 { bytes.withUnsafeBytes { $0[17] } }
    public var threshold: Int { Int(bytes.withUnsafeBytes { $0[18] }) }
    public var count: Int { Int(bytes.withUnsafeBytes { $0[19] }) }

    /// The check value, which `ShareSet` keeps to recognise the shares of the current split.
    public var checkValue: [UInt8] { bytes.withUnsafeBytes { Array($0[(Self.byteCount - 32)...]) } }

    /// The share itself, for `Shamir.combine`.
    public var share: Shamir.Share {
        let values = try! SecureBytes(count: RootKey.byteCount) { out in
            bytes.withUnsafeBytes { b in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[20..<(20 + RootKey.byteCount)])) }
        }
        return Shamir.Share(index: index, values: values)
    }

    private static func secure(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(HavenError) -> SecureBytes {
        do {
            return try SecureBytes(count: count) { fill($0) }
        } catch {
            throw HavenError(.internalError, "cannot hold a share in protected memory")
        }
    }

    /// BLAKE2b-256 of the domain and everything before the check value.
    private static func check(_ bytes: SecureBytes) -> [UInt8] {
        let input = try! SecureBytes(count: domain.count + byteCount - 32) { out in
            out.copyBytes(from: domain)
            bytes.withUnsafeBytes { b in
                UnsafeMutableRawBufferPointer(rebasing: out[domain.count...]).copyMemory(from: UnsafeRawBufferPointer(rebasing: b[..<(byteCount - 32)]))
            }
        }
        return input.withUnsafeBytes { BLAKE2b.digest256($0).bytes }
    }
}

/// Compares without stopping at the first difference.
private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}
