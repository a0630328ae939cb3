import ArgumentParser
import Foundation
import Glibc
import HavenCore
import HavenWeb

/// `haven-web invite NAME --keys DIR [--url BASE] [--valid-hours N] [--replace]`: a one-time
/// sign-up link for a person. The link alone is on stdout (a script can hand it on); the
/// line on stderr says until when it works and how to hand it over, since whoever opens it
/// first becomes NAME at this desk.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Make a one-time sign-up link for a person.",
        discussion: """
            Prints the link on stdout. Whoever opens it first chooses a passphrase and gets NAME's key at this desk, \
            so give it to the person by a channel only they read. It works once, for --valid-hours (24 by default, \
            at most 72). The page it leads to shows the public key to enrol with 'haven user add'.
            Exit status: 0 ok, 1 error, 2 bad input.
            """)

    @Argument(help: ArgumentHelp("The person's user name, as it is or will be enrolled in the vault.", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("The desk's keys directory (haven-web serve --keys).", valueName: "dir"))
    var keys: String
    @Option(help: ArgumentHelp("The desk's address as the person's browser reaches it.", valueName: "base"))
    var url: String = "http://127.0.0.1:8080"
    @Option(help: ArgumentHelp("Hours the link works (1 to 72).", valueName: "n"))
    var validHours: Int = 24
    @Flag(help: "Replace the key NAME has at this desk (a forgotten passphrase) once the link is used.")
    var replace = false

    func run() async throws {
        guard (1...72).contains(validHours) else {
            PeopleCommandFailure.exit(.invalidValue("--valid-hours must be 1 to 72"))
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        let scheme = ["https://", "http://"].first { base.hasPrefix($0) }
        guard let scheme, base.count > scheme.count, !base.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else {
            PeopleCommandFailure.exit(.invalidValue("--url must be the desk's address, such as https://desk.example.org"))
        }
        let made = Result { () throws(HavenError) -> (token: String, expiry: Timestamp?) in
            let people = try PeopleDirectory(path: keys)
            let token = try people.invite(name, validFor: validHours * 3600, replacing: replace)
            return (token, people.invitationExpiry(token: token))
        }
        switch made {
        case .failure(let error):
            PeopleCommandFailure.exit(error)
        case .success(let (token, expiry)):
            let until = expiry.map { "\($0.rfc3339.prefix(16).replacingOccurrences(of: "T", with: " ")) UTC" } ?? "\(validHours) hours from now"
            FileHandle.standardOutput.write(Data("\(base)/invite/\(token)\n".utf8))
            PeopleCommandFailure.say("the link works once, until \(until); give it to \(name) by a channel only they read")
        }
    }
}

/// How the people commands end on an error: one plain line on stderr, `haven-web: message
/// (hint: …)`, and status 2 for bad input or 1 for anything else.
enum PeopleCommandFailure {
    static func exit(_ error: HavenError) -> Never {
        say(error.description)
        Glibc.exit([.invalidValue, .badRequest].contains(error.code) ? 2 : 1)
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data("haven-web: \(line)\n".utf8))
    }
}
