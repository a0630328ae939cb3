/// How a vault's root key is kept: in a file (opens at start), sealed under a passphrase,
/// or split into custodians' shares (the daemon starts sealed until they unseal it).
public enum SealMode: String, Sendable, CaseIterable, Codable {
    case file
    case passphrase
    case shares
}
