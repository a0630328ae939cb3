import HavenCore
@_spi(Bench) import HavenVault
import NIOHTTP1

/// One kind of request the benchmark sends, built for the n-th connection.
enum Workload: String, CaseIterable, Sendable {
    /// `GET /v1/status`: authenticated, but no record, no crypto, no audit entry.
    case status
    /// An audited read: policy and consent checked, fields decrypted, entry durable first.
    case read
    /// A counsellor's update of a contact field (a new sealed version, durably audited).
    case update
    /// A new record with twelve sealed fields, assigned to a counsellor, by an intake user.
    case create
    /// `create`, every record with one phone (`sharedPhone`): by the run's end thousands of
    /// records share it, and the duplicate check still opens no more than it lists.
    case createShared = "create-shared"
    /// Four reads to one update.
    case mix
    /// `record find` by the name and date of birth of a random seeded record: the blind
    /// indexes looked up, about 15 candidates at 1M records opened and confirmed, and the
    /// search durably audited. Most matches are another counsellor's: counted, not listed.
    case find

    /// Whether the connections are intake users (who may create) rather than counsellors.
    var asIntake: Bool { self == .create || self == .createShared }

    /// The one phone of every `create-shared` record.
    static let sharedPhone = "+856 20 5555 0101"

    struct Request {
        let method: HTTPMethod
        let path: String
        let body: [UInt8]?
    }

    static let readBody = Array(#"{"purpose":"weekly counselling session"}"#.utf8)

    /// The next request of connection `connection`; `records` are that counsellor's own, of
    /// `population` seeded records.
    func next<R: RandomNumberGenerator>(records: [RecordID], counsellor: String, population: Int, using rng: inout R) -> Request {
        switch self {
        case .status:
            return Request(method: .GET, path: "/v1/status", body: nil)
        case .read:
            return Self.read(records.randomElement(using: &rng)!)
        case .update:
            return Self.update(records.randomElement(using: &rng)!, using: &rng)
        case .create:
            return Request(method: .POST, path: "/v1/records", body: Self.createBody(counsellor: counsellor, using: &rng))
        case .createShared:
            return Request(method: .POST, path: "/v1/records",
                           body: Self.createBody(counsellor: counsellor, phone: Self.sharedPhone, using: &rng))
        case .mix:
            let id = records.randomElement(using: &rng)!
            return Int.random(in: 0..<5, using: &rng) == 0 ? Self.update(id, using: &rng) : Self.read(id)
        case .find:
            return Self.find(Int.random(in: 0..<max(population, 1), using: &rng))
        }
    }

    /// A search for the n-th seeded record (`VaultSeeder.sampleValues`), its date of birth
    /// in the day-first spelling.
    static func find(_ n: Int) -> Request {
        let dob = VaultSeeder.sampleBirthDate(n).split(separator: "-").reversed().joined(separator: "/")
        let name = VaultSeeder.sampleValues(n).first { $0.0 == "survivor_name" }!.1
        return Request(method: .POST, path: "/v1/records/find",
                       body: Array(#"{"name":"\#(name)","dob":"\#(dob)","purpose":"survivor returned to the centre"}"#.utf8))
    }

    static func read(_ id: RecordID) -> Request {
        Request(method: .POST, path: "/v1/records/\(id.rawValue)/read", body: readBody)
    }

    static func update<R: RandomNumberGenerator>(_ id: RecordID, using rng: inout R) -> Request {
        let phone = "+856 20 \(Int.random(in: 50_000_000...59_999_999, using: &rng))"
        return Request(method: .PATCH, path: "/v1/records/\(id.rawValue)", body: Array(#"{"fields":{"phone":"\#(phone)"}}"#.utf8))
    }

    static func createBody<R: RandomNumberGenerator>(counsellor: String, phone: String? = nil, using rng: inout R) -> [UInt8] {
        let n = Int.random(in: 0..<1_000_000, using: &rng)
        let fields = [
            "intake_date": "2026-11-2\(n % 4)", "caseworker_code": "CW-\(n % 977)", "survivor_name": "ນາງ ຄຳແພງ \(n)",
            "sex": "female", "nationality": "Lao", "phone": phone ?? "+856 20 \(55_000_000 + n)",
            "address": "Ban Phonxay, Xaysettha, Vientiane, house \(n % 400)",
            "incident_type": ["rape", "sexual_assault", "physical_assault", "forced_marriage"][n % 4],
            "incident_date": "2026-11-0\(1 + n % 9)",
            "incident_description": "Người sống sót kể lại sự việc xảy ra gần chợ vào buổi tối; hồ sơ số \(n). "
                + String(repeating: "Chi tiết được ghi lại trong buổi phỏng vấn. ", count: 3),
            "perpetrator_relationship": "intimate_partner",
            "safe_contact": "Call her sister after 6 pm; never the home phone",
        ]
        var json = #"{"type":"gbv_incident","assign":["\#(counsellor)"],"fields":{"#
        json += fields.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",")
        json += "}}"
        return Array(json.utf8)
    }
}
