/// What `ProfileStream` yields for each record read: a valid profile or the reason it was rejected.
public enum ProfileRecord: Sendable, Equatable {
    case profile(Profile)
    case rejected(Reject)
}
