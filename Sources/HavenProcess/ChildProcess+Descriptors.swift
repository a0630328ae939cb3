import Glibc

extension ChildProcess {
    /// Starts `executable` with its standard input, output and error on descriptors of ours
    /// (pipe ends, typically), which the caller still owns and should close once started.
    /// As with the other starts, the child gets no other descriptor of ours and every signal
    /// at its default with nothing blocked: a caller that ignores SIGPIPE (writing to a pipe
    /// must not kill it) does not pass that on to the child.
    public convenience init(_ executable: String, _ arguments: [String], environment: [String: String],
                            stdin: Int32, stdout: Int32, stderr: Int32) throws(ChildProcessError) {
        try self.init(executable, arguments, environment: environment, session: false) { actions in
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
                | posix_spawn_file_actions_adddup2(&actions, stdout, 1)
                | posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        }
    }
}
