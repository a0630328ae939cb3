import ArgumentParser
import HavenCore

/// The subcommand a command line names, found before ArgumentParser parses it.
///
/// Two things need it: a mistyped subcommand must be reported as one (ArgumentParser
/// would complain of the first option it cannot place, often `--key`, which the global
/// options or a wrapper added after it), and every usage mistake points to the `--help`
/// of the command it was made in.
struct CommandPath {
    /// The command names from the root, e.g. ["haven", "record", "get"].
    var names: [String]
    /// Whether the last name is a command that runs (it has no subcommands of its own).
    var isLeaf: Bool
    /// The command the last name names.
    var command: any ParsableCommand.Type = Haven.self

    /// Where "see '… --help'" sends the user.
    var helpHint: String { "see '\(names.joined(separator: " ")) --help'" }

    /// Follows the leading words of `arguments` down the command tree. A word in a
    /// subcommand's place that names none is a `UsageMistake`, with the closest names.
    static func resolve(_ arguments: [String], root: any ParsableCommand.Type) throws(UsageMistake) -> CommandPath {
        var command = root
        var path = CommandPath(names: [root._commandName], isLeaf: root.configuration.subcommands.isEmpty, command: root)
        for word in arguments {
            let subcommands = command.configuration.subcommands
            // Options, or the words of a command that runs: the parser's to judge.
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { break }
            // ArgumentParser's own `help` word, left to it.
            if word == "help" { break }
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                let names = subcommands.map { $0._commandName }
                let close = CloseMatches.of(word, among: names)
                let shown = NameRules.printable(word)
                throw UsageMistake(message: "unknown command '\(shown)'"
                                       + (close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"),
                                   hint: path.helpHint)
            }
            command = next
            path.command = next
            path.names.append(next._commandName)
            path.isLeaf = next.configuration.subcommands.isEmpty
        }
        return path
    }
}

/// A mistake in the command line itself: exit status 2, `haven: usage: …` on one line.
struct UsageMistake: Error {
    let message: String
    let hint: String?
}
