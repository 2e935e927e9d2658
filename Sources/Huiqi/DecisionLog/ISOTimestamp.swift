import Foundation

/// Timestamps as the log writes them: ISO-8601 in UTC, to the second (`2025-06-01T08:30:00Z`).
public enum ISOTimestamp {
    public static func now() -> String { string(from: Date()) }

    public static func string(from date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A stored timestamp as people read it: in the machine's time zone (Beijing time on the
    /// district's machines), with its offset, `2025-06-02 16:00:00 +08:00`. The log keeps UTC;
    /// shown as UTC, a review made at 7:00 in Bao'an read as the day before (reviewer review).
    /// Text that is not a stored timestamp is returned as it is.
    public static func local(_ iso: String, in zone: TimeZone = .current) -> String {
        // Formatters made once (code review: two per call made a CSV export of reviewed decisions
        // 14× slower); Foundation's formatters are not thread-safe, hence the lock.
        formatterLock.lock()
        defer { formatterLock.unlock() }
        // Remembered: parsing took about 100 µs (ICU), and an export shows the same few review
        // times on many rows (`review --from` gives all its reviews one; 7,164 reviewed rows of a
        // 1M-business log's export spent 0.7 s here).
        let key = LocalKey(iso: iso, zone: zone)
        if let known = localTexts[key] { return known }
        let text: String
        if let date = parser.date(from: iso) {
            if localFormatter.timeZone != zone { localFormatter.timeZone = zone }
            text = localFormatter.string(from: date)
        } else {
            text = iso
        }
        if localTexts.count >= 10_000 { localTexts.removeAll(keepingCapacity: true) }
        localTexts[key] = text
        return text
    }

    private struct LocalKey: Hashable {
        var iso: String
        var zone: TimeZone
    }

    nonisolated(unsafe) private static var localTexts: [LocalKey: String] = [:]

    private static let formatterLock = NSLock()
    nonisolated(unsafe) private static let parser: ISO8601DateFormatter = {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        return parser
    }()
    private static let localFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return formatter
    }()
}
