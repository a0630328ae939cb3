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
        if let id = r.commit {
            guard r.passphrase == nil, r.currentPassphrase == nil, r.shares == nil, r.threshold == nil,
                  let current = r.currentShares, !current.isEmpty else {
                throw HavenError(.invalidValue, "'commit' goes with 'current_shares' (the custodians' current shares) and nothing else")
            }
            var shares = [SecureBytes]()
            for b in current {
                guard var bytes = Base64.decode(b), !bytes.isEmpty,
                      let share = try? SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) }) else {
                    throw HavenError(.invalidValue, "'current_shares' holds the base64 of share files")
                }
                bytes.withUnsafeMutableBytes { wipe($0) }
                shares.append(share)
            }
            return .commit(id, current: shares)
        }
        if r.shares != nil || r.threshold != nil {
            guard let shares = r.shares, let threshold = r.threshold, r.passphrase == nil, r.currentPassphrase == nil, r.currentShares == nil,
                  (2...255).contains(shares), (2...shares).contains(threshold) else {
                throw HavenError(.invalidValue, "a new split needs 'shares' from 2 to 255 and 'threshold' from 2 to 'shares', and nothing else")
            }
            return .split(threshold: threshold, count: shares)
        }
        if r.passphrase != nil || r.currentPassphrase != nil {
            guard let new = r.passphrase, let current = r.currentPassphrase, r.currentShares == nil else {
                throw HavenError(.invalidValue, "a vault sealed under a passphrase is rotated with 'current_passphrase' and 'passphrase'")
            }
            return .passphrase(new: try secure(new, "the passphrase", minimum: 12), current: try secure(current, "the current passphrase"))
        }
        guard r.currentShares == nil else { throw HavenError(.invalidValue, "'current_shares' goes with 'commit'") }
        return .file
    }
}
