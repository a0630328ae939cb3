import Foundation
import HavenCore
@testable import HavenWeb
import Testing

@Suite struct KeyOpeningTests {
    /// Beyond the queue, key work is refused at once (503 at the front), never queued
    /// behind a flood of guesses.
    @Test func workBeyondTheQueueIsRefusedWithoutBeingDone() async throws {
        let work = KeyOpening(width: 1, queue: 1)
        let gate = DispatchSemaphore(value: 0)
        let done = Tally()
        let first = Task { try await work.run { () throws(HavenError) -> Int in gate.wait(); done.add(); return 1 } }
        // Whichever starts first holds the one turn until the gate opens; the other waits.
        var second: Task<Int, any Error>?
        while await work.queued == 0 {
            if second == nil { second = Task { try await work.run { () throws(HavenError) -> Int in gate.wait(); done.add(); return 2 } } }
            await Task.yield()
        }
        var code: ErrorCode?
        do {
            _ = try await work.run { () throws(HavenError) -> Int in done.add(); return 3 }
        } catch {
            code = error.code
        }
        #expect(code == .busy)
        gate.signal()
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await second?.value == 2)
        #expect(done.count == 2)
    }

    /// The throttle's check and its count are one step: attempts begun together are
    /// counted before any key work, so only the free ones pass.
    @Test func beginCountsTheAttemptBeforeTheWork() async {
        let book = ThrottleBook()
        var passed = 0
        for _ in 0..<(SignInThrottle.free + 3) where await book.begin(["name:ana", "address:1"]) == nil { passed += 1 }
        #expect(passed == SignInThrottle.free)
        await book.succeeded(name: "name:ana")
        #expect(await book.begin(["name:ana", "address:2"]) == nil)
        // Successes take their count back: they never add up to a wait for the address.
        for _ in 0..<(SignInThrottle.free + 3) {
            #expect(await book.begin(["name:bea", "address:3"]) == nil)
            await book.uncount(["name:bea", "address:3"])
        }
    }
}

/// A count shared with work on other threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
