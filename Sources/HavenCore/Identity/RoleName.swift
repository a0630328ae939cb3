/// The name of a role defined in `policy/roles.yaml` (`intake`, `counsellor`, `police` …).
public struct RoleName: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard NameRules.isValid(rawValue) else {
            throw HavenError(.invalidValue, "invalid role name '\(NameRules.printable(rawValue))'")
        }
        self.rawValue = rawValue
    }
}
