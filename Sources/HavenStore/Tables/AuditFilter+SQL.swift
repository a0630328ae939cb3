import HavenCore

extension AuditFilter {
    /// The SQL conditions of every filter but the record (which `AuditTable.searchRecord`
    /// finds by its chain), and their arguments in order.
    func clauses() -> (clauses: [String], args: [Any]) {
        var clauses = [String]()
        var args = [Any]()
        if let user { clauses.append("user = ?"); args.append(user) }
        if let action { clauses.append("action = ?"); args.append(action) }
        if let since { clauses.append("time >= ?"); args.append(since) }
        if let until { clauses.append("time < ?"); args.append(until) }
        if deniedOnly { clauses.append("decision = 'deny'") }
        if breakGlassOnly { clauses.append("break_glass = 1") }
        // Only sessions opened: a failed or locked-out authentication is always shown.
        if withoutSessions { clauses.append("NOT (action = 'auth.session' AND decision = 'allow')") }
        return (clauses, args)
    }
}
