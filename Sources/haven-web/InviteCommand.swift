import ArgumentParser

/// `haven-web invite NAME --keys DIR --url BASE`: a one-time link, valid for a day.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invite", abstract: "Make a one-time sign-up link for a person.")

    func run() async throws {}
}
