/// `POST /v1/users/{name}/unlock`: the user's lockouts lifted.
public struct UnlockUserResponse: Codable, Sendable, Equatable {
    public let user: String
    /// The key whose failed authentications were forgotten (the user's enrolled key).
    public let keyID: String
    /// Lockouts that were in force, one per peer uid that had failed with the key.
    public let lockoutsLifted: Int

    public init(user: String, keyID: String, lockoutsLifted: Int) {
        self.user = user
        self.keyID = keyID
        self.lockoutsLifted = lockoutsLifted
    }

    enum CodingKeys: String, CodingKey {
        case user
        case keyID = "key_id"
        case lockoutsLifted = "lockouts_lifted"
    }
}
