/// What `ProfileStream` yields for each record read: a valid profile or the reason it was rejected.
public enum ProfileRecord: Sendable, Equatable {
    case profile(Profile)
    case rejected(Reject)
}

extension ProfileRecord {
    /// The row's credit code as read (a profile's, coerced; a reject's, normalised when it had
    /// one), or nil. `codeIndex`: the credit-code field's index in the schema.
    public func creditCode(at codeIndex: Int?) -> String? {
        switch self {
        case .profile(let profile):
            guard let codeIndex, case .string(let code)? = profile.values[codeIndex] else { return nil }
            return code
        case .rejected(let reject):
            return reject.creditCode
        }
    }
}
