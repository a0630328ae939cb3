/// The vault's SQLite schema (FORMAT.md, "storage layout"). `user_version` holds the
/// schema version; migrations run in order inside one transaction.
///
/// Every sensitive value lives only inside a sealed box (`header`, `ciphertext`,
/// `wrapped_key`); the plain columns hold what the daemon needs to find rows: ids, types,
/// agencies, user names, versions and times — never a survivor's data.
enum Schema {
    static let version: Int64 = 11

    static let migrations: [String] = [
        // 1: the first layout.
        """
        CREATE TABLE vault_meta (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            agency TEXT NOT NULL,
            public_key BLOB NOT NULL UNIQUE,
            uid INTEGER,
            status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at INTEGER,
            revoked_by TEXT
        ) WITHOUT ROWID;

        CREATE TABLE records (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            agency TEXT NOT NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            data_key_version INTEGER NOT NULL,
            wrapped_key BLOB NOT NULL,
            header BLOB NOT NULL
        );
        CREATE INDEX records_by_agency ON records (agency, id);

        CREATE TABLE record_assignees (
            user TEXT NOT NULL,
            record_id TEXT NOT NULL REFERENCES records (id),
            PRIMARY KEY (user, record_id)
        ) WITHOUT ROWID;

        CREATE TABLE fields (
            record_id TEXT NOT NULL REFERENCES records (id),
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            ciphertext BLOB NOT NULL,
            PRIMARY KEY (record_id, name)
        ) WITHOUT ROWID;

        CREATE TABLE notes (
            record_id TEXT NOT NULL REFERENCES records (id),
            idx INTEGER NOT NULL,
            ciphertext BLOB NOT NULL,
            PRIMARY KEY (record_id, idx)
        ) WITHOUT ROWID;

        CREATE TABLE audit_entries (
            seq INTEGER PRIMARY KEY,
            entry BLOB NOT NULL,
            leaf_hash BLOB NOT NULL,
            time INTEGER NOT NULL,
            action TEXT NOT NULL,
            user TEXT,
            record TEXT,
            decision TEXT NOT NULL,
            break_glass INTEGER NOT NULL
        );
        CREATE INDEX audit_by_time ON audit_entries (time);
        CREATE INDEX audit_by_user ON audit_entries (user, seq);
        CREATE INDEX audit_by_record ON audit_entries (record, seq);

        CREATE TABLE audit_checkpoints (
            id INTEGER PRIMARY KEY,
            size INTEGER NOT NULL,
            note BLOB NOT NULL
        );
        CREATE INDEX audit_checkpoints_by_size ON audit_checkpoints (size);

        CREATE TABLE audit_subtrees (
            idx INTEGER PRIMARY KEY,
            hash BLOB NOT NULL
        );
        """,
        // 2: assignments found by record, not only by user: replacing a record's assignees
        // must not scan every assignment in the vault.
        """
        CREATE INDEX record_assignees_by_record ON record_assignees (record_id);
        """,
        // 3: what grants access is authenticated under root-derived keys (FORMAT.md,
        // "authenticated state"). Each audit entry gets a tag (`mac`) and, for an entry that
        // changed a row that grants access, the row's new state tag; the state of every such
        // row at the upgrade is kept once in `state_baseline`, which the upgrade's own entry
        // commits to. The vault's code fills these in the same transaction (`upgrade` hook).
        """
        ALTER TABLE audit_entries ADD COLUMN state_key TEXT;
        ALTER TABLE audit_entries ADD COLUMN state BLOB;
        ALTER TABLE audit_entries ADD COLUMN mac BLOB;
        CREATE TABLE state_baseline (
            key TEXT PRIMARY KEY,
            tag BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
        // 4: a record's history out of its header (FORMAT.md, "record history"). Each note
        // gets its own sealed metadata (NULL for notes of a format-1 header, which carries it
        // until the record's next change), and each consent event a sealed row; the header
        // counts both, so a read opens only the page it shows.
        """
        ALTER TABLE notes ADD COLUMN meta BLOB;
        CREATE TABLE consent_events (
            record_id TEXT NOT NULL REFERENCES records (id),
            idx INTEGER NOT NULL,
            event BLOB NOT NULL,
            PRIMARY KEY (record_id, idx)
        ) WITHOUT ROWID;
        """,
        // 5: `record list` pages by last change, the latest first; a page is a range of these
        // indexes, in the caller's agency or across the vault, not a sort of every record.
        """
        CREATE INDEX records_by_change ON records (updated_at, id);
        CREATE INDEX records_by_agency_change ON records (agency, updated_at, id);
        """,
        // 6: blind indexes of the fields a schema marks searchable (FORMAT.md, "search
        // index"): a truncated keyed hash per field value, never the value, so a lookup
        // names candidates that the vault opens and confirms. `search_fields` says which
        // fields the rows were built for, and how; the daemon rebuilds the rows at start
        // when that differs from the policy, or is empty (after this step, and after a
        // root key rotation, which changes every index value).
        """
        CREATE TABLE search_index (
            field TEXT NOT NULL,
            value INTEGER NOT NULL,
            record_id TEXT NOT NULL REFERENCES records (id),
            PRIMARY KEY (field, value, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX search_index_by_record ON search_index (record_id);
        CREATE TABLE search_fields (
            field TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            bits INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 7: what each record contributes to statistics (FORMAT.md, "statistics"), sealed
        // beside the state tag of the record row it was made with, so a query opens a few
        // dozen bytes per record. `statistics_layout` names the fields the rows were built
        // from; the daemon rebuilds every row at start when it differs from the policy, or
        // is empty (after this step, and after a root key rotation). A query checks that every
        // record not erased has a row by counting ids (the primary key's index) less the erased
        // ones (a partial index of them), never by reading every record's row.
        """
        CREATE TABLE record_statistics (
            record_id TEXT PRIMARY KEY REFERENCES records (id),
            row_tag BLOB NOT NULL,
            sealed BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE statistics_layout (
            layout TEXT NOT NULL
        );
        CREATE INDEX records_erased ON records (id) WHERE status = 'erased';
        """,
        // 8: referrals between agencies (FORMAT.md, "referrals"). What a referral grants is in
        // the record's sealed header; `referrals` is only the index that lets an agency list
        // what was sent to it or by it, and every row it yields is checked against the header
        // it points to. Each step's words are a sealed row of `referral_events`, counted by the
        // header, like consent events.
        """
        CREATE TABLE referrals (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records (id),
            from_agency TEXT NOT NULL,
            to_agency TEXT NOT NULL,
            service TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX referrals_to ON referrals (to_agency, updated_at);
        CREATE INDEX referrals_from ON referrals (from_agency, updated_at);
        CREATE INDEX referrals_by_record ON referrals (record_id);
        CREATE TABLE referral_events (
            record_id TEXT NOT NULL REFERENCES records (id),
            idx INTEGER NOT NULL,
            event BLOB NOT NULL,
            PRIMARY KEY (record_id, idx)
        ) WITHOUT ROWID;
        """,
        // 9: entries found by record without an index of them (FORMAT.md, "entries by
        // record"). An index by record takes a random page for every entry, and every audited
        // read wrote one; instead each new entry about a record the vault holds names the
        // previous one (`record_prev`: -1 for the first), the daemon keeps each record's
        // latest in memory, and only entries about ids the vault does not hold (-2: a probe, a
        // typo) are indexed, by a partial index. The entries written before keep their place
        // in a table of their own, copied in order from the index they leave: no sort, no
        // rewrite of the log (linking it in place sent the whole table through the WAL, 106 s
        // and 229 MiB at a million records). The old index's pages are freed without being
        // zeroed one by one (secure_delete FAST, for this statement only): they hold record ids
        // and sequence numbers, which the log keeps in the clear, and zeroing them held them in
        // memory (11 MiB more at 100,000 records).
        """
        ALTER TABLE audit_entries ADD COLUMN record_prev INTEGER;
        CREATE TABLE audit_earlier_by_record (
            record TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (record, seq)
        ) WITHOUT ROWID;
        INSERT INTO audit_earlier_by_record
            SELECT record, seq FROM audit_entries INDEXED BY audit_by_record WHERE record IS NOT NULL ORDER BY record, seq;
        PRAGMA secure_delete = FAST;
        DROP INDEX audit_by_record;
        PRAGMA secure_delete = ON;
        CREATE INDEX audit_unchained_by_record ON audit_entries (record, seq) WHERE record_prev = -2;
        """,
        // 10: each year's statistics release (FORMAT.md, "statistics releases"), computed by
        // the first query of the year once it has ended, sealed, and read back unchanged by
        // every later one. A year has one row, never replaced: the primary key refuses a
        // second. Each publication's audit entry is found through a partial index (a few
        // entries a year), so that a year whose row has gone is refused, never published again.
        """
        CREATE TABLE statistics_releases (
            year INTEGER PRIMARY KEY,
            published_at INTEGER NOT NULL,
            sealed BLOB NOT NULL
        );
        CREATE INDEX audit_publications ON audit_entries (seq) WHERE action = 'stats.publish';
        """,
        // 11: case numbers (FORMAT.md, "case numbers"): each record's short number at its
        // agency, and at each agency that accepted a referral of it, by which staff tell cases
        // apart and look one up. A row grants a lookup, so it carries its own tag under the
        // row key (a swapped or edited row fails it); the keys refuse a number given twice and
        // a second number of one record at one agency. Each agency's count of a year has a
        // tagged high-water mark (`case_number_marks`), so that the newest number deleted is
        // caught and never given again. The vault's code numbers every existing
        // record in the same transaction (`upgrade` hook), in creation order per agency and year.
        """
        CREATE TABLE case_numbers (
            agency TEXT NOT NULL,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            number TEXT NOT NULL,
            lookup TEXT NOT NULL,
            record_id TEXT NOT NULL REFERENCES records (id),
            tag BLOB NOT NULL,
            PRIMARY KEY (agency, year, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX case_numbers_by_lookup ON case_numbers (agency, lookup);
        CREATE UNIQUE INDEX case_numbers_by_record ON case_numbers (record_id, agency);
        CREATE TABLE case_number_marks (
            agency TEXT NOT NULL,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            tag BLOB NOT NULL,
            PRIMARY KEY (agency, year)
        ) WITHOUT ROWID;
        """,
    ]
}
