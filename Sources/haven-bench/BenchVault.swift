import Foundation
import HavenCore
import HavenCrypto
import HavenVault

/// A fresh vault for a benchmark run, made by the same code as `haven init`.
struct BenchVault {
    let root: String
    let directory: DataDirectory
    let adminKey: SigningKey?

    static func existing(in root: String) -> BenchVault {
        BenchVault(root: root, directory: DataDirectory(root + "/data"), adminKey: nil)
    }

    static func create(in root: String) throws -> BenchVault {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o700)
        let admin = SigningKey.generate()
        let directory = DataDirectory(root + "/data")
        _ = try VaultInitializer.create(directory: directory, adminKey: admin.publicKey, adminName: try UserName("admin"),
                                        adminRole: try RoleName("admin"), adminAgency: try AgencyName("haven"))
        return BenchVault(root: root, directory: directory, adminKey: admin)
    }
}
