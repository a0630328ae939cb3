import ArgumentParser

/// `haven-web [serve] --socket S --listen ADDR:PORT [--tls-cert F --tls-key F] --keys DIR --policy DIR`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the desk.")

    func run() async throws {}
}
