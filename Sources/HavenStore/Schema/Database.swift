/// Opens the vault's SQLite file with the settings Haven's guarantees depend on.
public enum Database {
    /// The database's name in the data directory; SQLite keeps `-wal` and `-shm` files beside it.
    public static let fileName = "haven.db"

    /// The pragmas every connection gets, and why:
    /// - WAL: readers never block the writer, and a crash never leaves a torn database;
    /// - synchronous=FULL: a commit is on disk (WAL fsync'd) before Haven answers, so an
    ///   acknowledged write or audit entry survives SIGKILL and power loss;
    /// - secure_delete: freed pages are zeroed rather than left holding old ciphertext;
    /// - temp_store=MEMORY: sorts and temporary tables never spill to unencrypted temp files;
    /// - busy_timeout: a briefly locked database waits, then fails the request (503) rather than
    ///   hangs. It comes FIRST: setting journal_mode reads the file, and a new connection that
    ///   does so while the writer commits is refused at once (SQLITE_BUSY) unless it may wait —
    ///   a connection opened during a busy minute (`audit verify`'s, a new reader's) failed so;
    /// - journal_size_limit: after a checkpoint the WAL file is cut back to 64 MiB, so a burst
    ///   of writes does not leave it at its largest for good.
    static let pragmas = """
        PRAGMA busy_timeout = 2000;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
        PRAGMA secure_delete = ON;
        PRAGMA temp_store = MEMORY;
        PRAGMA journal_size_limit = 67108864;
        """

    /// Opens an existing vault database for writing, or creates it when `create` is set.
    public static func open(path: String, create: Bool = false) throws(SQLiteError) -> Connection {
        let connection = try Connection(path: path, mode: create ? .readWriteCreate : .readWrite)
        try connection.execute(pragmas)
        return connection
    }

    /// Opens a connection for reads only (each daemon thread has one, see `ReaderPool`).
    /// Its page cache (8 MiB, of ciphertext) keeps the upper levels of the B-trees, which
    /// every lookup walks, out of the system calls.
    /// `cacheKiB` is smaller for a connection that reads once from end to end (the log check
    /// at start), where a cache only costs memory.
    public static func openReader(path: String, cacheKiB: Int = 8192) throws(SQLiteError) -> Connection {
        let connection = try Connection(path: path, mode: .readWrite)
        try connection.execute(pragmas + "PRAGMA query_only = ON; PRAGMA cache_size = -\(cacheKiB);")
        return connection
    }
}
