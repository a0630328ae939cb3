import HavenCore
import HavenCrypto
import HavenStore

/// Opens the values a record's statistics need, each under the version its sealed header
/// names (a field rolled back outside Haven fails here, as it does on a read).
enum StatisticsValues {
    static func open(_ names: Set<FieldName>, of header: RecordHeader, stored: [StoredField],
                     cipher: RecordCipher) throws(HavenError) -> [FieldName: String] {
        var out = [FieldName: String]()
        for field in stored {
            guard let name = try? FieldName(field.name), names.contains(name) else { continue }
            guard let version = header.fieldVersions[name] else { throw HavenError.integrity }
            let value = field.ciphertext.withUnsafeBytes { b in
                Result { () throws(CryptoError) -> PlaintextBuffer in try cipher.openField(name, version: version, box: b) }
            }
            guard case .success(let plain) = value else { throw HavenError.integrity }
            out[name] = plain.string()
        }
        for name in names where header.fieldVersions[name] != nil && out[name] == nil { throw HavenError.integrity }
        return out
    }
}
