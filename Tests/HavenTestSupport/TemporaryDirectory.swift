import Foundation
import Glibc

/// A directory of a test's own under the temporary directory, removed with everything in it
/// by `remove()` or, at the latest, when the last reference goes (`HAVEN_KEEP_TEST_DIRS=1`
/// keeps it for inspection). A local one is removed by `defer { dir.remove() }`, which also
/// keeps it alive to the end of the scope: a reference last used early may be released early.
///
/// Made by `mkdtemp`, so two tests, or two runs side by side, never share one.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    /// - Parameter prefix: how the directory's name starts, to tell whose it is when kept.
    public init(_ prefix: String = "haven-test") {
        var template = Array((NSTemporaryDirectory() + prefix + "-XXXXXX").utf8CString)
        // A machine where /tmp cannot be written runs no test at all: failing here says why.
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed in \(NSTemporaryDirectory()): errno \(errno)") }
        path = String(cString: made)
    }

    /// A path in the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and everything in it.
    public func remove() {
        if ProcessInfo.processInfo.environment["HAVEN_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    deinit { remove() }
}
