import Foundation
import HavenTestSupport
import Yams

/// Sources/HavenServer/openapi.yaml, read to check real answers against it: the statuses
/// each operation declares, and the schema of each answer (the subset of JSON Schema the
/// document uses: type, required, properties, additionalProperties, items, enum, $ref).
///
/// An object schema that lists properties is closed unless it says otherwise: a member the
/// daemon sends and the document does not name is a finding, so the document cannot fall
/// behind the answers.
struct OpenAPIDocument {
    static let path = Repository.path("Sources/HavenServer/openapi.yaml")

    let root: [String: Any]
    /// "GET /v1/records/{id}/consent" → its operation object.
    let operations: [String: [String: Any]]

    init() throws {
        guard let doc = try Yams.load(yaml: try String(contentsOfFile: Self.path, encoding: .utf8)) as? [String: Any],
              let paths = doc["paths"] as? [String: Any] else {
            throw TestFailure("openapi.yaml has no paths")
        }
        root = doc
        var operations = [String: [String: Any]]()
        for (path, item) in paths {
            for (method, op) in (item as? [String: Any]) ?? [:] {
                if let op = op as? [String: Any] { operations["\(method.uppercased()) \(path)"] = op }
            }
        }
        self.operations = operations
    }

    /// The operation a request was sent to: the template whose segments match the path's.
    func operation(method: String, path: String) -> String? {
        let segments = path.split(separator: "?").first.map { $0.split(separator: "/") } ?? []
        return operations.keys.first { key in
            let parts = key.split(separator: " ")
            guard parts[0] == method else { return false }
            let template = parts[1].split(separator: "/")
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    func declaredStatuses(_ operation: String) -> Set<Int> {
        Set(((operations[operation]?["responses"] as? [String: Any]) ?? [:]).keys.compactMap { Int($0) })
    }

    /// Nil when `status` is declared and `body` matches its schema, else what is wrong.
    func problem(_ operation: String, status: Int, body: [UInt8]) -> String? {
        guard let responses = operations[operation]?["responses"] as? [String: Any],
              var response = responses[String(status)] as? [String: Any] else {
            return "\(operation): status \(status) is not declared"
        }
        if let ref = response["$ref"] as? String { response = resolve(ref) }
        guard let content = response["content"] as? [String: Any], let json = content["application/json"] as? [String: Any],
              let schema = json["schema"] as? [String: Any] else {
            return "\(operation): status \(status) declares no JSON schema"
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return "\(operation): status \(status) is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))"
        }
        return check(value, against: schema, at: "\(operation) \(status)")
    }

    private func resolve(_ ref: String) -> [String: Any] {
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    private func check(_ value: Any, against raw: [String: Any], at where_: String) -> String? {
        let schema = (raw["$ref"] as? String).map(resolve) ?? raw
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }),
           !types.contains(where: { Self.matches(value, type: $0) }) {
            return "\(where_): \(Self.describe(value)) is not \(types.joined(separator: " or "))"
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            return "\(where_): \(value) is not one of \(allowed)"
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                return "\(where_): required member \(name) is missing"
            }
            for (name, member) in object {
                if let p = properties[name] as? [String: Any] {
                    if let problem = check(member, against: p, at: "\(where_).\(name)") { return problem }
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    if let problem = check(member, against: extra, at: "\(where_).\(name)") { return problem }
                } else if !properties.isEmpty && (schema["additionalProperties"] as? Bool) != true {
                    return "\(where_): member \(name) is not in the document"
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() {
                if let problem = check(item, against: items, at: "\(where_)[\(i)]") { return problem }
            }
        }
        return nil
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        // Foundation reads true and false as NSNumbers of a char.
        case "boolean": return (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
        case "integer", "number":
            guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return false }
            return type == "number" || n.doubleValue == n.doubleValue.rounded()
        default: return false
        }
    }

    private static func describe(_ value: Any) -> String {
        String(String(describing: value).prefix(120))
    }
}
