import ArgumentParser
import HavenCore
import HavenWeb

/// `haven-web forget NAME --keys DIR`: removes a person's sealed key, language and pending
/// invitations from this desk. Their enrolment in the vault is havend's, and stays until an
/// administrator revokes it, which the line printed says.
struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget", abstract: "Remove a person's key and invitations from this desk.",
        discussion: """
            The person can no longer sign in at this desk; a new invitation gives them a new key. \
            Their enrolment in the vault stays: revoke it with 'haven user revoke NAME'.
            Exit status: 0 ok, 1 error (no such person, a directory Haven refuses), 2 bad input.
            """)

    @Argument(help: ArgumentHelp("The person's user name.", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("The desk's keys directory (haven-web serve --keys).", valueName: "dir"))
    var keys: String

    func run() async throws {
        let forgotten = Result { () throws(HavenError) in try PeopleDirectory(path: keys).forget(name) }
        if case .failure(let error) = forgotten { PeopleCommandFailure.exit(error) }
        PeopleCommandFailure.say("\(name) can no longer sign in at this desk; their enrolment in the vault stays "
                                     + "until 'haven user revoke \(name)'")
    }
}
