import Foundation
import Glibc
import HavenProcess

/// What a finished command printed and how it exited.
public struct CommandResult: CustomStringConvertible, Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs real binaries with their output captured through files (pipes can fill and stall).
public enum Command {
    /// The test run's environment without the variables that would choose a user or socket
    /// behind a test's back.
    public static var baseEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "HAVEN_KEY")
        env.removeValue(forKey: "HAVEN_SOCKET")
        env.removeValue(forKey: "HAVEN_HOST")
        env.removeValue(forKey: "HAVEN_SSH_COMMAND")
        // Help and usage text wraps at the terminal's width, which COLUMNS overrides: the
        // binaries see no terminal (their output goes to files), so they wrap at 80 columns,
        // whoever runs the tests from whatever window.
        env.removeValue(forKey: "COLUMNS")
        env.removeValue(forKey: "LINES")
        // scripts/test.sh line-buffers the test runner with stdbuf; the binaries under test
        // run as they would anywhere else.
        env.removeValue(forKey: "_STDBUF_O")
        if env["LD_PRELOAD"]?.contains("libstdbuf") == true { env.removeValue(forKey: "LD_PRELOAD") }
        return env
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: String? = nil, timeout: Double = 60) throws -> CommandResult {
        let dir = TemporaryDirectory("haven-cmd")
        defer { dir.remove() }
        let outPath = dir.file("out"), errPath = dir.file("err")
        var inPath: String?
        if let stdin {
            inPath = dir.file("in")
            _ = FileManager.default.createFile(atPath: dir.file("in"), contents: Data(stdin.utf8))
        }
        let p = try ChildProcess(executable, arguments, environment: baseEnvironment.merging(environment) { $1 },
                                 stdin: inPath, stdout: outPath, stderr: errPath)
        guard let ended = p.wait(upTo: timeout) else {
            p.kill()
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) timed out after \(timeout)s")
        }
        let out = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return CommandResult(status: ended.status, stdout: out, stderr: err)
    }
}

/// A test's own failure, with what went wrong in words (a command's output, a timeout).
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
