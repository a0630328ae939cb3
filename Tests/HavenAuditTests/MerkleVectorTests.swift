import Foundation
@testable import HavenAudit
import HavenCore
import HavenTestSupport
import Testing

/// RFC 6962's reference tree — the eight leaves of certificate-transparency's tests — built
/// with Haven's hash, BLAKE2b-256. The expected roots and proofs were computed by an
/// independent implementation, committed as scripts/merkle-vectors.py: Python's hashlib
/// BLAKE2 and RFC 6962 §2.1's MTH, PATH and PROOF written from the RFC's text. (With SHA-256
/// the same code reproduces the published CT vectors; the tree is hash-agnostic.)
@Suite struct MerkleVectorTests {
    static let leaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f"].map { [UInt8](hex: $0) }
    static let roots = [
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
        "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314",
        "607844f4b0299f5c45d63dd035de1f8d697711c7f092b8fa82325f670f6d386a",
        "6ee5d7ded74104b2316b73f9843e14d16d9c5f553a39cbd7da7c3c8238fe0b0e",
        "dad1013557a71536d36ab10db2ea4847bed7ded78aa9d2682ffc0e221e758444",
        "a69507075082f2f7bd0e3e23bd31d7082c4c78ce98d87d897f7990eecf7d6ec5",
        "76840409bd8cc8be20c053d9569472d0bbea7b4f483cd5ae0624ef253c64f227",
        "ae8349a901b95ac305157e4ff4f5cf486653fed085ea4dd59a59c9375682933e",
        "59cc7108743d34853ea37ea07558da3407712c7f0fdb76e59753eb243e0c438e",
    ].map { [UInt8](hex: $0) }
    static var leafHashes: [[UInt8]] { leaves.map { MerkleHash.leaf($0) } }

    func tree(_ n: Int) -> MerkleTree<InMemoryLeaves> {
        MerkleTree(size: UInt64(n), source: InMemoryLeaves(Array(Self.leafHashes.prefix(n))))
    }

    @Test func rootsOfEveryPrefixMatch() throws {
        for n in 0...8 {
            #expect(try tree(n).root() == Self.roots[n], "size \(n)")
            var f = MerkleFrontier()
            for h in Self.leafHashes.prefix(n) { f.append(leafHash: h) }
            #expect(f.root() == Self.roots[n], "frontier size \(n)")
        }
    }

    static let inclusionCases: [(Int, Int, [String])] = [
        (0, 8, ["9ee6dfb61a2fb903df487c401663825643bb825d41695e63df8af6162ab145a6",
                "4410d256c615d5be5efd88bfe791098db5ef8adc6e4b6d5950ce34f9fbbfc83d",
                "b0932ab3e3f71f186a2a2b9247eff0a6e3d8693b2836284645743bcb34c823aa"]),
        (5, 8, ["3234371fe31af918988719ccf80cc04c639e69fee40c584ca7d63b5bdb352197",
                "f4b02aedb9eca168d47f50db39a464a01d57961153f2708878e45cf3d3d17ae4",
                "dad1013557a71536d36ab10db2ea4847bed7ded78aa9d2682ffc0e221e758444"]),
        (2, 3, ["607844f4b0299f5c45d63dd035de1f8d697711c7f092b8fa82325f670f6d386a"]),
        (1, 5, ["03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314",
                "4410d256c615d5be5efd88bfe791098db5ef8adc6e4b6d5950ce34f9fbbfc83d",
                "3234371fe31af918988719ccf80cc04c639e69fee40c584ca7d63b5bdb352197"]),
        (0, 1, []),
    ]

    @Test(arguments: Self.inclusionCases)
    func inclusionProofsMatch(index: Int, size: Int, expected: [String]) throws {
        let proof = try tree(size).inclusionProof(index: UInt64(index))
        #expect(proof == expected.map { [UInt8](hex: $0) })
        #expect(MerkleProofs.verifyInclusion(leafHash: Self.leafHashes[index], index: UInt64(index), size: UInt64(size),
                                             proof: proof, root: Self.roots[size]))
    }

    static let consistencyCases: [(Int, Int, [String])] = [
        (1, 1, [String]()),
        (1, 8, ["9ee6dfb61a2fb903df487c401663825643bb825d41695e63df8af6162ab145a6",
                "4410d256c615d5be5efd88bfe791098db5ef8adc6e4b6d5950ce34f9fbbfc83d",
                "b0932ab3e3f71f186a2a2b9247eff0a6e3d8693b2836284645743bcb34c823aa"]),
        (6, 8, ["858268af4f1eb286011123329b72d29d9fecd88a2ec4b919a555a36deef1cd65",
                "f4b02aedb9eca168d47f50db39a464a01d57961153f2708878e45cf3d3d17ae4",
                "dad1013557a71536d36ab10db2ea4847bed7ded78aa9d2682ffc0e221e758444"]),
        (2, 5, ["4410d256c615d5be5efd88bfe791098db5ef8adc6e4b6d5950ce34f9fbbfc83d",
                "3234371fe31af918988719ccf80cc04c639e69fee40c584ca7d63b5bdb352197"]),
    ]

    @Test(arguments: Self.consistencyCases)
    func consistencyProofsMatch(old: Int, new: Int, expected: [String]) throws {
        let proof = try tree(new).consistencyProof(from: UInt64(old))
        #expect(proof == expected.map { [UInt8](hex: $0) })
        #expect(MerkleProofs.verifyConsistency(oldSize: UInt64(old), oldRoot: Self.roots[old], newSize: UInt64(new),
                                               newRoot: Self.roots[new], proof: proof))
    }
}

extension MerkleVectorTests {
    struct ScriptVectors: Decodable {
        let roots: [String]
        let inclusion: [[Proof]]
        let consistency: [[Proof]]

