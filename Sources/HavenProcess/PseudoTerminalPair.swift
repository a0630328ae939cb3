import CHavenSystem
import Glibc

/// A new pseudo-terminal: the master end, this process's, and the path of the terminal
/// device a program started on it with `ChildProcess(…, terminal:)` reads and writes.
public struct PseudoTerminalPair: Sendable {
    /// The master's descriptor (close-on-exec), the caller's to close.
    public let master: Int32
    /// /dev/pts/N.
    public let device: String

    public static func open() throws(ChildProcessError) -> PseudoTerminalPair {
        var name = [CChar](repeating: 0, count: 128)
        let master = haven_open_pseudo_terminal(&name, name.count)
        guard master >= 0 else { throw ChildProcessError("a pseudo-terminal", String(cString: strerror(errno))) }
        return PseudoTerminalPair(master: master, device: String(cString: name))
    }
}
