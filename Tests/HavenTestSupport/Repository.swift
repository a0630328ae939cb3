import Foundation

/// The repository the tests run from: its committed fixtures, scripts, policy and documents.
public enum Repository {
    /// The repository's root directory (this file is Tests/HavenTestSupport/Repository.swift).
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Tests/Fixtures: documents, archives and vaults made by earlier versions of Haven.
    public static let fixtures = root + "/Tests/Fixtures"

    /// A path inside the repository, from its root (`"policy"`, `"scripts/merkle-vectors.py"`).
    public static func path(_ relative: String) -> String { root + "/" + relative }
}
