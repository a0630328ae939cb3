import Foundation
import Glibc
import HavenCore
import Logging

/// Where archives wait (DATA/backups, 0700) until the administrator's client fetches them.
/// A waiting archive is a copy of the vault as it was: it is emptied at start and by every
/// erasure, so it never keeps a record erased since.
struct BackupSpool: Sendable {
    let path: String
    let logger: Logger

    init(_ directory: DataDirectory, logger: Logger) {
        path = directory.path + "/backups"
        self.logger = logger
    }

    /// Removes whatever waits: a snapshot left by a crash, or an archive never fetched.
    func empty() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path), !names.isEmpty else { return }
        for name in names { unlink(path + "/" + name) }
        logger.notice("removed backups left in the spool (never fetched, or interrupted)", metadata: ["files": "\(names.count)"])
    }

    /// The spool path of an archive name; anything but a name Haven gives is refused.
    func file(_ name: String) throws(HavenError) -> String {
        guard name.hasPrefix("backup-"), name.hasSuffix(".hvbk"), name.count < 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw HavenError(.invalidValue, "not a backup name")
        }
        return path + "/" + name
    }
}
