import CSodium

/// Zeroes memory in a way the compiler may not optimise away (`sodium_memzero`).
public func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    sodium_memzero(base, buffer.count)
}
