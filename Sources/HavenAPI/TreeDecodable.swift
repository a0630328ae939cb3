import HavenCore

/// A request read from the strict reader's tree instead of `JSONDecoder`: for the requests
/// clients send all day (a read, a create, an update), where the decoder and the duplicate-key
/// pass before it cost more than the policy decision. The errors are the decoder's, word
/// for word, so a client cannot tell which path read its body.
public protocol TreeDecodable {
    init(tree: JSONValue) throws(HavenError)
}

/// The members of a request object, read the way `JSONDecoder` and `rejectUnknownMembers`
/// would report them.
public struct RequestObject {
    let members: [(String, JSONValue)]

    /// The body's object; anything else is the wrong type at the top.
    public init(_ tree: JSONValue, allowed: [String]) throws(HavenError) {
        if tree.isNull { throw HavenError(.invalidJSON, "'(body)' in the request body must not be null") }
        guard let members = tree.members else { throw Self.wrongType("(body)") }
        for (key, _) in members where !allowed.contains(key) {
            throw HavenError(.unknownField, "unknown member '\(NameRules.printable(key))' in the request body",
                             hint: "allowed members: \(allowed.sorted().joined(separator: ", "))")
        }
        self.members = members
    }

    private func member(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }

    public func string(_ key: String) throws(HavenError) -> String {
        guard let v = member(key) else { throw HavenError(.invalidJSON, "the request body is missing '\(key)'") }
        return try Self.string(v, at: key)
    }

    public func optionalString(_ key: String) throws(HavenError) -> String? {
        guard let v = member(key), !v.isNull else { return nil }
        return try Self.string(v, at: key)
    }

    public func optionalStrings(_ key: String) throws(HavenError) -> [String]? {
        guard let v = member(key), !v.isNull else { return nil }
        guard let list = v.array else { throw Self.wrongType(key) }
        var out = [String]()
        out.reserveCapacity(list.count)
        for (i, element) in list.enumerated() { out.append(try Self.string(element, at: "\(key).[\(i)]")) }
        return out
    }

    /// An object of strings (a record's fields by name).
    public func stringMap(_ key: String) throws(HavenError) -> [String: String] {
        guard let v = member(key) else { throw HavenError(.invalidJSON, "the request body is missing '\(key)'") }
        if v.isNull { throw HavenError(.invalidJSON, "'\(NameRules.printable(key))' in the request body must not be null") }
        guard let members = v.members else { throw Self.wrongType(key) }
        var out = [String: String](minimumCapacity: members.count)
        for (name, value) in members { out[name] = try Self.string(value, at: "\(key).\(name)") }
        return out
    }

    /// A whole number that fits `I`, written as the decoder accepts it (`100`, `100.0`,
    /// `1e2`); one that does not fit or is not whole is refused as the decoder refuses it,
    /// as invalid JSON.
    public func optionalInteger<I: FixedWidthInteger>(_ key: String, _: I.Type) throws(HavenError) -> I? {
        guard let v = member(key), !v.isNull else { return nil }
        guard case .number(let text) = v else { throw Self.wrongType(key) }
        if let n = I(text) { return n }
        guard let d = Double(text), d.rounded() == d, let n = I(exactly: d) else {
            throw HavenError(.invalidJSON, "the request body is not valid JSON")
        }
        return n
    }

    private static func string(_ v: JSONValue, at path: String) throws(HavenError) -> String {
        if v.isNull { throw HavenError(.invalidJSON, "'\(NameRules.printable(path))' in the request body must not be null") }
        guard let s = v.string else { throw wrongType(path) }
        return s
    }

    private static func wrongType(_ path: String) -> HavenError {
        HavenError(.invalidJSON, "'\(NameRules.printable(path))' in the request body has the wrong type")
    }
}
