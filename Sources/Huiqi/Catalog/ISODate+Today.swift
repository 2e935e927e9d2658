import Foundation

extension ISODate {
    /// Today's date in the machine's time zone, as `YYYY-MM-DD` (the default as-of date; rules
    /// themselves never read the clock).
    public static func today() -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
