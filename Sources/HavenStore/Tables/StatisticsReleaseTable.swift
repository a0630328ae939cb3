import HavenCore

/// One year's published statistics, as stored: the sealed release and when it was made.
public struct StoredRelease: Sendable, Equatable {
    public let year: Int
    public let publishedAt: Timestamp
    public let sealed: [UInt8]

    public init(year: Int, publishedAt: Timestamp, sealed: [UInt8]) {
        self.year = year
        self.publishedAt = publishedAt
        self.sealed = sealed
    }
}

/// Each year's statistics release (schema 10): written once by the first query of the year,
/// read by every later one. The box opens only under the vault's release key, for its own
/// vault and year; the row is never replaced or deleted by Haven.
public enum StatisticsReleaseTable {
    /// The audit action of a publication, written as the partial index of publications is:
    /// SQLite uses a partial index only when the query's term is the index's own.
    public static let publicationAction = "stats.publish"
    public static let publicationsSQL = "SELECT seq, entry FROM audit_entries WHERE action = 'stats.publish' ORDER BY seq"

    /// Adds a year's release. A second release of the same year is refused by the primary
    /// key (a constraint error), never written over the first.
    public static func insert(_ release: StoredRelease, on db: Connection) throws {
        try db.statement("INSERT INTO statistics_releases (year, published_at, sealed) VALUES (?, ?, ?)")
            .bind(1, Int64(release.year)).bind(2, release.publishedAt.millisecondsSinceEpoch).bind(3, blob: release.sealed).run()
    }

    public static func get(year: Int, on db: Connection) throws -> StoredRelease? {
        let s = try db.statement("SELECT published_at, sealed FROM statistics_releases WHERE year = ?").bind(1, Int64(year))
        guard try s.step() else { return nil }
        return StoredRelease(year: year, publishedAt: Timestamp(millisecondsSinceEpoch: s.int64(0)), sealed: s.blob(1))
    }

    /// Every release, by year (a root key rotation seals each again under the new key).
    public static func all(on db: Connection) throws -> [StoredRelease] {
        let s = try db.statement("SELECT year, published_at, sealed FROM statistics_releases ORDER BY year")
        var out = [StoredRelease]()
        while try s.step() {
            out.append(StoredRelease(year: Int(s.int64(0)), publishedAt: Timestamp(millisecondsSinceEpoch: s.int64(1)), sealed: s.blob(2)))
        }
        return out
    }

    /// Replaces the box of a year's release with the same release sealed under another key.
    public static func reseal(year: Int, sealed: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE statistics_releases SET sealed = ? WHERE year = ?").bind(1, blob: sealed).bind(2, Int64(year)).run()
    }

    /// Every publication's audit entry (sequence number and canonical bytes), oldest first:
    /// what says a year was published even if its row has gone.
    public static func publications(on db: Connection) throws -> [(seq: UInt64, entry: [UInt8])] {
        let s = try db.statement(publicationsSQL)
        var out = [(seq: UInt64, entry: [UInt8])]()
        while try s.step() { out.append((UInt64(s.int64(0)), s.blob(1))) }
        return out
    }
}
