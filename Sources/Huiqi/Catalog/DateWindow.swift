/// The dates a service is in force, both ends inclusive and each optional (open-ended).
///
/// Bounds are validated ISO `YYYY-MM-DD` strings, so `contains` compares strings.
public struct DateWindow: Sendable, Equatable {
    public var from: String?
    public var to: String?

    public init(from: String? = nil, to: String? = nil) {
        self.from = from
        self.to = to
    }

    /// The window that is always open.
    public static let always = DateWindow()

    /// Whether `isoDate` (a valid `YYYY-MM-DD`) falls inside the window, ends included.
    public func contains(_ isoDate: String) -> Bool {
        if let from, isoDate < from { return false }
        if let to, isoDate > to { return false }
        return true
    }

    /// `2024-09-30 ~ 2029-09-29`, `2024-09-30 起`, `至 2029-09-29`, or `长期` when open at both ends.
    public var displayText: String {
        switch (from, to) {
        case let (f?, t?): return "\(f) ~ \(t)"
        case let (f?, nil): return "\(f) 起"
        case let (nil, t?): return "至 \(t)"
        case (nil, nil): return "长期"
        }
    }
}
