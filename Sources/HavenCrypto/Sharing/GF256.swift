/// Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2),
/// the field Shamir's scheme splits the root key in, one byte at a time.
///
/// libsodium has no secret sharing, so this field is written here; it is the only
/// arithmetic Haven does on key material itself. Every operation runs the same
/// instructions whatever its operands (no table lookups indexed by a secret byte, no
/// branch on one), so the time it takes says nothing about a key.
enum GF256 {
    /// Addition and subtraction are both XOR.
    static func add(_ a: UInt8, _ b: UInt8) -> UInt8 { a ^ b }

    /// Multiplication: shift-and-add over the eight bits of `b`, reducing by the polynomial
    /// with a mask rather than a branch.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            let carry = 0 &- (a >> 7)
            a = (a << 1) ^ (0x1B & carry)
            b >>= 1
        }
        return product
    }

    /// The multiplicative inverse, a^254 (a^255 = 1 for every a ≠ 0), by a fixed chain of
    /// squarings and multiplications; 0 maps to 0, which callers never divide by.
    static func inverse(_ a: UInt8) -> UInt8 {
        // 254 = 0b11111110: square-and-multiply over a fixed exponent, the same steps for every a.
        var result: UInt8 = 1
        var power = a
        for bit in 0..<8 {
            let square = multiply(power, power)
            if (254 >> bit) & 1 == 1 { result = multiply(result, power) }  // depends on the exponent only
            power = square
        }
        return result
    }
}
