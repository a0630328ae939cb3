import ArgumentParser

/// The browser desk: `haven-web` serves it; `haven-web invite NAME` makes a one-time link.
@main
struct HavenWebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "haven-web", abstract: "The browser desk for Haven: a client of havend.")

    func run() async throws {}
}
