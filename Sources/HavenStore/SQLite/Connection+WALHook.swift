import CSQLite

/// Told, after each commit on a connection, how many frames its WAL holds.
final class WALHookBox {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

extension Connection {
    /// Calls `body` after every commit on this connection with the number of frames in the
    /// WAL, on the committing thread, once the commit is durable. Installing it turns off
    /// SQLite's automatic checkpoint on this connection (SQLite runs that from the same hook):
    /// whoever installs it takes on checkpointing (see HavenVault's `WALCheckpointer`).
    public func onWALCommit(_ body: @escaping (Int) -> Void) {
        let box = WALHookBox(body)
        walHook = box
        sqlite3_wal_hook(handle, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALHookBox>.fromOpaque(context).takeUnretainedValue().body(Int(frames))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}
