import ArgumentParser
import Foundation
import Glibc
import HavenCore

/// Survivor data from a file or stdin instead of the command line, where `ps` and shell
/// history would show it to other local users: `--field name=@FILE`, `--field name=@-`,
/// `note add --text-file FILE` or `--text -`. A script that passes values it did not write
/// must double a leading `@`, or a value like "@/home/ana/ana.key" would be read as a file.
enum ValueInput {
    /// The most a value read this way may hold (the daemon's largest request).
    static let maximumBytes = 1 << 20

    /// `@FILE` reads the file, `@-` stdin, `@@…` is a value that begins with one `@`;
    /// anything else is the value itself. `what` names the value in errors.
    static func resolve(_ raw: String, what: String, stdin: inout StdinUse) throws -> String {
        guard raw.hasPrefix("@") else { return raw }
        let rest = String(raw.dropFirst())
        if rest.hasPrefix("@") { return rest }
        if rest == "-" { return try stdin.take(for: what) }
        guard !rest.isEmpty else { throw ValidationError("\(what): '@' must be followed by a file name, '-' for stdin, or '@'") }
        return try read(file: rest, what: what)
    }

    /// The text of a regular file, without one trailing line break (editors add one).
    static func read(file path: String, what: String) throws -> String {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard type == .typeRegular, let handle = FileHandle(forReadingAtPath: path) else {
            throw HavenError(.ioError, "\(what): cannot read \(path)" + (type == nil || type == .typeRegular ? "" : " (not a regular file)"),
                             hint: "check the path and its permissions")
        }
        defer { try? handle.close() }
        do {
            return try text(try handle.read(upToCount: maximumBytes + 1), what: what, source: path)
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.ioError, "\(what): cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func text(_ data: Data?, what: String, source: String) throws -> String {
        let data = data ?? Data()
        guard data.count <= maximumBytes else {
            throw HavenError(.invalidValue, "\(what): \(source) holds more than \(maximumBytes) bytes")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw HavenError(.invalidValue, "\(what): \(source) is not UTF-8 text")
        }
        if text.hasSuffix("\r\n") { text.removeLast(1) } else if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// Stdin can be read once: the first value that asks for it gets it, a second is refused.
struct StdinUse {
    private var taker: String?

    mutating func take(for what: String) throws -> String {
        if let taker { throw ValidationError("\(what) and \(taker) both ask for stdin; give one of them as @FILE") }
        taker = what
        let data: Data?
        do {
            data = try FileHandle.standardInput.read(upToCount: ValueInput.maximumBytes + 1)
        } catch {
            throw HavenError(.ioError, "\(what): cannot read stdin: \(error.localizedDescription)")
        }
        return try ValueInput.text(data, what: what, source: "stdin")
    }
}
