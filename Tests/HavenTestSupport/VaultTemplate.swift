import Foundation
import Glibc

/// A vault made once per test process by a fixture, and copied for each test that asks for
/// it: a test gets the same vault, users and history as if the fixture had run for it, without
/// running the CLI again (an audit fixture alone ran it ~170 times a suite).
///
/// The fixture runs on a copy of `TestVault.enrolled` with its daemon started; the daemon is then
/// stopped, so what a copy holds is what a clean stop leaves on the disk (see
/// `TestVault.init(copying:)`). A copy's log differs from a fresh vault's by that stop and the
/// next start; the entries the fixture made have the same sequence numbers. A fixture that
/// fails fails every test that asks for it, each with the fixture's error.
public final class VaultTemplate<Value: Sendable>: @unchecked Sendable {
    private let make: () throws -> (TestVault, Value)
    private let lock = NSLock()
    private var made: Result<(TestVault, Value), any Error>?

    /// - Parameter fixture: what to do to an enrolled, started vault; returns what the tests
    ///   need to know of it (a record's id, …).
    public convenience init(_ fixture: @escaping (TestVault) throws -> Value) {
        self.init { () throws -> (TestVault, Value) in
            let v = try TestVault()
            return (v, try fixture(v))
        }
    }

    /// A template made some other way than from an enrolled vault.
    init(making make: @escaping () throws -> (TestVault, Value)) {
        self.make = make
    }

    /// A vault of the test's own holding what the fixture made, and what the fixture returned.
    public func copy(start: Bool = true, daemonArguments: [String] = []) throws -> (TestVault, Value) {
        let (template, value) = try built()
        return (try TestVault(copying: template, start: start, daemonArguments: daemonArguments), value)
    }

    /// The stopped template itself, made on first use.
    func template() throws -> TestVault { try built().0 }

    private func built() throws -> (TestVault, Value) {
        lock.lock()
        defer { lock.unlock() }
        if made == nil {
            made = Result {
                let (v, value) = try make()
                v.stop()
                TemplateDirectories.removeAtExit(v.root)
                return (v, value)
            }
        }
        return try made!.get()
    }
}

extension TestVault {
    /// `haven init` and the standard users enrolled through the CLI: what `TestVault()` copies.
    static let enrolled = VaultTemplate<Void>(making: { (try TestVault(enrol: true, start: true, distinct: true), ()) })
}

/// The templates' directories, removed when the test process ends (a template is held by a
/// static, which is never deinitialised).
private enum TemplateDirectories {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths = [String]()
    private static let registered: Void = { atexit { TemplateDirectories.removeAll() } }()

    static func removeAtExit(_ path: String) {
        _ = registered
        lock.withLock { paths.append(path) }
    }

    private static func removeAll() {
        guard ProcessInfo.processInfo.environment["HAVEN_KEEP_TEST_DIRS"] == nil else { return }
        for path in lock.withLock({ paths }) { try? FileManager.default.removeItem(atPath: path) }
    }
}
