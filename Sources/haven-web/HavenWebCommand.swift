import ArgumentParser

/// The browser desk: `haven-web` (serve) runs it; `haven-web invite NAME` makes a one-time link.
@main
struct HavenWebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haven-web", abstract: "The browser desk for Haven: a client of havend, acting only as the signed-in person.",
        subcommands: [ServeCommand.self, InviteCommand.self, ForgetCommand.self], defaultSubcommand: ServeCommand.self)
}
