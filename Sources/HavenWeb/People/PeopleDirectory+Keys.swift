import Foundation
import Glibc
import HavenCore
import HavenCrypto

/// Sealed keys: opened at sign-in with the person's passphrase, read for their public key,
/// removed when the person is forgotten.
///
/// Whoever asks must not learn whether a name has a key here: an unknown name, a wrong
/// passphrase and a file that is not that name's (copied, edited) give one error, in the
/// same words, after the same Argon2id work. Only a file the operator must fix (its mode,
/// the disk) is named, as the key file rules name it everywhere in Haven.
extension PeopleDirectory {
    static let signInFailed = HavenError(.authenticationFailed, "the name or the passphrase is not right",
                                         hint: "check the name, and type the passphrase again")

    func openKey(name: String, passphrase: SecureBytes) throws(HavenError) -> SigningKey {
        let seal: PersonKeySeal?
        do {
            seal = try readSeal(name: name)
        } catch {
            guard error.code != .ioError else { throw error }
            seal = nil
        }
        guard let seal else {
            PersonKeySeal.spendLikeOpening(passphrase: passphrase, cost: cost)
            throw Self.signInFailed
        }
        do {
            return try seal.open(passphrase: passphrase, name: name)
        } catch {
            throw Self.signInFailed
        }
    }

    /// The seal in `people/NAME.key`; nil when there is none. A file group or others can
    /// reach is refused (`io_error`: the operator's to fix), one that is not a seal of this
    /// kind is `invalid_key`.
    func readSeal(name: String) throws(HavenError) -> PersonKeySeal? {
        guard NameRules.isValid(name) else { return nil }
        let path = keyPath(name)
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 == 0 else {
            throw HavenError(.ioError, "refusing \(path): not a regular file of mode 0600",
                             hint: "run 'chmod 600 \(path)', or forget the person and invite them again")
        }
        let bytes = try KeyFiles.readSecret(kind: .personKey, path: path)
        do {
            return try PersonKeySeal(bytes: bytes)
        } catch {
            throw HavenError(.invalidKey, "\(path) is not a person key seal this desk accepts")
        }
    }

    func forgetPerson(_ name: String) throws(HavenError) {
        let name = try Self.checkedName(name)
        let key = try PeopleFiles.remove(keyPath(name))
        let language = try PeopleFiles.remove(languagePath(name))
        let invitations = sweepInvitations(of: name)
        guard key || language || invitations > 0 else {
            throw HavenError(.notFound, "no one named \(name) has a key or an invitation at this desk")
        }
        PeopleFiles.syncDirectory(people)
    }
}

extension PeopleDirectory {
    /// A passphrase as a form sent it, in the one spelling the seal is made and opened with:
    /// Unicode NFC, then UTF-8 in guarded memory; nil when empty.
    ///
    /// NFC because one Vietnamese or Lao passphrase reaches the desk composed from one
    /// keyboard and decomposed from another ("ệ" as one scalar or three): without one
    /// spelling, a person who chose it on a PC could not sign in from a tablet. The form's
    /// string is already in ordinary memory (the front parsed it); what is derived from it
    /// here lives only in guarded memory.
    public static func passphrase(typed text: String) -> SecureBytes? {
        var utf8 = Array(text.precomposedStringWithCanonicalMapping.utf8)
        defer { utf8.withUnsafeMutableBytes { wipe($0) } }
        guard !utf8.isEmpty else { return nil }
        return try? SecureBytes(count: utf8.count) { $0.copyBytes(from: utf8) }
    }
}
