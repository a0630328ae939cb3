import ArgumentParser

/// What a find, or an auditor's question about finds, searches by: `--name`, `--phone` and
/// `--dob`, each as typed or read from @FILE or @- (ValueInput), so that a survivor's name
/// need not stand on a command line.
struct SearchedValues {
    let name: String?
    let phone: String?
    let dob: String?

    /// Nothing to search by is a usage error, before anything is read or sent.
    static func validate(name: String?, phone: String?, dob: String?) throws {
        if name == nil && phone == nil && dob == nil { throw ValidationError("give --name, --phone or --dob (or several)") }
    }

    /// The values, each resolved; stdin serves one of them at most.
    init(name: String?, phone: String?, dob: String?) throws {
        var stdin = StdinUse()
        self.name = try name.map { try ValueInput.resolve($0, what: "--name", stdin: &stdin) }
        self.phone = try phone.map { try ValueInput.resolve($0, what: "--phone", stdin: &stdin) }
        self.dob = try dob.map { try ValueInput.resolve($0, what: "--dob", stdin: &stdin) }
    }
}
