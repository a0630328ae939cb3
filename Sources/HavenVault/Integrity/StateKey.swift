import HavenCore

/// Names a row that grants or limits access, whose latest state the audit log commits to
/// (FORMAT.md of HavenStore, "authenticated state"). Written beside the entry of the
/// change that produced the state, as text.
public enum StateKey: Hashable, Sendable, CustomStringConvertible {
    /// The vault's identity, public key, sealed signing key and creation time (`vault_meta`).
    case vaultMeta
    /// One enrolled user (`users`).
    case user(UserName)
    /// One record's row (`records`): the sealed header it carries holds its agency,
    /// assignees, consent and field versions.
    case record(RecordID)
    /// Every row's state at the upgrade to schema 3 (`state_baseline`), as one tag.
    case baseline

    public var text: String {
        switch self {
        case .vaultMeta: return "vault_meta"
        case .user(let name): return "user:" + name.rawValue
        case .record(let id): return "record:" + id.rawValue
        case .baseline: return "baseline"
        }
    }

    public var description: String { text }

    public init?(text: String) {
        if text == "vault_meta" { self = .vaultMeta; return }
        if text == "baseline" { self = .baseline; return }
        if text.hasPrefix("user:"), let name = try? UserName(String(text.dropFirst(5))) { self = .user(name); return }
        if text.hasPrefix("record:"), let id = try? RecordID(String(text.dropFirst(7))) { self = .record(id); return }
        return nil
    }

    /// Where a finding about this row is reported: the table and the row's key.
    public var location: String {
        switch self {
        case .vaultMeta: return "table vault_meta"
        case .user(let name): return "table users, user '\(name)'"
        case .record(let id): return "table records, record \(id)"
        case .baseline: return "table state_baseline"
        }
    }
}
