import Glibc
import HavenCore
import HavenCrypto

extension RecoveryJournal {
    /// What a journal holds, every line checked.
    public struct Contents: Sendable {
        public var acts: [RecoveryAct] = []
        /// The file's length, compared with the tally's (a cut tail).
        public var bytes = 0
        public var exists = false
        /// Each line's hash by the offset where it ends (after its newline): where the
        /// tally's head must be found.
        public var heads: [Int: [UInt8]] = [:]
    }

    /// Every act, each line checked against the vault's key and the line before it. Any line
    /// that fails is an error naming it, never skipped: a journal missing one "no" must be
    /// looked at, not half applied. No file: nothing.
    public func read(vault: VaultID, key: PublicKey) throws(HavenError) -> Contents {
        var st = stat()
        if stat(path, &st) != 0 && errno == ENOENT { return Contents() }
        let bytes = try KeyFiles.readSmallFile(path, limit: 256 << 20)
        var out = Contents(bytes: bytes.count, exists: true)
        guard bytes.isEmpty || bytes.last == 0x0A else {
            throw HavenError(.integrityError, "\(path): the last line is not whole (a torn write, or the file was cut)")
        }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        guard let first = lines.first else { return out }
        try checkHeader(first, vault: vault, key: key)
        var hashes = [Self.hash(first)]
        var end = first.count + 1
        out.heads[end] = hashes[0]
        for (n, line) in lines.enumerated().dropFirst() {
            let words = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
            guard words.count > 2, let signature = Base64.decode(String(words[words.count - 1])),
                  let stated = Base64.decode(String(words[words.count - 2])),
                  let act = RecoveryAct(words: Array(words.dropLast(2))) else {
                throw HavenError(.integrityError, "\(path), line \(n + 1): not a journal line")
            }
            let hint = "restore the journal from its copy on the backup drive, then restore again"
            guard Self.verifies(words.dropLast(2).map(String.init), signature, vault: vault, key: key, previous: stated) else {
                throw HavenError(.integrityError, "\(path), line \(n + 1): not signed by this vault's key (changed, or from another vault)",
                                 hint: hint)
            }
            // Genuine, but it followed another line than the one before it now.
            guard stated == hashes[n - 1] else {
                throw HavenError(.integrityError, "\(path), line \(n + 1): the line it followed is not the line before it "
                                 + "(a line was removed or changed before line \(n + 1))", hint: hint)
            }
            hashes.append(Self.hash(line))
            end += line.count + 1
            out.heads[end] = hashes[n]
            out.acts.append(act)
        }
        return out
    }

    private func checkHeader(_ line: ArraySlice<UInt8>, vault: VaultID, key: PublicKey) throws(HavenError) {
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 4, words[0] == Self.headerWord, Int64(words[2]) != nil, let signature = Base64.decode(String(words[3])) else {
            throw HavenError(.integrityError, "\(path), line 1: not a journal header")
        }
        guard words[1] == vault.rawValue else {
            throw HavenError(.integrityError, "\(path) is the journal of vault \(words[1]), not \(vault)", hint: "give this vault's anchor")
        }
        do {
            try key.verify(signature: signature, message: Array("\(Self.headerWord)\n\(vault)\n\(words[2])\n".utf8))
        } catch {
            throw HavenError(.integrityError, "\(path), line 1: not signed by this vault's key")
        }
    }

    private static func verifies(_ words: [String], _ signature: [UInt8], vault: VaultID, key: PublicKey, previous: [UInt8]) -> Bool {
        (try? key.verify(signature: signature, message: RecoveryAct.message(words, vault: vault, previous: previous))) != nil
    }
}
