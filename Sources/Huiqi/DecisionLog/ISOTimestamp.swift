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
}
