import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// `haven init`: creates a vault — data directory, root key, vault signing key, schema,
/// the first administrator — and opens its audit log with the ceremony itself.
public enum VaultInitializer {
    public struct Created: Sendable {
        public let vaultID: VaultID
        public let vaultPublicKey: PublicKey
        public let directory: DataDirectory
        /// How the root key is kept, and the share files written for `--seal shares`.
        public let seal: SealMode
        public let shareFiles: [String]
    }

    public static func create(directory: DataDirectory, adminKey: PublicKey, adminName: UserName,
                              adminRole: RoleName, adminAgency: AgencyName, seal: RootKeyCustody.Seal = .file,
                              clock: any HavenClock = SystemClock()) throws -> Created {
        // Files are created owner-only from the first byte; no chmod window.
        let previous = umask(0o077)
        defer { umask(previous) }
        try makeEmptyDirectory(directory.path)

        let root = RootKey.generate()
        let vaultID = VaultID(bytes: Random.bytes(16))
        let shareFiles = try RootKeyCustody.write(root, vault: vaultID, seal: seal, directory: directory)
        let signer = SigningKey.generate()
        let now = clock.now()
        let admin = EnrolledUser(name: adminName, role: adminRole, agency: adminAgency, publicKey: adminKey.bytes,
                                 uid: nil, createdAt: now, createdBy: adminName)

        let db = try Database.open(path: directory.databasePath, create: true)
        try Database.migrate(db)
        let keys = VaultKeys(vaultID: vaultID, rootKey: root, signingKey: signer)
        try db.transaction {
            let meta = VaultMeta(vaultID: vaultID, vaultPublicKey: signer.publicKey.bytes,
                                 sealedSigningKey: SigningKeySeal.seal(signer, vault: vaultID, rootKey: root), createdAt: now)
            try VaultMetaTable.write(meta, on: db)
            try UserTable.insert(admin, on: db)
            // Each entry commits to the state of the row it wrote, as every later change does.
            var chain = AuditChain()
            var detail = ["vault": vaultID.rawValue, "vault_key_id": signer.publicKey.keyID]
            // The custodians on record: a share set later rewritten without them is refused (ShareSetHistory).
            if case .shares(let threshold, let count, _, let custodians) = seal {
                detail["shares"] = "\(threshold) of \(count)"
                detail["custodians"] = custodians.map(\.keyID).joined(separator: ",")
            }
            try AuditAppender.append(AuditEvent(
                action: "vault.init", actor: actor(admin), decision: .allow, rule: "vault created by haven init",
                detail: detail), to: &chain, at: now,
                state: (.vaultMeta, keys.rows.vaultMeta(meta)), tags: keys.entries, on: db)
            try AuditAppender.append(AuditEvent(
                action: "user.add", actor: actor(admin), decision: .allow, rule: "first administrator, enrolled at init",
                detail: ["user": adminName.rawValue, "role": adminRole.rawValue, "agency": adminAgency.rawValue,
                         "key_id": adminKey.keyID]), to: &chain, at: now,
                state: (.user(adminName), keys.rows.user(admin)), tags: keys.entries, on: db)
            _ = try AuditAppender.checkpoint(chain, vault: vaultID, key: signer, at: now, on: db)
        }
        let pub = Array(KeyFileFormat.encodePublic(signer.publicKey).utf8)
        try pub.withUnsafeBytes { try KeyFiles.create(path: directory.vaultPublicKeyPath, contents: $0, mode: 0o644) }
        return Created(vaultID: vaultID, vaultPublicKey: signer.publicKey, directory: directory, seal: directory.sealMode,
                       shareFiles: shareFiles)
    }

    static func actor(_ u: EnrolledUser) -> AuditEvent.Actor {
        AuditEvent.Actor(user: u.name.rawValue, role: u.role.rawValue, agency: u.agency.rawValue)
    }

    /// Creates the directory 0700, or accepts an existing empty one (tightened to 0700).
    public static func makeEmptyDirectory(_ path: String) throws {
        if mkdir(path, 0o700) == 0 { return }
        guard errno == EEXIST else {
            throw HavenError(.ioError, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard let dir = opendir(path) else {
            throw HavenError(.ioError, "\(path) exists and is not a readable directory")
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." {
                throw HavenError(.ioError, "\(path) is not empty", hint: "haven init creates a new vault in an empty directory")
            }
        }
        guard chmod(path, 0o700) == 0 else {
            throw HavenError(.ioError, "cannot set \(path) to mode 0700: \(String(cString: strerror(errno)))")
        }
    }
}
