import HavenCore

/// Seals a year's published statistics (HavenStats `YearRelease`) under a key of its own,
/// derived from the root key (`KeyPurpose.statisticsRelease`), so that the release the
/// vault stores is the one it computed and every later query of that year is answered
/// from it unchanged.
///
/// What the associated data binds, and why:
/// - the domain `haven/statistics-release/v1`, which names the release's format: a box of
///   another kind (a record's statistics, a field) never opens as a release, and a release
///   of a later format is never read as this one;
/// - the vault id: a release copied from another vault's file (another site's, with counts
///   of other survivors) does not open here;
/// - the year: a release moved to another year's row (so that 2025's numbers answer for
///   2024, or a year is answered by the release of one whose consents differ) does not open.
/// The box's key-version byte is authenticated too (`SealedBox`). Any edit of the box is
/// an authentication failure: the vault then answers `integrity_error`, never numbers, and
/// never computes the year again. The key changes with the root key; a rotation seals
/// every release again under the new one.
public struct ReleaseSeal: Sendable {
    public let vault: VaultID
    fileprivate let key: SecureBytes

    public static let domain = "haven/statistics-release/v1"

    public init(vault: VaultID, rootKey: RootKey) {
        self.vault = vault
        self.key = rootKey.derive(.statisticsRelease, version: 1)
    }

    public func seal(_ encoded: [UInt8], year: Int) -> [UInt8] {
        SealedBox.seal(encoded, key: key, keyVersion: 1, associatedData: ad(year: year))
    }

    /// With a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func seal(_ encoded: [UInt8], year: Int, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(encoded, key: key, keyVersion: 1, associatedData: ad(year: year), fixedNonce: fixedNonce)
    }

    /// The release bytes of `year`'s box, or `authenticationFailure` for a box of another
    /// vault, year or format, under another key, or changed in any byte.
    public func open(_ box: [UInt8], year: Int) throws(CryptoError) -> [UInt8] {
        let plain = try SealedBox.open(box, key: key, expectedKeyVersion: 1, associatedData: ad(year: year))
        return plain.withUnsafeBytes { Array($0) }
    }

    private func ad(year: Int) -> AssociatedData {
        var ad = AssociatedData(domain: Self.domain)
        ad.string(vault.rawValue)
        ad.uint32(UInt32(clamping: year))
        return ad
    }
}
