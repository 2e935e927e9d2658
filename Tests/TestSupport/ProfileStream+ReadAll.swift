import Huiqi

extension ProfileStream {
    /// Every record left in the stream, split into the profiles read and the rows rejected.
    public mutating func readAll() throws -> (profiles: [Profile], rejects: [Reject]) {
        var profiles: [Profile] = []
        var rejects: [Reject] = []
        while let record = try next() {
            switch record {
            case .profile(let profile): profiles.append(profile)
            case .rejected(let reject): rejects.append(reject)
            }
        }
        return (profiles, rejects)
    }
}
