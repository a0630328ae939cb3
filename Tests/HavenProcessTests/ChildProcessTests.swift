import Glibc
import HavenProcess
import HavenTestSupport
import Testing

@Suite struct ChildProcessTests {
    let directory = TemporaryDirectory("haven-child")
    var dir: String { directory.path }

    private func sh(_ script: String, environment: [String: String] = [:], stdin: String? = nil) throws -> ChildProcess {
        try ChildProcess("/bin/sh", ["-c", script], environment: environment,
                         stdin: stdin, stdout: dir + "/out", stderr: dir + "/err")
    }

    private func contents(_ name: String) -> String {
        guard let f = fopen(dir + "/" + name, "r") else { return "" }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theExitStatusIsReported() throws {
        #expect(try sh("exit 7").wait(upTo: 10) == .exited(7))
        #expect(try sh("true").wait(upTo: 10) == .exited(0))
    }

    @Test func aSignalIsReportedAsASignal() throws {
        let t = try sh("kill -TERM $$").wait(upTo: 10)
        #expect(t == .signalled(SIGTERM))
        #expect(t?.status == 128 + SIGTERM)
    }

    @Test func outputGoesToTheFilesAndInputComesFromOne() throws {
        let input = dir + "/in"
        let f = fopen(input, "w")
        fputs("from the file\n", f)
        fclose(f)
        #expect(try sh("cat; echo to-stderr >&2", stdin: input).wait(upTo: 10) == .exited(0))
        #expect(contents("out") == "from the file\n")
        #expect(contents("err") == "to-stderr\n")
    }

    @Test func theEnvironmentIsExactlyWhatWasGiven() throws {
        let env = try ChildProcess("/usr/bin/env", [], environment: ["GIVEN": "yes"], stdout: dir + "/out")
        #expect(env.wait(upTo: 10) == .exited(0))
        #expect(contents("out") == "GIVEN=yes\n")
    }

    @Test func noOtherDescriptorIsInherited() throws {
        let fd = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        let high = fcntl(fd, F_DUPFD, 200)
        close(fd)
        defer { close(high) }
        #expect(high >= 200)
        #expect(try sh("test -e /proc/self/fd/\(high) && echo inherited || echo clean").wait(upTo: 10) == .exited(0))
        #expect(contents("out") == "clean\n")
    }

    @Test func aBlockedSignalInTheParentIsNotBlockedInTheChild() throws {
        var term = sigset_t(), previous = sigset_t()
        sigemptyset(&term)
        sigaddset(&term, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &term, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let child = try ChildProcess("/bin/sleep", ["30"], environment: [:])
        usleep(50_000)
        let (t, forced) = child.stop(grace: 10)
        #expect(t == .signalled(SIGTERM))
        #expect(!forced)
    }

    @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let child = try sh("trap '' TERM; echo ready; exec sleep 30")
        // Until the trap is set; sh that ended instead fails the test rather than hanging it.
        for _ in 0..<10_000 where contents("out").isEmpty && child.isRunning { usleep(1_000) }
        #expect(contents("out") == "ready\n")
        let (t, forced) = child.stop(grace: 0.3)
        #expect(t == .signalled(SIGKILL))
        #expect(forced)
        #expect(!child.isRunning)
    }

    @Test func aMissingExecutableIsAnError() {
        #expect(throws: ChildProcessError.self) {
            try ChildProcess(dir + "/no-such-program", [], environment: [:])
        }
    }
}
