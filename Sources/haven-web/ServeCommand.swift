import ArgumentParser
import Foundation
import HavenCore
import HavenDesk
import HavenPolicy
import HavenSystem
import HavenWeb
import Logging

/// `haven-web [serve] --socket S --listen ADDR:PORT [--tls-cert F --tls-key F] --keys DIR --policy DIR`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the desk.")

    @Option(help: ArgumentHelp("havend's socket.", valueName: "path")) var socket: String
    @Option(help: ArgumentHelp("Address and port to listen on; plain HTTP only on a loopback address.", valueName: "addr:port"))
    var listen: String
    @Option(help: ArgumentHelp("The desk's directory of sealed keys and invitations.", valueName: "dir")) var keys: String
    @Option(help: ArgumentHelp("The policy directory (the same as havend's).", valueName: "dir")) var policy: String = "/etc/haven/policy"
    @Option(help: ArgumentHelp("The desk's public base URL, when reached through a proxy or forward.", valueName: "base")) var url: String?
    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "file")) var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("TLS private key (PEM).", valueName: "file")) var tlsKey: String?
    @Option(name: .customLong("idle-warning"), help: ArgumentHelp("Seconds without input before the idle warning.", valueName: "seconds"))
    var idleWarning: Int = 900
    @Option(name: .customLong("idle-lock"), help: ArgumentHelp("Seconds without input before the desk locks.", valueName: "seconds"))
    var idleLock: Int = 1200
    @Option(name: .customLong("font-dir"), help: ArgumentHelp("Where the Lao fonts are looked for.", valueName: "dir"))
    var fontDir: String = "/usr/share/fonts/truetype"
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"

    func run() async throws {
        // First: passphrases, request bodies and rendered pages pass through this process.
        do { try ProcessHardening.apply() } catch { Self.fail("cannot keep the process out of core dumps and debuggers (\(error))", exit: 1) }
        guard let address = ListenAddress(listen) else { Self.fail("--listen must be ADDR:PORT (for example 127.0.0.1:8080)", exit: 2) }
        if (tlsCert == nil) != (tlsKey == nil) { Self.fail("--tls-cert and --tls-key go together", exit: 2) }
        if tlsCert == nil && !address.isLoopback {
            Self.fail("plain HTTP is served only on a loopback address; for \(address.host) give --tls-cert and --tls-key", exit: 2)
        }
        guard idleWarning > 0, idleLock > idleWarning else { Self.fail("--idle-lock must be longer than --idle-warning (both in seconds)", exit: 2) }
        if let url, url.range(of: "://") == nil { Self.fail("--url must be a base URL such as https://desk.example.org", exit: 2) }

        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "haven-web")
        let front: DeskFront
        do throws(HavenError) {
            let loaded = try PolicyDirectory.load(policy)
            let catalog = try Catalog.bundled()
            let configuration = FrontConfiguration(socketPath: socket, listen: address, keysDirectory: keys, policy: loaded, catalog: catalog,
                                                   publicURL: url, tls: tlsCert != nil, idleWarningSeconds: idleWarning,
                                                   idleLockSeconds: idleLock, fontDirectory: fontDir)
            front = try DeskFront(configuration: configuration, logger: logger)
        } catch {
            Self.fail(error.message + (error.hint.map { " (\($0))" } ?? ""), exit: 1)
        }
        do {
            try await DeskServer.run(front: front, tlsCertificate: tlsCert, tlsKey: tlsKey, logger: logger)
        } catch {
            await front.closeAll()
            Self.fail("\(error)", exit: 1)
        }
    }

    static func fail(_ message: String, exit code: Int32) -> Never {
        FileHandle.standardError.write(Data("haven-web: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
