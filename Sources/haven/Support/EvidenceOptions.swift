import ArgumentParser
import HavenCore
import HavenCrypto

/// `--evidence sha256:HEX` or `--evidence-file FORM`: consent evidence is a digest, never
/// text (`ConsentEvidence`). The form is hashed here, on the client; only its digest is sent.
struct EvidenceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The SHA-256 digest of the signed consent form, as sha256:<64 hex digits>.", valueName: "digest"))
    var evidence: String?

    @Option(help: ArgumentHelp("The signed consent form (a scan, a PDF): its SHA-256 digest is sent, never the file.",
                               valueName: "file"))
    var evidenceFile: String?

    func validate() throws {
        if evidence != nil && evidenceFile != nil {
            throw ValidationError("give --evidence or --evidence-file, not both")
        }
    }

    /// The digest to send, if any evidence was given.
    func digest() throws -> String? {
        guard let evidenceFile else { return evidence }
        let form = try KeyFiles.readSmallFile(evidenceFile, limit: 256 << 20)
        return ConsentEvidence.prefix + Hex.encode(SHA256.hash(form))
    }
}
