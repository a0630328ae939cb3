import Foundation
import Glibc
import HavenProcess

/// What a finished command printed and how it exited.
struct CommandResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs real binaries with their output captured through files (pipes can fill and stall).
enum Command {
    /// The test run's environment without the variables that would choose a user or socket
    /// behind a test's back.
    static var baseEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "HAVEN_KEY")
        env.removeValue(forKey: "HAVEN_SOCKET")
        // scripts/test.sh line-buffers the test runner with stdbuf; the binaries under test
        // run as they would anywhere else.
        env.removeValue(forKey: "_STDBUF_O")
        if env["LD_PRELOAD"]?.contains("libstdbuf") == true { env.removeValue(forKey: "LD_PRELOAD") }
        return env
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    stdin: String? = nil, timeout: Double = 60) throws -> CommandResult {
        let dir = NSTemporaryDirectory() + "haven-cmd-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/out", errPath = dir + "/err"
        var inPath: String?
        if let stdin {
            inPath = dir + "/in"
            _ = FileManager.default.createFile(atPath: dir + "/in", contents: Data(stdin.utf8))
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

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
