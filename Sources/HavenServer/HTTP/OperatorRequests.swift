import HavenAPI
import HavenCore
import HavenCrypto
import HavenVault

/// The bodies of the operator's requests (unseal, rotate) turned into what the gate takes,
/// with every passphrase and share copied into guarded memory and the decoded bytes wiped.
enum OperatorRequests {
    /// The share or passphrase of an unseal request, in guarded memory.
    static func offer(_ request: UnsealRequest) throws(HavenError) -> VaultGate.Offer {
        // The array itself is wiped (inout: a copy made to be wiped would leave the original).
        func secure(_ bytes: inout [UInt8]) throws(HavenError) -> SecureBytes {
            defer { bytes.withUnsafeMutableBytes { wipe($0) } }
            guard !bytes.isEmpty, let s = try? SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) }) else {
                throw HavenError(.invalidValue, "the passphrase or share is empty")
            }
            return s
        }
        if let passphrase = request.passphrase {
            var bytes = Array(passphrase.utf8)
            return .passphrase(try secure(&bytes))
        }
        guard var share = request.share.flatMap(Base64.decode) else {
            throw HavenError(.invalidValue, "'share' must be the base64 of a share file's key")
        }
        return .share(try secure(&share))
    }

    /// What a rotate request asks for, secrets in guarded memory.
    static func rotation(_ r: RotateRequest) throws(HavenError) -> VaultGate.Rotation {
        func secure(_ text: String, _ what: String, minimum: Int = 1) throws(HavenError) -> SecureBytes {
            var bytes = Array(text.utf8)
            defer { bytes.withUnsafeMutableBytes { wipe($0) } }
            guard bytes.count >= minimum, let s = try? SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) }) else {
                throw HavenError(.invalidValue, minimum > 1 ? "\(what) must be at least \(minimum) bytes" : "\(what) is empty")
            }
            return s
        }
        if r.shares != nil || r.threshold != nil || r.custodianKeys != nil {
            guard r.passphrase == nil, r.currentPassphrase == nil, r.commit == nil else {
                throw HavenError(.invalidValue, "a new split takes 'shares', 'threshold' and 'custodian_keys', and nothing else")
            }
            if let shares = r.shares, let threshold = r.threshold, !((2...255).contains(shares) && (2...shares).contains(threshold)) {
                throw HavenError(.invalidValue, "a new split needs 'shares' from 2 to 255 and 'threshold' from 2 to 'shares'")
            }
            var keys: [PublicKey]?
            if let given = r.custodianKeys {
                keys = []
                for k in given {
                    guard let bytes = Base64.decode(k), let key = try? PublicKey(bytes: bytes) else {
                        throw HavenError(.invalidValue, "'custodian_keys' holds the base64 of Ed25519 public keys")
                    }
                    keys?.append(key)
                }
                if let shares = r.shares, shares != given.count {
                    throw HavenError(.invalidValue, "'shares' is \(shares) but \(given.count) custodian keys are given: one key per share")
                }
            }
            return .split(threshold: r.threshold, count: r.shares, custodians: keys)
        }
        if r.passphrase != nil || r.currentPassphrase != nil {
            guard let new = r.passphrase, let current = r.currentPassphrase, r.currentShares == nil else {
                throw HavenError(.invalidValue, "a vault sealed under a passphrase is rotated with 'current_passphrase' and 'passphrase'")
            }
            return .passphrase(new: try secure(new, "the passphrase", minimum: 12), current: try secure(current, "the current passphrase"))
        }
        return .file
    }

    /// What a request about pending rotation `commit` asks.
    enum Ceremony {
        /// The pending split described, nothing changed.
        case describe(String)
        /// One custodian's current share offered to it.
        case offer(String, SecureBytes)
    }

    /// A request about a pending rotation, if that is what `r` is: its description, or
    /// exactly one current share (two in one request would pass through one process again).
    static func ceremony(_ r: RotateRequest) throws(HavenError) -> Ceremony? {
        guard let id = r.commit else {
            guard r.currentShare == nil, r.currentShares == nil else {
                throw HavenError(.invalidValue, "'current_share' goes with 'commit'")
            }
            return nil
        }
        guard r.passphrase == nil, r.currentPassphrase == nil, r.shares == nil, r.threshold == nil, r.custodianKeys == nil else {
            throw HavenError(.invalidValue, "'commit' goes with 'current_share' and nothing else")
        }
        let one: String
        switch (r.currentShare, r.currentShares) {
        case (nil, nil): return .describe(id)
        case (let s?, nil): one = s
        case (nil, let list?) where list.count == 1: one = list[0]
        case (nil, let list?) where list.count > 1:
            throw HavenError(.invalidValue, "one current share per request: each custodian offers their own",
                             hint: "each custodian runs 'haven operator rotate-root --commit ID --share FILE --key KEY'")
        default:
            throw HavenError(.invalidValue, "'commit' goes with 'current_share', one custodian's current share")
        }
        guard var bytes = Base64.decode(one), !bytes.isEmpty,
              let share = try? SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) }) else {
            throw HavenError(.invalidValue, "'current_share' holds the base64 of a share file's key")
        }
        bytes.withUnsafeMutableBytes { wipe($0) }
        return .offer(id, share)
    }
}
