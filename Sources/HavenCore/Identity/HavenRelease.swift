/// This release and the formats it reads, as `haven --version` and `havend --version` say.
public enum HavenRelease {
    public static let version = "0.23.0"

    /// The stored and exchanged formats this release opens (each format's document says more).
    public static let formats = "vault schema 1-11, record header formats 1-3, blind index formats 1-3 (1 and 2 rebuilt as 3),"
        + " statistics release v1, root share set 1-2, root shares plain or sealed to a custodian, anchored mark v1,"
        + " recovery journal v1 (and the erasure list before it), audit export v1, extract haven-extract-v1 and -v2 (with a case number),"
        + " browser desk person key seal v1"

    /// `NAME VERSION (reads …)`.
    public static func versionLine(_ name: String) -> String {
        "\(name) \(version) (reads \(formats))"
    }
}
