import HavenAPI
import HavenTestSupport

extension TestVault {
    /// `haven audit log ARGS --json` as the auditor, oldest first and with sessions, so a test
    /// sees the whole log in the order it was written.
    func auditLog(_ arguments: [String]) throws -> [AuditEntryView] {
        try json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--oldest-first", "--sessions"] + arguments).entries
    }
}
