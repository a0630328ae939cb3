import Foundation
import HavenAPI
import HavenCore
import HavenProcess
import HavenTestSupport
import HavenWeb
import Testing

/// Debian's Chromium, its driver and Selenium, which drive Tests/Browser/desk_scenarios.py
/// against a real havend and haven-web: the scenarios run only where all three are installed
/// (`scripts/install-deps.sh --tests`), and are skipped, saying so, where they are not.
enum WebDeskBrowser {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static let script = Repository.path("Tests/Browser/desk_scenarios.py")

    /// The scenarios, in the order they run; `desk_scenarios.py --list` must say the same.
    static let scenarios = ["invitation", "create_lao", "find", "note", "consent", "referral", "quick_lock", "typing_capitals",
                            "idle_lock", "other_tab",
                            "back_after_sign_out", "cross_site_post", "wrong_host", "reused_cookie", "withheld_field",
                            "keyboard", "tablet"]

    /// Scenarios that need the desk's idle timers short (2 s warning, 4 s lock), on a desk of their own.
    static let idleScenarios: Set = ["idle_lock"]

    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: chromium), FileManager.default.isExecutableFile(atPath: chromedriver),
              let python3 = VectorScript.python3 else { return false }
        return (try? Command.run(python3, ["-c", "import selenium"], timeout: 30).status) == 0
    }()

    static let missing: Comment = "needs chromium, chromium-driver and python3-selenium (scripts/install-deps.sh --tests)"

    /// Runs one scenario in a fresh python3 and returns what it printed, or throws with that
    /// output when it failed. The invitation's enrolment is the administrator's part: when
    /// the script leaves the public key it was shown, the harness enrols it, as `haven user
    /// add` would.
    static func run(_ name: String, on world: BrowserDeskWorld) async throws -> String {
        guard let python3 = VectorScript.python3 else { throw TestFailure("no python3") }
        let output = world.directory.file("\(name).out")
        let process = try ChildProcess(python3, [script, name], environment: world.environment(), stdout: output, stderr: output)
        let deadline = Date().addingTimeInterval(150)
        var enrolled = false
        while process.isRunning {
            if name == "invitation", let invite = world.invitation, !enrolled,
               let key = try? String(contentsOfFile: invite.handoff + "/public-key", encoding: .utf8) {
                enrolled = true
                try world.harness.enrol(invite.name, role: invite.role, agency: invite.agency,
                                        publicKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
                _ = FileManager.default.createFile(atPath: invite.handoff + "/enrolled", contents: Data())
            }
            if Date() > deadline {
                _ = process.kill()
                throw TestFailure("scenario \(name) ran over 150 s:\n\(text(output))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let said = text(output)
        guard process.termination == .exited(0) else { throw TestFailure("scenario \(name) failed:\n\(said)") }
        return said
    }

    private static func text(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}

/// The desk the browser scenarios share: one havend and haven-web, the people who sign in
/// (each made from an invitation redeemed over HTTP and enrolled), and records made through
/// havend as an intake officer of the same agency, with the values the scenarios look for.
final class BrowserDeskWorld: Sendable {
    struct Person: Codable, Sendable {
        let name: String
        let passphrase: String
    }

    struct Seed: Codable, Sendable {
        let id: String
        /// The free-text values a page must show, or must not hold, by field name.
        let fields: [String: String]
    }

    struct Invitation: Codable, Sendable {
        let link: String
        let name: String
        let role: String
        let agency: String
        let passphrase: String
        let handoff: String
    }

    let harness: WebDeskHarness
    let directory: TemporaryDirectory
    let people: [String: Person]
    let records: [String: Seed]
    let invitation: Invitation?

    private init(harness: WebDeskHarness, directory: TemporaryDirectory, people: [String: Person], records: [String: Seed],
                 invitation: Invitation?) {
        self.harness = harness
        self.directory = directory
        self.people = people
        self.records = records
        self.invitation = invitation
    }

    /// The records, all of one intake officer of ossc-vientiane: a Vietnamese name, a Lao one,
    /// one with the survivor's health consent and contact fields a health worker may not see,
    /// one with her shelter consent, to refer.
    static let seeds: [(key: String, fields: [String: String], choices: [String: String], consent: String?)] = [
        ("vi", ["survivor_name": "Nguyễn Thị Hoa", "phone": "020 5555 1234", "address": "Số 7 Phố Huế, Hà Nội",
                "incident_location": "Chợ Đồng Xuân, gần cổng số 3"], ["incident_type": "physical_assault"], nil),
        ("lao", ["survivor_name": "ສົມພອນ ວົງສະຫວັນ", "address": "ບ້ານຫາຍໂສກ, ເມືອງຈັນທະບູລີ"], ["incident_type": "rape"], nil),
        ("withheld", ["survivor_name": "ບົວພັນ ແກ້ວມະນີ", "phone": "020 7777 4321", "address": "ບ້ານໂນນສະຫວ່າງ, ເມືອງໄຊທານີ",
                      "safe_contact": "Call her sister Noy after 6 pm"], ["incident_type": "sexual_assault"], "health"),
        ("referral", ["survivor_name": "Vũ Thị Lan", "address": "Thôn Đông, Hà Tĩnh"], ["incident_type": "physical_assault"], "shelter"),
    ]

    /// A desk started with the given idle timers; `everyone` adds the shelter's and health's
    /// people, the invitation and every record (the idle scenario needs intake and one record).
    static func make(idleWarning: Int = 900, idleLock: Int = 1200, everyone: Bool) async throws -> BrowserDeskWorld {
        let harness = try await WebDeskHarness.start(idleWarning: idleWarning, idleLock: idleLock)
        let directory = TemporaryDirectory("haven-desk-browser")
        func passphrase() -> String { "desk passphrase " + String(UInt64.random(in: 0...UInt64.max), radix: 36) }
        var roles = [("intake", "mali", "intake", "ossc-vientiane")]
        if everyone {
            roles += [("shelter", "noy", "intake", "lwu-shelter-vientiane"), ("health", "dara", "health", "mahosot-hospital")]
        }
        var people: [String: Person] = [:]
        for (key, name, role, agency) in roles {
            let person = Person(name: name, passphrase: passphrase())
            try await harness.webUser(name, role: role, agency: agency, passphrase: person.passphrase)
            people[key] = person
        }
        let seeder = try await harness.desk(for: "seeder", role: "intake", agency: "ossc-vientiane")
        var records: [String: Seed] = [:]
        for seed in seeds where everyone || seed.key == "vi" {
            let made: RecordWriteResponse = try await seeder.vault.post(
                "/v1/records", CreateRecordRequest(type: "gbv_incident", fields: seed.fields.merging(seed.choices) { a, _ in a }, assign: nil))
            if let flag = seed.consent {
                let _: RecordWriteResponse = try await seeder.vault.post(
                    "/v1/records/\(made.id)/consent", ConsentChangeRequest(flag: flag, action: "grant", evidence: nil, expires: nil))
            }
            records[seed.key] = Seed(id: made.id, fields: seed.fields)
        }
        var invitation: Invitation?
        if everyone {
            let handoff = directory.file("handoff")
            try FileManager.default.createDirectory(atPath: handoff, withIntermediateDirectories: true)
            invitation = Invitation(link: try harness.invite("kham"), name: "kham", role: "intake", agency: "ossc-vientiane",
                                    passphrase: passphrase(), handoff: handoff)
        }
        return BrowserDeskWorld(harness: harness, directory: directory, people: people, records: records, invitation: invitation)
    }

    /// What desk_scenarios.py reads (Tests/Browser/desk.py), in a small environment of its own.
    func environment() -> [String: String] {
        func json<T: Encodable>(_ value: T) -> String {
            String(decoding: (try? JSONEncoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self)
        }
        let home = directory.file("home")
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, "PYTHONDONTWRITEBYTECODE": "1", "SE_OFFLINE": "true",
                   "DESK_URL": harness.baseURL, "DESK_PEOPLE": json(people), "DESK_RECORDS": json(records),
                   "DESK_ARTIFACTS": ProcessInfo.processInfo.environment["HAVEN_DESK_ARTIFACTS"]
                       ?? NSTemporaryDirectory() + "haven-desk-artifacts"]
        if let invitation { env["DESK_INVITE"] = json(invitation) }
        return env
    }
}

/// The two desks of a test run, started at the first scenario that needs each and stopped
/// after the last one of the list has run (a filtered run leaves them to the end of the
/// process: scripts/test.sh stops everything the run started).
actor BrowserDeskWorlds {
    static let shared = BrowserDeskWorlds()

    private var worlds: [Bool: BrowserDeskWorld] = [:]
    private var failures: [Bool: String] = [:]
    private var remaining = Set(WebDeskBrowser.scenarios)

    func world(for scenario: String) async throws -> BrowserDeskWorld {
        let idle = WebDeskBrowser.idleScenarios.contains(scenario)
        if let world = worlds[idle] { return world }
        if let failure = failures[idle] { throw TestFailure("the desk for the browser scenarios did not start: \(failure)") }
        do {
            let world = idle ? try await BrowserDeskWorld.make(idleWarning: 2, idleLock: 4, everyone: false)
                             : try await BrowserDeskWorld.make(everyone: true)
            worlds[idle] = world
            return world
        } catch {
            failures[idle] = "\(error)"
            throw error
        }
    }

    /// Stops a desk once no scenario of the list still needs it.
    func done(_ scenario: String) async {
        remaining.remove(scenario)
        for idle in [false, true] where !remaining.contains(where: { WebDeskBrowser.idleScenarios.contains($0) == idle }) {
            if let world = worlds.removeValue(forKey: idle) {
                await world.harness.stop()
                world.directory.remove()
            }
        }
    }
}
