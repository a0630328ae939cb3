import ArgumentParser
import HavenWeb

// A minimal stand-in; the people files' own command replaces this file whole.

/// `haven-web invite NAME --keys DIR --url BASE`: a one-time link, valid for a day.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invite", abstract: "Make a one-time sign-up link for a person.")

    @Argument var name: String
    @Option var keys: String
    @Option var url: String = "http://127.0.0.1:8080"

    func run() async throws {
        let token = try PeopleDirectory(path: keys).invite(name)
        print("\(url)/invite/\(token)")
    }
}
