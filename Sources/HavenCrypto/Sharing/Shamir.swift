import HavenCore

/// Shamir's secret sharing over GF(256), byte by byte: a secret becomes N shares, any K of
/// which give it back and any K − 1 of which say nothing about it (every secret is equally
/// consistent with them). Used to seal a vault's root key so that no one file opens it.
///
/// Each byte of the secret is the constant term of its own random polynomial of degree
/// K − 1; share i holds the value of every polynomial at x = i (1…255, never 0, which is
/// the secret). Combining is Lagrange interpolation at x = 0. Shares carry no check of
/// their own here: the files that hold them are authenticated (a wrong share combines into
/// a wrong secret, which the caller must detect).
public enum Shamir {
    /// One share: its x coordinate and one value per byte of the secret.
    public struct Share: Sendable {
        public let index: UInt8
        public let values: SecureBytes

        public init(index: UInt8, values: SecureBytes) {
            self.index = index
            self.values = values
        }
    }

    /// The most shares: x runs over the 255 non-zero elements of the field.
    public static let maximumShares = 255

    /// Splits `secret` into `count` shares (indices 1…count), any `threshold` of which rebuild it.
    public static func split(_ secret: SecureBytes, threshold: Int, count: Int) throws(HavenError) -> [Share] {
        try check(threshold: threshold, count: count)
        // One random coefficient per byte for each degree 1…K−1, from libsodium's generator.
        let coefficients = (1..<threshold).map { _ in SecureBytes.random(count: secret.count) }
        return try split(secret, threshold: threshold, count: count) { degree in coefficients[degree - 1] }
    }

    /// The split with given coefficients (`coefficient(d)` holds the degree-d coefficient of
    /// every byte's polynomial), so known-answer vectors can fix them.
    static func split(_ secret: SecureBytes, threshold: Int, count: Int,
                      coefficient: (Int) -> SecureBytes) throws(HavenError) -> [Share] {
        try check(threshold: threshold, count: count)
        let terms = [secret] + (1..<threshold).map(coefficient)
        return try (1...count).map { (i) throws(HavenError) -> Share in
            let x = UInt8(i)
            let values = try secureBytes(count: secret.count) { out in
                var column = [UInt8](repeating: 0, count: terms.count)
                for byte in 0..<secret.count {
                    for (d, term) in terms.enumerated() { column[d] = term.withUnsafeBytes { $0[byte] } }
                    out[byte] = evaluate(column, at: x)
                }
                column.withUnsafeMutableBytes { wipe($0) }
            }
            return Share(index: x, values: values)
        }
    }

    /// The polynomial with these coefficients (constant term first) at `x`, by Horner's rule.
    static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        var y: UInt8 = 0
        for c in coefficients.reversed() { y = GF256.add(GF256.multiply(y, x), c) }
        return y
    }

    /// The secret from `threshold` or more shares of one split (extra shares are not used).
    /// Shares must have distinct, non-zero indices and equal lengths.
    public static func combine(_ shares: [Share], threshold: Int) throws(HavenError) -> SecureBytes {
        guard threshold >= 2, shares.count >= threshold else {
            throw HavenError(.invalidValue, "\(threshold) shares are needed; \(shares.count) given")
        }
        let used = Array(shares.prefix(threshold))
        let length = used[0].values.count
        guard used.allSatisfy({ $0.index != 0 && $0.values.count == length }),
              Set(used.map(\.index)).count == used.count else {
            throw HavenError(.invalidValue, "the shares must come from one split, each with its own index")
        }
        // The Lagrange basis at 0 for each share: the product of x_j / (x_j − x_i), j ≠ i
        // (in GF(2^8) subtraction is XOR, so x_j − x_i = x_j ^ x_i).
        let basis = used.map { share in
            used.reduce(UInt8(1)) { l, other in
                other.index == share.index ? l
                    : GF256.multiply(l, GF256.multiply(other.index, GF256.inverse(other.index ^ share.index)))
            }
        }
        return try secureBytes(count: length) { out in
            for byte in 0..<length {
                var y: UInt8 = 0
                for (share, l) in zip(used, basis) {
                    y ^= GF256.multiply(l, share.values.withUnsafeBytes { $0[byte] })
                }
                out[byte] = y
            }
        }
    }

    private static func check(threshold: Int, count: Int) throws(HavenError) {
        guard threshold >= 2, threshold <= count, count <= maximumShares else {
            throw HavenError(.invalidValue, "a split needs 2 ≤ threshold ≤ shares ≤ \(maximumShares); got \(threshold) of \(count)")
        }
    }

    private static func secureBytes(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(HavenError) -> SecureBytes {
        do {
            return try SecureBytes(count: count) { fill($0) }
        } catch {
            throw HavenError(.internalError, "cannot hold a share in protected memory")
        }
    }
}
