import HavenClient
import Testing

/// What an account pinned to `haven dial-stdio` accepts in SSH_ORIGINAL_COMMAND: the
/// bridge's own request, and nothing else.
@Suite struct ForcedCommandTests {
    @Test(arguments: [nil, "haven dial-stdio", "/usr/local/bin/haven dial-stdio", "/opt/haven/bin/haven dial-stdio"] as [String?])
    func theBridgesRequestIsAllowed(_ original: String?) {
        #expect(ForcedCommand.allows(original))
    }

    @Test(arguments: [
        "", "whoami", "cat /etc/passwd", "haven", "haven status", "haven dial-stdio --socket /tmp/other.sock",
        "haven dial-stdio; id", "haven  dial-stdio", " haven dial-stdio", "haven dial-stdio ", "sh -c haven dial-stdio",
        "havenx dial-stdio", "/tmp/evil/haven-x dial-stdio", "relative/haven dial-stdio", "/x y/haven dial-stdio",
        "haven dial-stdio\nid", "HAVEN dial-stdio",
    ])
    func anythingElseIsRefused(_ original: String) {
        #expect(!ForcedCommand.allows(original))
    }
}
