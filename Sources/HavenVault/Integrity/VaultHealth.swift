import HavenAPI
import HavenCore

/// What `GET /v1/status` says of the vault beyond the caller: the release, sealed or not
/// (an answer comes only from an unsealed vault), the log's committed head and the anchor's
/// health — so an operator sees a failing anchor before a refused change tells them. The
/// log's head and the anchor go only to `operational` callers (administrators, auditors).
struct VaultHealth {
    let writer: WriteQueue

    func add(to response: SessionResponse, operational: Bool) -> SessionResponse {
        var r = response
        r.release = HavenRelease.version
        r.sealed = false
        guard operational else { return r }
        let head = writer.head
        r.auditLog = AuditLogHead(size: head.size, checkpointSize: head.latestCheckpoint?.checkpoint.size,
                                  checkpointTime: head.latestCheckpoint?.checkpoint.time.rfc3339)
        guard let keeper = writer.anchorKeeper else {
            r.anchor = AnchorHealth(configured: false, state: "none")
            return r
        }
        let h = keeper.health
        r.anchor = AnchorHealth(configured: true, state: h.failure == nil ? "ok" : "failing", file: keeper.file.path, size: h.size,
                                writtenAt: h.lastWrite?.rfc3339, error: h.failure)
        return r
    }
}
