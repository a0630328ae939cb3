// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Haven",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The browser desk's HTTP and TLS front (haven-web only; the daemon and the CLI never link it).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // HTTPTypes: the header names and fields Hummingbird's requests and responses carry.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "CHavenSystem"),
        // System calls retried on EINTR and failing with the call's name (Glibc only).
        .target(name: "HavenSystem", dependencies: ["CHavenSystem"], swiftSettings: strict),
        .target(name: "HavenProcess", dependencies: ["CHavenSystem", "HavenSystem"], swiftSettings: strict),
        .target(name: "HavenCore", swiftSettings: strict),
        .target(name: "HavenCrypto", dependencies: ["CSodium", "HavenCore", "HavenSystem"], exclude: ["FORMAT.md"], swiftSettings: strict),
        .target(name: "HavenStore", dependencies: ["CSQLite", "HavenCore"], exclude: ["FORMAT.md"], swiftSettings: strict),
        .target(name: "HavenPolicy", dependencies: ["HavenCore", "HavenCrypto", "HavenStats", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "HavenAudit", dependencies: ["HavenCore", "HavenCrypto"], exclude: ["FORMAT.md"], swiftSettings: strict),
        .target(name: "HavenExtract", dependencies: ["HavenCore", "HavenCrypto", "HavenAudit"], exclude: ["FORMAT.md"],
                swiftSettings: strict),
        .target(name: "HavenSearch", dependencies: ["HavenCore"], exclude: ["NAMES.md"], swiftSettings: strict),
        // Statistics safe to publish: small-cell and complementary suppression (pure).
        .target(name: "HavenStats", dependencies: ["HavenCore"], exclude: ["METHOD.md"], swiftSettings: strict),
        .target(name: "HavenBackup", dependencies: ["HavenCore", "HavenCrypto", "HavenAudit", "HavenSystem"], exclude: ["FORMAT.md"],
                swiftSettings: strict),
        // What haven and havend share on the command line: the init and restore options, the passphrase prompt.
        .target(name: "HavenCommandLine", dependencies: [
            "CHavenSystem", "HavenCore", "HavenSystem", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .target(name: "HavenAPI", dependencies: ["HavenCore", "HavenAudit", "HavenStats"], exclude: ["AUTHENTICATION.md"], swiftSettings: strict),
        .target(name: "HavenVault", dependencies: [
            "HavenCore", "HavenCrypto", "HavenStore", "HavenPolicy", "HavenAudit", "HavenAPI", "HavenExtract", "HavenBackup", "HavenStats",
            "HavenSearch", "HavenSystem",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "HavenClient", dependencies: [
            // HavenProcess: the ssh child of a bridge (`--host ssh://…`); HavenSystem: dial-stdio's relay.
            "HavenCore", "HavenCrypto", "HavenAPI", "HavenProcess", "HavenSystem",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        .target(name: "HavenServer", dependencies: [
            "HavenCore", "HavenCrypto", "HavenVault", "HavenAPI",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["openapi.yaml", "JSON-OUTPUT.md"], swiftSettings: strict),

        // The browser desk's pure half: HTML that escapes by construction, the desk's words in
        // English, Lao and Vietnamese (.po files), forms from the schema, the checks a request passes.
        .target(name: "HavenDesk", dependencies: ["HavenCore", "HavenAPI", "HavenPolicy"], resources: [.copy("Translations")], swiftSettings: strict),
        // The browser desk's I/O half: a client of havend (never of the store) behind Hummingbird.
        .target(name: "HavenWeb", dependencies: [
            "HavenCore", "HavenCrypto", "HavenAPI", "HavenClient", "HavenPolicy", "HavenDesk", "HavenSystem",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], exclude: ["WEB-SECURITY.md"], resources: [.copy("Static")], swiftSettings: strict),

        .executableTarget(name: "havend", dependencies: [
            "CHavenSystem", "HavenCore", "HavenCrypto", "HavenPolicy", "HavenVault", "HavenServer", "HavenCommandLine", "HavenBackup", "HavenSystem",
            // HavenStore: `havend share-status` reads vault_meta, read-only, to say which share set is in force.
            "HavenStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], exclude: ["systemd"], swiftSettings: strict),
        // The client: no HavenVault, HavenStore or SQLite (`haven init` runs `havend init`).
        .executableTarget(name: "haven", dependencies: [
            "CHavenSystem", "HavenCore", "HavenCrypto", "HavenPolicy", "HavenAPI", "HavenClient", "HavenAudit", "HavenExtract", "HavenCommandLine", "HavenStats",
            "HavenBackup", "HavenSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // HavenClient's requests take NIOHTTP1's HTTPMethod (`haven api`).
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        // The browser desk: a thin main over HavenWeb (serve, invite).
        .executableTarget(name: "haven-web", dependencies: [
            "HavenCore", "HavenWeb", "HavenDesk", "HavenPolicy", "HavenSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "haven-bench", dependencies: [
            "HavenCore", "HavenCrypto", "HavenVault", "HavenAudit", "HavenStore", "HavenPolicy", "HavenClient", "HavenAPI", "HavenStats",
            "HavenProcess", "HavenSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),

        // The test kit: the repository's paths, temporary directories, the vector scripts, fixed
        // key material, the real binaries run as a user meets them, and test vaults. Never the
        // vault or server modules: a test of those links them itself.
        .target(name: "HavenTestSupport", dependencies: ["HavenCore", "HavenCrypto", "HavenProcess"], path: "Tests/HavenTestSupport",
                swiftSettings: strict),
        .testTarget(name: "HavenCoreTests", dependencies: ["HavenCore"], swiftSettings: strict),
        .testTarget(name: "HavenSystemTests", dependencies: ["HavenSystem"], swiftSettings: strict),
        .testTarget(name: "HavenProcessTests", dependencies: ["HavenProcess", "HavenTestSupport"], swiftSettings: strict),
        .testTarget(name: "HavenCryptoTests", dependencies: ["HavenCrypto", "HavenCore", "HavenTestSupport"], swiftSettings: strict),
        .testTarget(name: "HavenAuditTests", dependencies: ["HavenAudit", "HavenCore", "HavenCrypto", "HavenTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "HavenExtractTests", dependencies: ["HavenExtract", "HavenAudit", "HavenCore", "HavenCrypto"],
                    swiftSettings: strict),
        .testTarget(name: "HavenSearchTests", dependencies: ["HavenSearch"], swiftSettings: strict),
        .testTarget(name: "HavenStatsTests", dependencies: ["HavenStats", "HavenCore", "HavenTestSupport"], swiftSettings: strict),
        .testTarget(name: "HavenBackupTests", dependencies: ["HavenBackup", "HavenAudit", "HavenCore", "HavenCrypto", "HavenTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "HavenStoreTests", dependencies: ["HavenStore", "HavenCore", "HavenTestSupport"], swiftSettings: strict),
        .testTarget(name: "HavenVaultTests", dependencies: [
            "HavenVault", "HavenCore", "HavenCrypto", "HavenStore", "HavenAPI", "HavenStats", "HavenPolicy", "HavenAudit", "HavenExtract",
            "HavenSearch", "HavenTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "HavenPolicyTests", dependencies: ["HavenPolicy", "HavenCore", "HavenStats", "HavenTestSupport"], swiftSettings: strict),
        .testTarget(name: "HavenDeskTests", dependencies: ["HavenDesk", "HavenCore", "HavenAPI", "HavenPolicy", "HavenTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "HavenWebTests", dependencies: [
            "HavenWeb", "HavenDesk", "HavenCore", "HavenCrypto", "HavenAPI", "HavenPolicy", "HavenTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "HavenClientTests", dependencies: ["HavenClient", "HavenCore", "HavenAPI"], swiftSettings: strict),
        .testTarget(name: "HavenServerTests", dependencies: [
            "HavenServer", "HavenAPI", "HavenCore", "HavenCrypto", "HavenVault", "HavenTestSupport", .product(name: "Yams", package: "Yams"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "HavenEndToEndTests", dependencies: [
            "havend", "haven", "haven-bench", "haven-web", "HavenWeb", "HavenDesk", "HavenPolicy", "HavenCore", "HavenCrypto", "HavenAPI", "HavenClient", "HavenStore", "HavenAudit",
            "HavenProcess", "HavenVault", "HavenServer", "HavenStats", "HavenTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
