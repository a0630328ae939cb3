import HavenCore
import Yams

/// Strict reading of a YAML document for policy files: every mapping declares the keys it
/// allows, so a typo (`raed:` for `read:`) is an error with its line instead of a rule
/// silently ignored. Scalars are taken as written; YAML's implicit booleans and numbers
/// are not trusted.
struct YAMLReader {
    let file: String

    func parse(_ text: String) throws(PolicyError) -> Node {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw PolicyError(file: file, line: 1, reason: "the file is empty")
            }
            return root
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        } catch {
            throw PolicyError(file: file, line: 1, reason: "not valid YAML")
        }
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    func fail(_ node: Node, _ reason: String) -> PolicyError {
        PolicyError(file: file, line: line(node), reason: reason)
    }

    /// A mapping with only `allowed` keys, each at most once, and all `required` ones.
    func mapping(_ node: Node, what: String, allowed: [String], required: [String] = []) throws(PolicyError) -> [(key: String, keyNode: Node, value: Node)] {
        let pairs = try anyMapping(node, what: what)
        for p in pairs where !allowed.contains(p.key) {
            throw fail(p.keyNode, "unknown key '\(p.key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
        }
        for r in required where !pairs.contains(where: { $0.key == r }) {
            throw fail(node, "\(what) is missing '\(r)'")
        }
        return pairs
    }

    /// A mapping with any keys (names defined by the policy author), each at most once.
    func anyMapping(_ node: Node, what: String) throws(PolicyError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else { throw fail(node, "\(what) must be a mapping") }
        var seen = Set<String>()
        var out = [(key: String, keyNode: Node, value: Node)]()
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw fail(k, "keys in \(what) must be plain names") }
            guard seen.insert(s.string).inserted else { throw fail(k, "duplicate key '\(s.string)' in \(what)") }
            out.append((s.string, k, v))
        }
        return out
    }

    func string(_ node: Node, what: String) throws(PolicyError) -> String {
        guard case .scalar(let s) = node else { throw fail(node, "\(what) must be a single value") }
        return s.string
    }

    func list(_ node: Node, what: String) throws(PolicyError) -> [(String, Node)] {
        guard case .sequence(let seq) = node else { throw fail(node, "\(what) must be a list, e.g. [a, b]") }
        var out = [(String, Node)]()
        var seen = Set<String>()
        for item in seq {
            let s = try string(item, what: "an item of \(what)")
            guard seen.insert(s).inserted else { throw fail(item, "'\(s)' is listed twice in \(what)") }
            out.append((s, item))
        }
        return out
    }

    func bool(_ node: Node, what: String) throws(PolicyError) -> Bool {
        switch try string(node, what: what) {
        case "true": return true
        case "false": return false
        default: throw fail(node, "\(what) must be true or false")
        }
    }

    func integer(_ node: Node, what: String) throws(PolicyError) -> Int64 {
        guard let v = Int64(try string(node, what: what)) else { throw fail(node, "\(what) must be a whole number") }
        return v
    }

    /// A list of field classes (`[identity, contact]`), each named on failure.
    func fieldClasses(_ node: Node, what: String) throws(PolicyError) -> Set<FieldClass> {
        var out = Set<FieldClass>()
        for (word, item) in try list(node, what: what) {
            guard let c = FieldClass(rawValue: word) else {
                throw fail(item, "unknown field class '\(word)' (expected one of: \(FieldClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.insert(c)
        }
        return out
    }

    /// Parses a closed-vocabulary value, naming the allowed words on failure.
    func word<T: RawRepresentable & CaseIterable>(_ node: Node, as: T.Type, what: String) throws(PolicyError) -> T where T.RawValue == String {
        let s = try string(node, what: what)
        guard let v = T(rawValue: s) else {
            throw fail(node, "unknown \(what) '\(s)' (expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }

    static func describe(_ error: YamlError, file: String) -> PolicyError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PolicyError(file: file, line: mark.line, reason: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PolicyError(file: file, line: context.mark.line, reason: "duplicate key '\(duplicates.joined(separator: "', '"))'")
        case .reader(let problem, _, _, _):
            return PolicyError(file: file, line: 1, reason: "cannot read: \(problem)")
        default:
            return PolicyError(file: file, line: 1, reason: "not valid YAML")
        }
    }
}