        /// One element of `[i, n, [hashes…]]`.
        enum Proof: Decodable {
            case number(Int)
            case hashes([String])
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .hashes(try c.decode([String].self)) }
            }
        }
    }

    /// The vectors above are exactly what the committed generator prints.
    @Test(.enabled(if: VectorScript.python3 != nil, "needs python3 to rerun scripts/merkle-vectors.py"))
    func theCommittedScriptReproducesTheseVectors() throws {
        let v = try JSONDecoder().decode(ScriptVectors.self, from: try VectorScript.output("merkle-vectors.py"))
        #expect(v.roots.map { [UInt8](hex: $0) } == Self.roots)
        func cases(_ rows: [[ScriptVectors.Proof]]) -> [String] {
            rows.map { row in
                row.map { p -> String in
                    switch p {
                    case .number(let n): return String(n)
                    case .hashes(let h): return h.joined(separator: ",")
                    }
                }.joined(separator: "/")
            }
        }
        #expect(cases(v.inclusion) == Self.inclusionCases.map { "\($0.0)/\($0.1)/\($0.2.joined(separator: ","))" })
        #expect(cases(v.consistency) == Self.consistencyCases.map { "\($0.0)/\($0.1)/\($0.2.joined(separator: ","))" })
    }
}

/// Every leaf of every tree size up to 70 (crossing the 64-leaf boundary), and tiles.
@Suite struct MerklePropertyTests {
    static let hashes: [[UInt8]] = (0..<600).map { MerkleHash.leaf([UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]) }

    @Test func everyInclusionAndConsistencyProofVerifiesAndTamperingFails() throws {
        for n in 1...70 {
            let t = MerkleTree(size: UInt64(n), source: InMemoryLeaves(Array(Self.hashes.prefix(n))))
            let root = try t.root()
            for i in 0..<n {
                let proof = try t.inclusionProof(index: UInt64(i))
                #expect(MerkleProofs.verifyInclusion(leafHash: Self.hashes[i], index: UInt64(i), size: UInt64(n), proof: proof, root: root))
                #expect(!MerkleProofs.verifyInclusion(leafHash: Self.hashes[(i + 1) % 600], index: UInt64(i), size: UInt64(n),
                                                      proof: proof, root: root))
                if !proof.isEmpty {
                    var bad = proof
                    bad[0][0] ^= 1
                    #expect(!MerkleProofs.verifyInclusion(leafHash: Self.hashes[i], index: UInt64(i), size: UInt64(n), proof: bad, root: root))
                }
            }
            for m in 1...n {
                let old = try MerkleTree(size: UInt64(m), source: InMemoryLeaves(Array(Self.hashes.prefix(m)))).root()
                let proof = try t.consistencyProof(from: UInt64(m))
                #expect(MerkleProofs.verifyConsistency(oldSize: UInt64(m), oldRoot: old, newSize: UInt64(n), newRoot: root, proof: proof))
            }
        }
    }

    /// A later tree whose history was rewritten (one early leaf changed) is not consistent
    /// with a checkpoint of the original: the proof the rewritten tree yields fails.
    @Test func consistencyAgainstRewrittenHistoryFails() throws {
        let original = MerkleTree(size: 20, source: InMemoryLeaves(Array(Self.hashes.prefix(20))))
        var rewritten = Array(Self.hashes.prefix(40))
        rewritten[3] = MerkleHash.leaf(Array("rewritten".utf8))
        let later = MerkleTree(size: 40, source: InMemoryLeaves(rewritten))
        let proof = try later.consistencyProof(from: 20)
        #expect(!MerkleProofs.verifyConsistency(oldSize: 20, oldRoot: try original.root(), newSize: 40, newRoot: try later.root(),
                                                proof: proof))
    }

    /// Proofs made from stored tiles equal proofs made from every leaf.
    @Test func tilesGiveTheSameRootsAndProofs() throws {
        struct Tiled: MerkleLeafSource {
            let hashes: [[UInt8]]
            func leafHashes(_ r: Range<UInt64>) throws -> [[UInt8]] { Array(hashes[Int(r.lowerBound)..<Int(r.upperBound)]) }
            func tileHash(_ i: UInt64) throws -> [UInt8]? {
                let start = Int(i * MerkleTiles.size)
                guard start + Int(MerkleTiles.size) <= hashes.count else { return nil }
                return MerkleTree<InMemoryLeaves>.hashInMemory(hashes[start..<(start + Int(MerkleTiles.size))])
            }
        }
        var frontier = MerkleFrontier()
        var tiles = [[UInt8]]()
        for h in Self.hashes { if let t = frontier.append(leafHash: h) { tiles.append(t.hash) } }
        #expect(tiles.count == 2)
        for n in [255, 256, 257, 511, 512, 513, 600] {
            let plain = MerkleTree(size: UInt64(n), source: InMemoryLeaves(Array(Self.hashes.prefix(n))))
            let tiled = MerkleTree(size: UInt64(n), source: Tiled(hashes: Array(Self.hashes.prefix(n))))
            #expect(try plain.root() == tiled.root())
            #expect(try plain.inclusionProof(index: 7) == tiled.inclusionProof(index: 7))
            #expect(try plain.consistencyProof(from: 300 > n ? 1 : 300) == tiled.consistencyProof(from: 300 > n ? 1 : 300))
        }
        let rebuilt = MerkleFrontier(tiles: tiles, trailingLeaves: Array(Self.hashes[512...]))
        #expect(rebuilt == frontier)
        #expect(MerkleFrontier(size: frontier.size, subtreeHashes: frontier.subtreeHashes) == frontier)
    }
}
