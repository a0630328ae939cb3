import Foundation
import HavenCrypto

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
