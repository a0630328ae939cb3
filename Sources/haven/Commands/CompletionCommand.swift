import ArgumentParser

/// `haven completion bash|zsh|fish`: the shell completion script for every command and
/// option, generated from the same definitions as `--help` and the manual.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            bash: haven completion bash > /etc/bash_completion.d/haven; \
            zsh: haven completion zsh > "${fpath[1]}/_haven"; \
            fish: haven completion fish > ~/.config/fish/completions/haven.fish
            """)

    @Argument(help: "bash, zsh or fish.") var shell: String
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else { throw ValidationError("the shell must be bash, zsh or fish") }
    }

    func run() throws {
        let script = Haven.completionScript(for: CompletionShell(rawValue: shell)!)
        if output.json { Output.json(CompletionAnswer(shell: shell, script: script)); return }
        Output.line(script)
    }
}
