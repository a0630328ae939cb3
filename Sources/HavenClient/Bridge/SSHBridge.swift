import Foundation
import Glibc
import HavenCore
import HavenProcess
import NIOCore
import NIOPosix

/// The ssh process that carries a connection to a remote vault: `ssh … -- HOST haven
/// dial-stdio`, whose stdin and stdout are the connection's bytes (through NIOPipeBootstrap)
/// and whose stderr is kept, bounded, to say why the bridge failed if it does.
final class SSHBridge: Sendable {
    /// How long to wait, once the connection dropped, for ssh to exit and say why. ssh exits
    /// within milliseconds of losing its remote side; this bounds a stuck one.
    static let exitWait: Double = 5

    let destination: SSHDestination
    private let process: ChildProcess
    private let stderr: StderrTail
    private let stderrChannel: any Channel

    private init(destination: SSHDestination, process: ChildProcess, stderr: StderrTail, stderrChannel: any Channel) {
        self.destination = destination
        self.process = process
        self.stderr = stderr
        self.stderrChannel = stderrChannel
    }

    /// Starts ssh and returns the bridge and the channel over its stdin and stdout, set up
    /// by `initialize`.
    static func start(_ destination: SSHDestination, program: [String], connectTimeout: Int, group: any EventLoopGroup,
                      initialize: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>) async throws(HavenError) -> (SSHBridge, any Channel) {
        // A write to a pipe whose reader (ssh) has gone raises SIGPIPE, which would end this
        // process without a word; ignored, the write fails with EPIPE and the failure is
        // explained from ssh's stderr. The child does not inherit it (ChildProcess resets).
        signal(SIGPIPE, SIG_IGN)
        let executable = try find(program.first ?? "ssh")
        let arguments = destination.sshArguments(program: program, connectTimeout: connectTimeout).dropFirst()

        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        // Close-on-exec, so no other child started here holds a pipe open and hides ssh's
        // exit (ChildProcess also closes every other descriptor in the child).
        guard pipe(&input) == 0, pipe(&output) == 0, pipe(&errors) == 0,
              (input + output + errors).allSatisfy({ fcntl($0, F_SETFD, FD_CLOEXEC) == 0 }) else {
            for fd in input + output + errors where fd >= 0 { close(fd) }
            throw HavenError(.ioError, "cannot start ssh: \(String(cString: strerror(errno)))")
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(executable, Array(arguments), environment: ProcessInfo.processInfo.environment,
                                       stdin: input[0], stdout: output[1], stderr: errors[1])
        } catch {
            for fd in input + output + errors { close(fd) }
            throw HavenError(.bridgeFailed, "\(error)", hint: "set HAVEN_SSH_COMMAND to the ssh program to use")
        }
        // The child's ends are its own now; holding them open here would hide its exit.
        close(input[0]); close(output[1]); close(errors[1])

        let tail = StderrTail()
        let stderrChannel: any Channel
        do {
            stderrChannel = try await NIOPipeBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(StderrTail.Reader(tail)) }
                }
                .takingOwnershipOfDescriptor(input: errors[0]).get()
        } catch {
            for fd in [errors[0], output[0], input[1]] { close(fd) }
            process.kill()
            throw HavenError(.ioError, "cannot read ssh's pipes: \(error)")
        }
        let bridge = SSHBridge(destination: destination, process: process, stderr: tail, stderrChannel: stderrChannel)
        do {
            let channel = try await NIOPipeBootstrap(group: group)
                .channelInitializer(initialize)
                .takingOwnershipOfDescriptors(input: output[0], output: input[1]).get()
            return (bridge, channel)
        } catch {
            close(output[0]); close(input[1])
            await bridge.finish()
            throw HavenError(.ioError, "cannot read ssh's pipes: \(error)")
        }
    }

    /// The program's path: as given if it names one, else the first match on PATH's absolute
    /// entries (a relative one would run whatever ssh the current directory holds).
    static func find(_ program: String) throws(HavenError) -> String {
        if program.contains("/") {
            guard access(program, X_OK) == 0 else { throw sshMissing(program) }
            return program
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") where dir.hasPrefix("/") {
            let path = dir + "/" + program
            if access(path, X_OK) == 0 { return path }
        }
        throw sshMissing(program)
    }

    static func sshMissing(_ program: String) -> HavenError {
        HavenError(.bridgeFailed, "\(SSHDestination.shown(program)) was not found, and --host needs an ssh client",
                   hint: "install OpenSSH's client (Debian: apt install openssh-client), or set HAVEN_SSH_COMMAND to the ssh program to use")
    }

    /// Why the bridge failed: waits (bounded) for ssh to exit, then reads its stderr and exit.
    /// `answered`: whether havend answered anything on this connection before it dropped.
    func failure(answered: Bool) async -> HavenError {
        let exit = await waitForExit(upTo: Self.exitWait)
        if exit == nil {
            _ = process.stop(grace: 1)
        } else {
            // ssh has gone, so what it wrote is in the pipe, read to its end in moments
            // (unless something it started holds the pipe open: hence the bound).
            let deadline = ContinuousClock.now + .seconds(1)
            while !stderr.ended, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
        }
        let text = String(decoding: stderr.bytes, as: UTF8.self)
        let how: BridgeFailure.Exit = switch exit {
        case .exited(let code): .exited(code)
        case .signalled(let signal): .signalled(signal)
        case .collectedElsewhere, nil: .running
        }
        if answered, how == .exited(0) {
            return HavenError(.unavailable, "the connection to havend on \(destination.displayName) was lost")
        }
        return BridgeFailure.classify(stderr: text, exit: how, destination: destination)
    }

    /// Whether ssh itself failed (its own exit status, 255) within `seconds`.
    func sshFailed(within seconds: Double) async -> Bool {
        if case .exited(255)? = await waitForExit(upTo: seconds) { return true }
        return false
    }

    /// After the connection's channel is closed: ssh sees the end of its input and exits
    /// once the remote side has; one that does not within the bound is stopped.
    func finish() async {
        if await waitForExit(upTo: 3) == nil { _ = process.stop(grace: 1) }
        try? await stderrChannel.close().get()
    }

    private func waitForExit(upTo seconds: Double) async -> ChildProcess.Termination? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var pause = Duration.microseconds(500)
        while true {
            if let t = process.termination { return t }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }
}
