import HavenCore
import HavenCrypto

extension Array where Element == UInt8 {
    /// Bytes written as hex in a test vector; whitespace between them is ignored. Anything
    /// else traps: a typing error in a vector is a bug of the test, not a case to handle.
    public init(hex: String) {
        guard let bytes = Hex.decode(hex.filter { !$0.isWhitespace }) else { preconditionFailure("not hex: \(hex)") }
        self = bytes
    }
}

extension SecureBytes {
    /// Guarded memory holding bytes a test fixes (a vector's key, a known seed, a passphrase).
    public convenience init(copying bytes: [UInt8]) {
        try! self.init(count: bytes.count) { $0.copyBytes(from: bytes) }
    }

    /// Key material written as hex in a test vector.
    public convenience init(hex: String) {
        self.init(copying: [UInt8](hex: hex))
    }

    /// A passphrase's UTF-8 bytes.
    public convenience init(utf8 text: String) {
        self.init(copying: Array(text.utf8))
    }
}
