/// A calendar date (proleptic Gregorian, no time zone) read from and written as ISO `YYYY-MM-DD`.
///
/// Dates travel through huiqi as ISO strings: catalog windows, dated params, profile dates and the
/// run's as-of date. Once a string has been validated here, plain string comparison orders it
/// correctly, so hot paths compare strings and never build a `Date` or a `DateFormatter`.
///
///     ISODate("2024-02-29")?.description      // "2024-02-29"
///     ISODate("2023-02-29")                    // nil: not a real day
///     ISODate.normalize("2019/3/7")            // "2019-03-07"
///     ISODate.normalize("2018年5月1日")         // "2018-05-01"
///     ISODate.normalize("20180501 00:00:00")   // "2018-05-01"
public struct ISODate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date from its parts, or nil when they do not name a real day in years 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= ISODate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses strict ISO `YYYY-MM-DD` (exactly 10 characters); nil when malformed or not a real day.
    public init?(_ text: some StringProtocol) {
        var parts = (0, 0, 0)
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 0...3: guard let d = ISODate.digit(byte) else { return nil }; parts.0 = parts.0 * 10 + d
            case 5, 6: guard let d = ISODate.digit(byte) else { return nil }; parts.1 = parts.1 * 10 + d
            case 8, 9: guard let d = ISODate.digit(byte) else { return nil }; parts.2 = parts.2 * 10 + d
            case 4, 7: guard byte == UInt8(ascii: "-") else { return nil }
            default: return nil
            }
            count += 1
        }
        guard count == 10 else { return nil }
        self.init(year: parts.0, month: parts.1, day: parts.2)
    }

    /// Whether `text` is a strict ISO date naming a real day (`2023-02-30` is not).
    public static func isValid(_ text: some StringProtocol) -> Bool { ISODate(text) != nil }

    /// Whether `text` has the shape `NNNN-NN-NN`, whatever the numbers: used to tell a date that is
    /// wrong (`2023-02-30`, reported as a bad date) from text that was never meant as a date.
    public static func looksLikeDate(_ text: some StringProtocol) -> Bool {
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 4, 7: guard byte == UInt8(ascii: "-") else { return false }
            case 0...9: guard digit(byte) != nil else { return false }
            default: return false
            }
            count += 1
        }
        return count == 10
    }

    /// The ISO form of a date as input rows spell it (`DateParsing`: `YYYY-MM-DD`, `YYYY/M/D`,
    /// `YYYY.M.D`, `YYYY年M月D日`, `YYYYMMDD`, optionally with a time of day, which is dropped;
    /// surrounding spaces allowed), or nil when it is none of these or not a real day.
    /// The same parser, so a date a CSV accepts is accepted in a test profile and in --as-of
    /// (analyst review found `2023.03.01` read in a CSV and refused in a test profile and --as-of).
    public static func normalize(_ text: some StringProtocol) -> String? {
        if let strict = ISODate(text) { return strict.description }
        var copy = String(text)
        return copy.withUTF8 { bytes in
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 { end -= 1 }
            guard case .value(let iso) = DateParsing.isoDate(UnsafeBufferPointer(rebasing: bytes[start..<end])) else { return nil }
            return iso
        }
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic without Foundation.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01, or nil outside years 1…9999.
    public init?(dayNumber: Int) {
        guard (ISODate.firstDayNumber...ISODate.lastDayNumber).contains(dayNumber) else { return nil }
        self.init(clampingDayNumber: dayNumber)
    }

    /// The date `dayNumber` days after 1970-01-01, clamped to 0001-01-01…9999-12-31.
    public init(clampingDayNumber dayNumber: Int) {
        // Howard Hinnant's civil_from_days, the inverse of `dayNumber`.
        let z = min(max(dayNumber, ISODate.firstDayNumber), ISODate.lastDayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Day numbers of 0001-01-01 and 9999-12-31.
    static let firstDayNumber = -719_162
    static let lastDayNumber = 2_932_896

    /// `YYYY-MM-DD`, zero-padded.
    public var description: String {
        // Ten ASCII bytes fit a small string: no allocation, which matters when writing millions.
        String(unsafeUninitializedCapacity: 10) { buffer in
            let zero = UInt8(ascii: "0")
            var y = year
            for i in stride(from: 3, through: 0, by: -1) { buffer[i] = zero + UInt8(y % 10); y /= 10 }
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = zero + UInt8(month / 10)
            buffer[6] = zero + UInt8(month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = zero + UInt8(day / 10)
            buffer[9] = zero + UInt8(day % 10)
            return 10
        }
    }

    public static func < (lhs: ISODate, rhs: ISODate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
