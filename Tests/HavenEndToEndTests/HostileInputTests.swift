import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenTestSupport
import NIOCore
import Testing

extension EndToEnd {
    /// Generated and mutated requests against the real daemon. Never a crash, never a 500,
    /// always a JSON error with a stable code; a legitimate client keeps being served.
    /// The run ends at 100,000 requests or after 20 seconds, whichever comes first;
    /// HAVEN_FUZZ_REQUESTS and HAVEN_FUZZ_SECONDS move both (scripts/soak-fuzz.sh runs millions).
    @Suite struct HostileInputTests {
        static let total = Int(ProcessInfo.processInfo.environment["HAVEN_FUZZ_REQUESTS"] ?? "") ?? 100_000
        static let seconds = Double(ProcessInfo.processInfo.environment["HAVEN_FUZZ_SECONDS"] ?? "") ?? 20
        static let seed = UInt64(ProcessInfo.processInfo.environment["HAVEN_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

        /// Shared tallies of the workers.
        actor Tally {
            var answered = 0
            var unanswered = 0
            var problems = [String]()
            var legitimate = 0

            func add(_ r: RawResponse?, _ input: [UInt8]) {
                guard let r else {
                    unanswered += 1
                    // Only input without a single complete line may go unanswered (nothing was asked).
                    if input.contains(UInt8(ascii: "\n")), problems.count < 20 {
                        problems.append("closed without an answer: " + String(decoding: input.prefix(300), as: UTF8.self).debugDescription)
                    }
                    return
                }
                answered += 1
                // HTTP forbids a body in answers to HEAD and CONNECT: a bare status is all there can be.
                let method = input.prefix { $0 != UInt8(ascii: " ") }
                if method.elementsEqual("HEAD".utf8) || method.elementsEqual("CONNECT".utf8) {
                    if r.status != 405 && r.status != 400, problems.count < 20 { problems.append("HEAD/CONNECT answered \(r.status)") }
                    return
                }
                if let p = ResponseRules.problem(r), problems.count < 20 {
                    problems.append(p + "  <- input: " + String(decoding: input.prefix(300), as: UTF8.self).debugDescription)
                }
            }

            func served() { legitimate += 1 }
        }

        // A generous ceiling (a debug build answers several hundred requests a second), so a
        // soak of millions is not cut short.
        @Test(.timeLimit(.minutes(max(5, total / 10_000, Int(seconds / 60) + 5))))
        func generatedAndMutatedRequestsAreAnsweredWithStableJSONErrors() async throws {
            // The fuzz sends thousands of bad session requests from this uid; lockout (tested on
            // its own) would otherwise shut out the legitimate client too.
            let v = try TestVault(daemonArguments: ["--auth-lockout-failures", "1000000000"])
            let record = try v.createRecord(["incident_type": "rape", "survivor_name": "Fuzz Target"], assign: ["counsellor"])
            let key = try v.signingKey("intake")
            let seeds = FuzzCorpus.seeds(record: record)
            let tally = Tally()
            let workers = 12
            let perWorker = Self.total / workers
            print("fuzz: up to \(Self.total) requests in up to \(Int(Self.seconds)) s, seed \(Self.seed)")
            let deadline = ContinuousClock.now + .milliseconds(Int64(Self.seconds * 1000))

            // A well-behaved client the whole time.
            let legit = Task {
                let client = try await v.client(as: "intake")
                var n = 0
                while !Task.isCancelled {
                    let created: RecordWriteResponse = try await client.post("/v1/records",
                        CreateRecordRequest(type: "gbv_incident", fields: ["incident_type": "rape", "survivor_name": "Legit \(n)"], assign: nil))
                    let read: ReadRecordResponse = try await client.post("/v1/records/\(created.id)/read",
                                                                         ReadRecordRequest(purpose: "legit", fields: nil, breakGlass: nil))
                    guard read.fields["survivor_name"] == "Legit \(n)" else { throw TestFailure("legitimate read returned the wrong value") }
                    await tally.served()
                    n += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                await client.close()
            }

            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for w in 0..<workers {
                    group.addTask {
                        var rng = SeededRandom(seed: Self.seed &+ UInt64(w) &* 7919)
                        // Half the workers mangle HTTP itself, each request on its own connection;
                        // the other half send well-framed requests with generated bodies on a
                        // session, so validation after authentication is reached too.
                        var sent = 0
                        if w % 2 == 0 {
                            while sent < perWorker && ContinuousClock.now < deadline {
                                sent += 1
                                let s = seeds.randomElement(using: &rng)!
                                let input = FuzzCorpus.mutateBytes(FuzzCorpus.request(s.method, s.path, body: s.body), &rng)
                                let c = try await RawConnection.connect(v.socket)
                                await tally.add(await c.exchange(input, closeOutput: true, timeout: .seconds(10)), input)
                                await c.close()
                            }
                        } else {
                            var c = try await RawConnection.authenticated(v.socket, key: key)
                            while sent < perWorker && ContinuousClock.now < deadline {
                                sent += 1
                                let s = seeds.randomElement(using: &rng)!
                                let body = Int.random(in: 0..<4, using: &rng) == 0 ? s.body : FuzzCorpus.json(&rng, depth: 3)
                                let type = Int.random(in: 0..<20, using: &rng) == 0 ? "text/plain" : "application/json"
                                let input = FuzzCorpus.request(s.method, s.path, body: body, contentType: type)
                                let r = await c.exchange(input, timeout: .seconds(10))
                                await tally.add(r, input)
                                if r == nil || !c.channel.isActive {
                                    await c.close()
                                    c = try await RawConnection.authenticated(v.socket, key: key)
                                }
                            }
                            await c.close()
                        }
                        return sent
                    }
                }
                return try await group.reduce(0, +)
            }
            legit.cancel()
            _ = await legit.result
            if !v.isRunning { Issue.record("havend died: \(v.daemonLog.suffix(3000))") }

            let answered = await tally.answered
            let unanswered = await tally.unanswered
            let problems = await tally.problems
            let served = await tally.legitimate
            print("fuzz: \(sent) requests, \(answered) answered, \(unanswered) closed without an answer, "
                  + "legitimate client served \(served) times")
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(answered + unanswered == sent)
            #expect(unanswered * 100 < sent, "too many requests went unanswered: \(unanswered)")
            #expect(served > 10)
            #expect(v.isRunning)
            try v.expectOK(as: "intake", ["record", "get", record, "--purpose", "after the fuzz"])
            let verified = try v.haven(as: "auditor", ["audit", "verify"])
            #expect(verified.status == 0, "\(verified)")
        }
    }
}
