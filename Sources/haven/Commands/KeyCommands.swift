import ArgumentParser
import HavenCore
import HavenCrypto

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Manage your own keys.",
                                                    subcommands: [KeyGenerate.self])
}

/// `haven key generate --out FILE`: a new Ed25519 key pair, FILE (0600) and FILE.pub.
struct KeyGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate an Ed25519 key pair.")

    @Option(help: ArgumentHelp("Private key file to create (mode 0600); the public key goes to FILE.pub.", valueName: "file"))
    var out: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = SigningKey.generate()
        let secret = key.seed().withUnsafeBytes { KeyFileFormat.encode(kind: .ed25519Secret, key: $0) }
        try secret.withUnsafeBytes { try KeyFiles.create(path: out, contents: $0, mode: 0o600) }
        let pub = Array(KeyFileFormat.encodePublic(key.publicKey).utf8)
        try pub.withUnsafeBytes { try KeyFiles.create(path: out + ".pub", contents: $0, mode: 0o644) }
        if output.json {
            Output.json(KeyGenerated(privateKey: out, publicKey: out + ".pub", keyID: key.publicKey.keyID))
            return
        }
        Output.line("wrote \(out) (private, mode 0600) and \(out).pub; key id \(key.publicKey.keyID)")
    }
}
