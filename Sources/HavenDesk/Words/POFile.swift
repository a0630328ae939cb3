/// A gettext `.po` file read without I/O: the entries' msgid and msgstr, with their
/// `"…"` continuation lines joined and C escapes decoded. Fuzzy entries (a translator's
/// guess not yet checked) are kept apart and never shown: an unchecked word on a
/// survivor's case is worse than the English one.
public struct POFile: Sendable {
    /// One entry of the file.
    public struct Entry: Sendable, Equatable {
        public var context: String?
        public var id: String
        public var text: String
        public var fuzzy: Bool
    }

    /// Where and why a file could not be read.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public let entries: [Entry]

    /// The translations to use: entries neither fuzzy nor untranslated, and not the header.
    public var table: [String: String] {
        var out: [String: String] = [:]
        for entry in entries where !entry.fuzzy && !entry.id.isEmpty && !entry.text.isEmpty && entry.context == nil {
            out[entry.id] = entry.text
        }
        return out
    }

    public init(text: String) throws(Failure) {
        enum Field { case context, id, plural, text, none }
        var entries: [Entry] = []
        var current: Entry?
        var fuzzy = false
        var field = Field.none
        var lineNumber = 0

        func finish() {
            if let entry = current { entries.append(entry) }
            current = nil
            fuzzy = false
            field = .none
        }

        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { if current != nil { finish() }; continue }
            if trimmed.hasPrefix("#") {
                // A comment after an entry's strings starts the next entry.
                if current != nil && field != .none { finish() }
                if trimmed.hasPrefix("#,") && trimmed.contains("fuzzy") { fuzzy = true }
                continue
            }
            if trimmed.hasPrefix("\"") {
                let value = try Self.quoted(trimmed, line: lineNumber)
                guard current != nil else { throw Failure(line: lineNumber, reason: "a string outside any entry") }
                switch field {
                case .context: current!.context! += value
                case .id: current!.id += value
                case .text: current!.text += value
                case .plural: break
                case .none: throw Failure(line: lineNumber, reason: "a string outside any entry")
                }
                continue
            }
            let keyword = trimmed.prefix { $0 != " " && $0 != "\t" }
            let rest = trimmed.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }
            let value = try Self.quoted(rest, line: lineNumber)
            switch keyword {
            case "msgctxt":
                if current != nil { finish() }
                current = Entry(context: value, id: "", text: "", fuzzy: fuzzy)
                field = .context
            case "msgid":
                if current != nil && field != .context { finish() }
                if current == nil { current = Entry(context: nil, id: "", text: "", fuzzy: fuzzy) }
                current!.id = value
                field = .id
            case "msgid_plural":
                guard current != nil else { throw Failure(line: lineNumber, reason: "msgid_plural without msgid") }
                field = .plural
            case "msgstr", "msgstr[0]":
                guard current != nil else { throw Failure(line: lineNumber, reason: "msgstr without msgid") }
                current!.text = value
                field = .text
            default:
                if keyword.hasPrefix("msgstr[") { field = .plural; continue }
                throw Failure(line: lineNumber, reason: "unknown keyword \(keyword)")
            }
        }
        finish()
        self.entries = entries
    }

    /// The text of one `"…"` string, its escapes decoded.
    static func quoted(_ s: Substring, line: Int) throws(Failure) -> String {
        var body = s
        while let last = body.last, last == " " || last == "\t" { body.removeLast() }
        guard body.count >= 2, body.first == "\"", body.last == "\"" else {
            throw Failure(line: line, reason: "a string must be in double quotes")
        }
        body = body.dropFirst().dropLast()
        var out = ""
        var escaped = false
        for ch in body {
            if escaped {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "a": out.append("\u{07}")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                default: throw Failure(line: line, reason: "unknown escape \\\(ch)")
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "\"" {
                throw Failure(line: line, reason: "an unescaped quote inside a string")
            } else {
                out.append(ch)
            }
        }
        if escaped { throw Failure(line: line, reason: "a string ends in a lone backslash") }
        return out
    }
}
