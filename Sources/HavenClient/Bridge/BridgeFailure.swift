import HavenCore

/// Why an SSH bridge ended without havend's answer, told from what ssh wrote on stderr and
/// how it exited: one line with a remedy, because each cause needs a different person to act.
///
/// ssh exits 255 when ssh itself failed (it could not reach the host, trust it, or log in);
/// otherwise its status is the remote command's: 127 from the remote shell when there is no
/// `haven` there, and `haven dial-stdio`'s own when it ran and failed, with its one line
/// (`haven: CODE: MESSAGE (hint: …)`) on the same stderr. Pure: the texts it reads are
/// OpenSSH's (BridgeFailureTests holds OpenSSH 9.2's, taken from real runs).
public enum BridgeFailure {
    /// How the ssh process ended, as far as the bridge saw it.
    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Still running after the bounded wait (it was then stopped).
        case running
    }

    /// The error to report for a bridge to `destination` that failed, from ssh's `stderr`
    /// (as much as was kept) and `exit`.
    public static func classify(stderr: String, exit: Exit, destination: SSHDestination) -> HavenError {
        let host = destination.displayName
        // Character.isNewline: "\r\n", which ssh writes, is one Character.
        let lines = stderr.split(whereSeparator: \.isNewline).map { String($0) }
        func said(_ words: String) -> Bool { lines.contains { $0.localizedCaseInsensitiveContains(words) } }

        // The remote haven ran and said why it stopped: its words, named as the remote host's.
        if exit != .exited(255), let remote = lines.lazy.compactMap(remoteReport).last {
            if remote.code == ErrorReport.usageCode, remote.message.contains("dial-stdio") {
                return HavenError(.bridgeFailed, "the haven on \(host) is too old to serve --host (it has no 'dial-stdio')",
                                  hint: "install this release of haven on the vault's host")
            }
            // A usage mistake there is the forced command's, set up by a person.
            let code = ErrorCode(rawValue: remote.code) ?? .bridgeFailed
            // The remote hint for an unreachable daemon speaks of --socket, which is not the
            // caller's to set through the bridge.
            let hint = code == .unavailable && remote.message.hasPrefix("cannot connect to havend")
                ? "havend on \(destination.host) is not running, or this SSH account cannot reach its socket (the forced command in authorized_keys names it); tell the vault's administrator"
                : remote.hint
            return HavenError(code, "on \(host): \(remote.message)", hint: hint)
        }
        if exit == .exited(127) {
            return HavenError(.bridgeFailed, "there is no 'haven' on \(host) for this SSH account (the remote shell found no such command)",
                              hint: "install haven on the vault's host, and give the forced command in the account's authorized_keys as an absolute path: command=\"/usr/local/bin/haven dial-stdio --socket /run/haven/haven.sock\"")
        }
        if exit == .exited(255) {
            if said("REMOTE HOST IDENTIFICATION HAS CHANGED") || said("has changed and you have requested strict checking") {
                return HavenError(.bridgeFailed, "the SSH host key of \(destination.host) has CHANGED since you last trusted it: this may be an attack (someone between you and the vault), so nothing was sent",
                                  hint: "do not connect until the vault's administrator confirms the new key's fingerprint by another channel; then remove the old key with 'ssh-keygen -R \(destination.host)'")
            }
            if said("Host key verification failed") || said("host key is known") {
                return HavenError(.bridgeFailed, "the SSH host key of \(destination.host) is not known here, so the host cannot be checked and nothing was sent",
                                  hint: "compare its fingerprint with the one the vault's administrator gives you, then add it to ~/.ssh/known_hosts ('ssh-keyscan' prints it); Haven never accepts one unseen")
            }
            if said("Permission denied") {
                return HavenError(.bridgeFailed, "\(host) refused the SSH login (permission denied)",
                                  hint: "your public SSH key must be in that account's authorized_keys on the vault's host; check the user in ssh://USER@HOST and the key ssh offers ('ssh-add -l', or IdentityFile in ~/.ssh/config)")
            }
            if let reason = unreachable(lines) {
                return HavenError(.unavailable, "cannot reach \(destination.host) over SSH: \(reason)",
                                  hint: "check the host name and port in --host and the network; is sshd running on the vault's host?")
            }
            if said("closed by remote host") || said("Connection closed by") || said("Connection reset") || said("kex_exchange_identification") {
                return HavenError(.unavailable, "the SSH connection to \(destination.host) was closed by the other side",
                                  hint: "the vault's host may be restarting or refusing connections for now; try again, and if it persists ask its administrator")
            }
            let last = lines.last.map { ": " + SSHDestination.shown($0, limit: 200) } ?? ""
            return HavenError(.bridgeFailed, "ssh could not open the bridge to \(host)\(last)",
                              hint: "run the same ssh command by hand to see why: ssh \(destination.url) haven dial-stdio")
        }
        switch exit {
        case .running:
            return HavenError(.bridgeFailed, "the SSH account on \(host) did not answer as 'haven dial-stdio' does",
                              hint: "the account's forced command in authorized_keys must be haven dial-stdio with the socket named: restrict,command=\"/usr/local/bin/haven dial-stdio --socket /run/haven/haven.sock\"")
        case .signalled(let signal):
            return HavenError(.unavailable, "ssh to \(host) was ended by signal \(signal) before havend answered")
        case .exited(let status):
            return HavenError(.bridgeFailed, "the bridge to \(host) ended (exit status \(status)) before havend answered",
                              hint: "the account's forced command in authorized_keys must be haven dial-stdio with the socket named: restrict,command=\"/usr/local/bin/haven dial-stdio --socket /run/haven/haven.sock\"")
        }
    }

    /// What stopped ssh before it reached the host, in a few words; nil if it did reach it.
    static func unreachable(_ lines: [String]) -> String? {
        for line in lines {
            if line.contains("Could not resolve hostname") || line.contains("Name or service not known")
                || line.contains("Temporary failure in name resolution") || line.contains("No address associated") {
                return "its name was not found"
            }
            if line.contains("Connection refused") { return "the connection was refused (no SSH server listens on that port)" }
            if line.contains("timed out") { return "the connection timed out" }
            if line.contains("No route to host") || line.contains("Network is unreachable") { return "there is no route to it" }
        }
        return nil
    }

    /// A line `haven dial-stdio` wrote on the remote side: `haven: CODE: MESSAGE (hint: …)`.
    static func remoteReport(_ line: String) -> ErrorReport? {
        guard line.hasPrefix("haven: ") else { return nil }
        let rest = line.dropFirst("haven: ".count)
        guard let colon = rest.range(of: ": ") else { return nil }
        let code = String(rest[..<colon.lowerBound])
        guard code == ErrorReport.usageCode || ErrorCode(rawValue: code) != nil else { return nil }
        var message = String(rest[colon.upperBound...])
        var hint: String?
        if let h = message.range(of: " (hint: "), message.hasSuffix(")") {
            hint = SSHDestination.shown(String(message[h.upperBound...].dropLast()), limit: 400)
            message = String(message[..<h.lowerBound])
        }
        // What the remote side wrote reaches this terminal: no control character passes.
        return ErrorReport(code: code, message: SSHDestination.shown(message, limit: 400), hint: hint)
    }
}
