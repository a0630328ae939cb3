import Foundation
import HavenProcess

/// The committed Python scripts under scripts/ that compute Haven's test vectors from the
/// format documents, independently of the Swift code: a test reruns one and compares what it
/// prints with the vectors the Swift tests use.
public enum VectorScript {
    /// The Python interpreter, when the machine has one (tests that need it are skipped
    /// without: `.enabled(if: VectorScript.python3 != nil, …)`).
    public static let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `scripts/NAME` with a fixed, small environment and returns what it printed; a
    /// script that fails or runs over a minute is a failure of the test.
    public static func output(_ name: String, arguments: [String] = []) throws -> Data {
        guard let python3 else { throw TestFailure("no python3 to run scripts/\(name)") }
        let directory = TemporaryDirectory("haven-vectors")
        defer { directory.remove() }
        let out = directory.file("out"), err = directory.file("err")
        let p = try ChildProcess(python3, [Repository.path("scripts/" + name)] + arguments,
                                 environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], stdout: out, stderr: err)
        guard let ended = p.wait(upTo: 60) else {
            p.kill()
            throw TestFailure("scripts/\(name) ran over 60 s")
        }
        guard ended == .exited(0) else {
            let said = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self)
            throw TestFailure("scripts/\(name) ended with \(ended):\n\(said)")
        }
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// What the script printed, as text.
    public static func text(_ name: String, arguments: [String] = []) throws -> String {
        String(decoding: try output(name, arguments: arguments), as: UTF8.self)
    }
}
