import Foundation
import HavenCore
@testable import HavenCrypto
import HavenTestSupport
import Testing

/// The field Shamir's scheme works in, against FIPS 197's published products and an
/// independent implementation (scripts/shamir-vectors.py: log tables, where the Swift code
/// multiplies bit by bit).
@Suite struct GF256Tests {
    /// FIPS 197 §4.2: {57}·{83} = {c1}; §4.2.1: {57}·{13} = {fe}; §5.1.1: {53}⁻¹ = {ca}.
    static let products: [(UInt8, UInt8, UInt8)] = [(0x57, 0x83, 0xC1), (0x57, 0x13, 0xFE), (0x53, 0xCA, 0x01), (0x02, 0x80, 0x1B),
                                                    (0xFF, 0xFF, 0x13), (0x00, 0x9A, 0x00)]
    static let inverses: [(UInt8, UInt8)] = [(0x01, 0x01), (0x02, 0x8D), (0x03, 0xF6), (0x53, 0xCA), (0x8D, 0x02), (0xCA, 0x53), (0xFF, 0x1C)]

    @Test func productsAndInversesMatchTheVectors() {
        for (a, b, p) in Self.products {
            #expect(GF256.multiply(a, b) == p && GF256.multiply(b, a) == p, "\(a)·\(b)")
        }
        for (a, i) in Self.inverses { #expect(GF256.inverse(a) == i, "\(a)⁻¹") }
    }

    @Test func everyNonZeroElementHasItsInverseAndMultiplicationDistributes() {
        for a in UInt8(1)...255 { #expect(GF256.multiply(a, GF256.inverse(a)) == 1, "\(a)") }
        #expect(GF256.inverse(0) == 0)
        for (a, b, c) in [(UInt8(0x57), UInt8(0x83), UInt8(0x13)), (0xFE, 0x01, 0x80), (0x1B, 0xC6, 0x2D)] {
            #expect(GF256.multiply(a, GF256.add(b, c)) == GF256.add(GF256.multiply(a, b), GF256.multiply(a, c)))
            #expect(GF256.multiply(GF256.multiply(a, b), c) == GF256.multiply(a, GF256.multiply(b, c)))
        }
    }
}

/// Splitting and combining: known answers, every K of N, nothing from K − 1, bad input refused.
@Suite struct ShamirTests {
    static func hex(_ s: SecureBytes) -> String { s.withUnsafeBytes { Hex.encode(Array($0)) } }

    /// (secret, coefficients by degree, shares by index from 1), as the script prints them.
    static let vectors: [(secret: String, coefficients: [String], shares: [String])] = [
        ("2a", ["5c"], ["76", "92", "ce"]),
        ("00ff10", ["010203", "a0b0c0"], ["a14dd3", "b40d3b", "15bff8", "ea02a8", "4bb06b"]),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         ["01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da",
          "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a2"],
         ["fef5f4e3ead1c0dfd6adac9b8289b8b7aea5a4535a41300f061d1c0b72796867",
          "d3ccd5dadfa0c9e6cb342dc2e7f8b1bee3fce531340bf996bb849df21708010e",
          "2d38233a31740f3e15908b52697c07065d4853717a5fdf8ea5809be2796c7776",
          "6d7837a2d90cf8ed1ed09f675c4966338b9ed1e992c769fc0f5a15db7b6ec194"]),
    ]

    /// Every way of choosing `k` of `items`.
    static func subsets<T>(_ items: [T], _ k: Int) -> [[T]] {
        guard k > 0 else { return [[]] }
        guard items.count >= k else { return [] }
        let rest = Array(items.dropFirst())
        return subsets(rest, k - 1).map { [items[0]] + $0 } + subsets(rest, k)
    }

    @Test func splitsMatchTheKnownAnswersAndEveryThresholdSubsetOpensThem() throws {
        for v in Self.vectors {
            let threshold = v.coefficients.count + 1
            let shares = try Shamir.split(SecureBytes(hex: v.secret), threshold: threshold, count: v.shares.count) { SecureBytes(hex: v.coefficients[$0 - 1]) }
            #expect(shares.map { Self.hex($0.values) } == v.shares && shares.map(\.index) == Array(1...UInt8(v.shares.count)))
            for subset in Self.subsets(shares, threshold) + Self.subsets(shares, threshold).map({ $0.reversed() }) {
                #expect(Self.hex(try Shamir.combine(subset, threshold: threshold)) == v.secret, "\(subset.map(\.index))")
            }
        }
    }

    @Test(arguments: [(2, 2), (2, 3), (3, 5), (5, 5), (4, 7), (2, 255)])
    func randomSecretsComeBackFromEveryThresholdSubset(threshold: Int, count: Int) throws {
        let secret = SecureBytes.random(count: 32)
        let shares = try Shamir.split(secret, threshold: threshold, count: count)
        #expect(shares.count == count && Set(shares.map(\.index)).count == count)
        let subsets = count > 10 ? [Array(shares.suffix(threshold)), [shares[0], shares[254]]] : Self.subsets(shares, threshold)
        for subset in subsets {
            #expect(try Shamir.combine(subset, threshold: threshold).constantTimeEquals(secret), "\(subset.map(\.index))")
        }
        // A share that is not what was split gives another secret: the caller must check it.
        var wrong = shares.prefix(threshold).map { $0 }
        wrong[0] = Shamir.Share(index: wrong[0].index, values: SecureBytes.random(count: 32))
        #expect(!(try Shamir.combine(wrong, threshold: threshold)).constantTimeEquals(secret))
    }

    /// K − 1 shares say nothing: for each secret byte, over every choice of the random
    /// coefficients, the K − 1 share values take every possible value exactly once, so they
    /// are distributed the same whatever the secret (every secret is equally consistent).
    @Test(arguments: [2, 3])
    func fewerThanThresholdSharesAreEquallyConsistentWithEverySecret(threshold: Int) {
        for secret in [UInt8(0x00), 0x01, 0x2A, 0x80, 0xFF] {
            var seen = [Int](repeating: 0, count: 1 << (8 * (threshold - 1)))
            for choice in 0..<(1 << (8 * (threshold - 1))) {
                let coefficients = [secret] + (0..<(threshold - 1)).map { UInt8(truncatingIfNeeded: choice >> (8 * $0)) }
                var key = 0
                for x in 1..<threshold { key = key << 8 | Int(Shamir.evaluate(coefficients, at: UInt8(x))) }
                seen[key] += 1
            }
            #expect(seen.allSatisfy { $0 == 1 }, "secret \(secret), threshold \(threshold)")
        }
    }

    @Test func badSplitsAndCombinationsAreRefused() throws {
        let secret = SecureBytes.random(count: 32)
        for (k, n) in [(1, 3), (4, 3), (0, 0), (2, 256)] {
            #expect(throws: HavenError.self) { try Shamir.split(secret, threshold: k, count: n) }
        }
        let shares = try Shamir.split(secret, threshold: 3, count: 5)
        #expect(throws: HavenError.self) { try Shamir.combine(Array(shares.prefix(2)), threshold: 3) }
        #expect(throws: HavenError.self) { try Shamir.combine([shares[0], shares[0], shares[1]], threshold: 3) }
        let zero = Shamir.Share(index: 0, values: shares[0].values)
        #expect(throws: HavenError.self) { try Shamir.combine([zero, shares[1], shares[2]], threshold: 3) }
        let short = Shamir.Share(index: 9, values: SecureBytes.random(count: 31))
        #expect(throws: HavenError.self) { try Shamir.combine([short, shares[1], shares[2]], threshold: 3) }
    }

    struct ScriptVectors: Decodable {
        struct Split: Decodable {
            struct Share: Decodable { let index: Int; let values: String }
            let secret: String
            let coefficients: [String]
            let shares: [Share]
        }
        let products: [[Int]]
        let inverses: [[Int]]
        let splits: [Split]
    }

    /// The vectors above are exactly what the committed generator prints.
    @Test(.enabled(if: VectorScript.python3 != nil, "needs python3 to rerun scripts/shamir-vectors.py"))
    func theCommittedScriptReproducesTheseVectors() throws {
        let v = try JSONDecoder().decode(ScriptVectors.self, from: try VectorScript.output("shamir-vectors.py"))
        #expect(v.products == GF256Tests.products.map { [Int($0.0), Int($0.1), Int($0.2)] })
        #expect(v.inverses == GF256Tests.inverses.map { [Int($0.0), Int($0.1)] })
        #expect(v.splits.map(\.secret) == Self.vectors.map(\.secret) && v.splits.map(\.coefficients) == Self.vectors.map(\.coefficients))
        #expect(v.splits.map { $0.shares.map(\.values) } == Self.vectors.map(\.shares))
        #expect(v.splits.allSatisfy { $0.shares.map(\.index) == Array(1...$0.shares.count) })
    }
}
