import HavenCore
import HavenCrypto
import NIOPosix

/// Runs the Argon2id work of opening or sealing a person's key off the event loops and the
/// Swift task pool, at most `width` at once: each takes a quarter of a gigabyte and a
/// second, and a burst of sign-ins (or of guesses) must not starve the pages of others.
actor KeyOpening {
    let width: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int = 2) {
        self.width = width
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws(HavenError) -> T) async throws(HavenError) -> T {
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
