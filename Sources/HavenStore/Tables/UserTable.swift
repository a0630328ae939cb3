import HavenCore

/// Enrolled users (`users`). Revocation sets `revoked_at`; rows are never deleted, so the
/// audit log's user names always resolve.
public enum UserTable {
    public static func insert(_ user: EnrolledUser, on db: Connection) throws {
        let s = try db.statement("""
            INSERT INTO users (name, role, agency, public_key, uid, status, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, 'active', ?, ?)
            """)
        try s.bind(1, user.name.rawValue).bind(2, user.role.rawValue).bind(3, user.agency.rawValue)
            .bind(4, blob: user.publicKey).bind(5, user.uid.map(Int64.init))
            .bind(6, user.createdAt.millisecondsSinceEpoch).bind(7, user.createdBy.rawValue)
            .run()
    }

    /// Marks a user revoked; false if there was no active user of that name.
    public static func revoke(_ name: UserName, by: UserName, at: Timestamp, on db: Connection) throws -> Bool {
        let s = try db.statement("""
            UPDATE users SET status = 'revoked', revoked_at = ?, revoked_by = ?
            WHERE name = ? AND status = 'active'
            """)
        try s.bind(1, at.millisecondsSinceEpoch).bind(2, by.rawValue).bind(3, name.rawValue).run()
        return db.changes == 1
    }

    /// Replaces an active user's public key; false when there is no such active user.
    /// A key enrolled for anyone, even a revoked user, is refused by the UNIQUE constraint.
    public static func rekey(_ name: UserName, publicKey: [UInt8], on db: Connection) throws -> Bool {
        let s = try db.statement("UPDATE users SET public_key = ? WHERE name = ? AND status = 'active'")
        try s.bind(1, blob: publicKey).bind(2, name.rawValue).run()
        return db.changes == 1
    }

    public static func all(on db: Connection) throws -> [EnrolledUser] {
        let s = try db.statement("""
            SELECT name, role, agency, public_key, uid, created_at, created_by, revoked_at, revoked_by, status
            FROM users ORDER BY name
            """)
        var out = [EnrolledUser]()
        while try s.step() {
            // `status` mirrors `revoked_at`, which is what the row's state tag covers; a row
            // where they disagree was edited outside Haven.
            let revoked = s.optionalInt64(7) != nil
            guard s.string(9) == (revoked ? "revoked" : "active") else {
                throw HavenError(.integrityError, "users row '\(NameRules.printable(s.string(0)))': its status disagrees with its revocation time")
            }
            out.append(EnrolledUser(
                name: try UserName(s.string(0)), role: try RoleName(s.string(1)), agency: try AgencyName(s.string(2)),
                publicKey: s.blob(3), uid: s.optionalInt64(4).map { UInt32(truncatingIfNeeded: $0) },
                createdAt: Timestamp(millisecondsSinceEpoch: s.int64(5)), createdBy: try UserName(s.string(6)),
                revokedAt: s.optionalInt64(7).map { Timestamp(millisecondsSinceEpoch: $0) },
                revokedBy: try s.optionalString(8).map { (n) throws(HavenError) in try UserName(n) }))
        }
        return out
    }
}
