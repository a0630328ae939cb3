import HavenCore

/// A consent expiry as the person who typed it reads it back.
///
/// A date given to `--expires` is valid through that whole day, so the vault keeps the
/// moment it ends: midnight UTC of the next day. Shown as stored, 2027-06-30 came back as
/// 2027-07-01T00:00:00Z, a different date than the one typed; an expiry at a midnight is
/// shown as the day it ends, "through 2027-06-30 (UTC)", and any other time as it is.
enum ExpiryText {
    static func shown(_ stored: String) -> String {
        guard let t = Timestamp(parsing: stored), t.rfc3339.dropFirst(10).hasPrefix("T00:00:00") else { return stored }
        return "through \(t.adding(milliseconds: -86_400_000).date) (UTC)"
    }

    /// What a grant's answer says of the expiry typed: the same words as `consent show`.
    static func typed(_ raw: String?) -> String {
        guard let raw else { return "" }
        guard raw.utf8.count == 10, let t = Timestamp(parsing: raw) else { return ", valid until \(raw)" }
        return ", valid through \(t.date) (UTC)"
    }
}
