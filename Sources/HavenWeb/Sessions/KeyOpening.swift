import HavenCore
import HavenCrypto
import NIOPosix

/// Runs the Argon2id work of opening or sealing a person's key off the event loops and the
/// Swift task pool, at most `width` at once: each takes a quarter of a gigabyte and a
/// second, and a burst of sign-ins (or of guesses) must not starve the pages of others.
/// At most `queue` wait behind them: beyond that the work is refused with `.busy` at once,
/// so a flood of guesses cannot hold every real sign-in and unlock behind it.
actor KeyOpening {
    let width: Int
    let queue: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int = 2, queue: Int = 8) {
        self.width = width
        self.queue = queue
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws(HavenError) -> T) async throws(HavenError) -> T {
        guard running < width || waiting.count < queue else {
            throw HavenError(.busy, "too many sign-ins at once", hint: "try again in a moment")
        }
        await acquire()
        defer { release() }
        let result: Result<T, HavenError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<T, HavenError> in
                do throws(HavenError) { return .success(try work()) } catch { return .failure(error) }
            }
        } catch {
            result = .failure(HavenError(.unavailable, "the desk is shutting down"))
        }
        return try result.get()
    }

    /// How many wait for a turn (for the tests).
    var queued: Int { waiting.count }

    private func acquire() async {
        if running < width {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
