import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The real `haven` against the real `havend`, checked against golden transcripts in
    /// Tests/Fixtures/transcripts/: for each command, its exit status and every line it wrote
    /// on stderr (and on stdout, where a transcript asks). The cases whose decisions are
    /// tested against the in-process server (access control, tampering) are here from the
    /// command line's side, so the binaries stay covered: the same refusal must reach a user
    /// as one plain line and its status. help.txt pins the help of haven, of each of its
    /// commands and of havend the same way.
    ///
    /// A transcript is read top to bottom:
    /// - `$ USER: ARGS` runs `haven ARGS` with that user's key and the daemon's socket
    ///   (`$ -: ARGS` with neither, for the commands that work offline; `$ havend: ARGS` runs
    ///   `havend ARGS`, offline too);
    ///   ARGS are split at spaces, and "…" quotes a word with spaces; `{A}` is a value
    ///   captured earlier (`{KEYS}` is the directory of the users' keys, `{POLICY}` the
    ///   daemon's policy directory, `{FIXTURES}` Tests/Fixtures), and `=> A` at the
    ///   end captures the command's stdout as `{A}`;
    /// - `$ pty: ARGS` runs `haven ARGS` offline on a pseudo-terminal of its own, as a person
    ///   at a terminal would, and each `send: KEYS` line after it is typed at its next prompt
    ///   (once it waits with echo off; `^C` is Ctrl-C, `\r` is Enter); what the terminal showed
    ///   is `terminal: LINE` lines, and `echo: on|off` how the program left it;
    /// - `! sql STATEMENT` changes the database behind the daemon, as a tamperer would;
    /// - `! capture A QUERY` captures the first column of the query's first row as `{A}` (a
    ///   value no command prints alone, such as a case number, whose year is today's);
    /// - `! stdout` compares what every later command prints on stdout too;
    ///   `! stdout first words` only the first word of each line (the ids of a listing,
    ///   whatever its other columns);
    /// - `exit N`, `stderr: LINE` and `stdout: LINE` lines are what the command did, and are
    ///   compared (an empty line of stdout is `stdout:`);
    /// - `#` lines are comments.
    /// `HAVEN_UPDATE_TRANSCRIPTS=1` rewrites the files with what the binaries did: read the
    /// difference before committing it.
    @Suite struct CLITranscriptTests {
        static let directory = Repository.fixtures + "/transcripts"
        static var files: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        }

        @Test(arguments: Self.files)
        func theBinariesDoWhatTheTranscriptSays(file: String) throws {
            let path = Self.directory + "/" + file
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            let v = try TestVault()
            let actual = try Self.replay(expected, on: v)
            if ProcessInfo.processInfo.environment["HAVEN_UPDATE_TRANSCRIPTS"] == "1" {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let (want, got) = (expected.split(separator: "\n", omittingEmptySubsequences: false),
                               actual.split(separator: "\n", omittingEmptySubsequences: false))
            let first = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }
            let line = (first?.offset ?? min(want.count, got.count)) + 1
            let difference = "\(file) differs at line \(line):\nexpected: \(first.map { String($0.element.0) } ?? "(end)")\n"
                + "actual:   \(first.map { String($0.element.1) } ?? "(end)")"
            #expect(want == got, Comment(rawValue: difference))
        }

        /// Runs the commands and directives of a transcript and writes what happened in its format.
        static func replay(_ transcript: String, on v: TestVault) throws -> String {
            var values = ["KEYS": v.keys, "POLICY": v.policy, "FIXTURES": Repository.fixtures]
            var out = [String]()
            var comparingStdout = false
            var firstWordsOnly = false
            func substitute(_ s: String) -> String {
                values.reduce(s) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
            }
            func placeholders(_ s: String) -> String {
                values.reduce(s) { $0.replacingOccurrences(of: $1.value, with: "{\($1.key)}") }
            }
            var typing: (arguments: [String], keys: [String])?
            func finishTyping() throws {
                guard let t = typing else { return }
                typing = nil
                out += try Self.typed(t.arguments, keys: t.keys).map(placeholders)
            }
            for line in transcript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if ["exit ", "stderr: ", "stdout:", "terminal:", "echo: "].contains(where: line.hasPrefix) { continue }  // the results: made anew
                if line.hasPrefix("send: "), typing != nil {
                    typing?.keys.append(String(line.dropFirst("send: ".count)))
                    out.append(line)
                    continue
                }
                try finishTyping()
                out.append(line)
                if line == "! stdout" || line == "! stdout first words" {
                    comparingStdout = true
                    firstWordsOnly = line != "! stdout"
                    continue
                }
                if line.hasPrefix("! capture ") {
                    let rest = line.dropFirst("! capture ".count).split(separator: " ", maxSplits: 1).map(String.init)
                    values[rest[0]] = try v.withDatabase { db in
                        let s = try db.statement(substitute(rest[1]))
                        guard try s.step() else { throw TestFailure("no row for \(line)") }
                        return s.string(0)
                    }
                    continue
                }
                if line.hasPrefix("! sql ") {
                    try v.execute(substitute(String(line.dropFirst("! sql ".count))), [])
                    continue
                }
                guard line.hasPrefix("$ "), let colon = line.firstIndex(of: ":") else { continue }
                let user = String(line[line.index(line.startIndex, offsetBy: 2)..<colon])
                var command = String(line[line.index(after: colon)...])
                var capture: String?
                if let arrow = command.range(of: " => ") {
                    capture = String(command[arrow.upperBound...]).trimmingCharacters(in: .whitespaces)
                    command = String(command[..<arrow.lowerBound])
                }
                let arguments = words(substitute(command))
                if user == "pty" {
                    typing = (arguments, [])
                    continue
                }
                let r = switch user {
                case "-": try Command.run(TestVault.haven, arguments)
                case "havend": try Command.run(TestVault.havend, arguments)
                default: try v.haven(as: user, arguments)
                }
                if let capture { values[capture] = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
                out.append("exit \(r.status)")
                for e in r.stderr.split(separator: "\n") { out.append("stderr: " + placeholders(String(e))) }
                if comparingStdout {
                    var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                    if firstWordsOnly { lines = lines.map { $0.split(separator: " ").first ?? "" } }
                    if lines.last == "" { lines.removeLast() }
                    for o in lines { out.append(o.isEmpty ? "stdout:" : "stdout: " + placeholders(String(o))) }
                }
            }
            try finishTyping()
            return out.joined(separator: "\n")
        }

        /// `haven ARGUMENTS` on a pseudo-terminal, `keys` typed at its prompts one by one; its
        /// exit status, what the terminal showed, and whether it echoes afterwards.
        static func typed(_ arguments: [String], keys: [String]) throws -> [String] {
            let terminal = try PseudoTerminal()
            let child = try terminal.run(TestVault.haven, arguments)
            var seen = 0
            for key in keys {
                // The next prompt: new words ending in ": ", and echo off while it waits.
                let deadline = Date().addingTimeInterval(30)
                while !(terminal.output.count > seen && terminal.output.hasSuffix(": ") && !terminal.echoes) {
                    guard Date() < deadline, child.isRunning else { break }
                    terminal.drain(waitingMilliseconds: 20)
                }
                seen = terminal.output.count
                terminal.type(key.replacingOccurrences(of: "^C", with: "\u{03}").replacingOccurrences(of: "\\r", with: "\r"))
            }
            guard let ended = child.wait(upTo: 60) else {
                child.kill()
                throw TestFailure("haven \(arguments.joined(separator: " ")) did not end on its terminal")
            }
            terminal.drain(waitingMilliseconds: 100)
            let shown = terminal.output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            var out = ["exit \(ended.status)"]
            for l in shown.last == "" ? shown.dropLast() : shown[...] { out.append(l.isEmpty ? "terminal:" : "terminal: " + l) }
            out.append("echo: \(terminal.echoes ? "on" : "off")")
            return out
        }

        /// Words split at spaces; "…" keeps spaces inside one word.
        static func words(_ s: String) -> [String] {
            var out = [String]()
            var word = ""
            var quoted = false
            var started = false
            for c in s {
                if c == "\"" {
                    quoted.toggle()
                    started = true
                } else if c == " " && !quoted {
                    if started { out.append(word) }
                    word = ""
                    started = false
                } else {
                    word.append(c)
                    started = true
                }
            }
            if started { out.append(word) }
            return out
        }
    }
}
