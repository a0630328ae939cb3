/// A piece of HTML that escapes every value put into it, so a survivor's name or a hostile
/// note can never become markup: `let row: HTML = "<td>\(name)</td>"` escapes `name`;
/// only another `HTML` is inserted as it is.
public struct HTML: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The markup, escaped where it came from values.
    public private(set) var raw: String

    public init(stringLiteral literal: String) {
        raw = literal
    }

    public init(stringInterpolation: Interpolation) {
        raw = stringInterpolation.raw
    }

    /// `HTML("<p>\(value)</p>")`: the literal is markup, its values are escaped.
    public init(_ html: HTML) {
        self = html
    }

    /// Text shown as text: every character that means something in HTML is escaped.
    public init(text: String) {
        raw = HTML.escape(text)
    }

    /// The empty fragment.
    public static let empty: HTML = ""

    public var description: String { raw }

    /// Joins fragments, for lists built with `map`.
    public static func join<S: Sequence>(_ parts: S, separator: HTML = .empty) -> HTML where S.Element == HTML {
        var out = HTML.empty
        var first = true
        for part in parts {
            if !first { out.raw += separator.raw }
            out.raw += part.raw
            first = false
        }
        return out
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        var out = lhs
        out.raw += rhs.raw
        return out
    }

    /// Escapes text for an element's content or a quoted attribute value (both quote kinds).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Builds HTML from a literal with values: strings and numbers are escaped, HTML is not.
    public struct Interpolation: StringInterpolationProtocol {
        var raw = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            raw.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            raw += literal
        }

        public mutating func appendInterpolation(_ html: HTML) {
            raw += html.raw
        }

        public mutating func appendInterpolation(_ text: String) {
            raw += HTML.escape(text)
        }

        public mutating func appendInterpolation(_ text: Substring) {
            raw += HTML.escape(String(text))
        }

        public mutating func appendInterpolation<N: BinaryInteger>(_ number: N) {
            raw += String(number)
        }

        public mutating func appendInterpolation(_ text: String?) {
            raw += HTML.escape(text ?? "")
        }
    }
}
