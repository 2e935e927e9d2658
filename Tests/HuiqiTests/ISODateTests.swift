import Foundation
@testable import Huiqi
import Testing

@Suite struct ISODateTests {
    @Test func strictISODatesMustBeRealDays() {
        #expect(ISODate.isValid("2024-02-29"))
        #expect(!ISODate.isValid("2023-02-29"))
        #expect(!ISODate.isValid("2023-02-30"))
        #expect(ISODate.isValid("2000-02-29"))
        #expect(!ISODate.isValid("1900-02-29"))
        #expect(!ISODate.isValid("2024-04-31"))
        #expect(ISODate.isValid("2024-12-31"))
        #expect(!ISODate.isValid("2024-13-01"))
        #expect(!ISODate.isValid("2024-00-10"))
        #expect(!ISODate.isValid("2024-1-01"))
        #expect(!ISODate.isValid("2024-01-01 "))
        #expect(!ISODate.isValid("2024/01/01"))
        #expect(!ISODate.isValid(""))
        #expect(!ISODate.isValid("２０２４-01-01"))
        #expect(ISODate("0999-01-05")?.description == "0999-01-05")
    }

    @Test func looksLikeDateIsAboutShapeOnly() {
        #expect(ISODate.looksLikeDate("2023-02-30"))
        #expect(ISODate.looksLikeDate("2023-99-99"))
        #expect(!ISODate.looksLikeDate("2023-2-3"))
        #expect(!ISODate.looksLikeDate("small"))
    }

    @Test func normalizeAcceptsTheThreeProfileSpellings() {
        #expect(ISODate.normalize("2019-03-07") == "2019-03-07")
        #expect(ISODate.normalize("2019/3/7") == "2019-03-07")
        #expect(ISODate.normalize("2019/03/07") == "2019-03-07")
        #expect(ISODate.normalize("2018年5月1日") == "2018-05-01")
        #expect(ISODate.normalize(" 2018年12月31日 ") == "2018-12-31")
        #expect(ISODate.normalize("2019-3-7") == "2019-03-07")
        #expect(ISODate.normalize("2019/2/29") == nil)
        #expect(ISODate.normalize("2019/3-7") == nil)
        // As input rows spell it (analyst review: read in a CSV, refused in a test profile and --as-of).
        #expect(ISODate.normalize("2023.03.01") == "2023-03-01" && ISODate.normalize("2025.6.1") == "2025-06-01")
        #expect(ISODate.normalize("2023.03/01") == nil)
        for text in ["2023-03-01", "2023/3/1", "2023.3.1", "2023年3月1日", "2023.02.29", "2023/13/1"] {
            let input: String? = if case .value(let v) = DateParsing.isoDate(text) { v } else { nil }
            #expect(ISODate.normalize(text) == input, "\(text)")
        }
        #expect(ISODate.normalize("2018年5月1") == nil)
        #expect(ISODate.normalize("19/3/7") == nil)
        #expect(ISODate.normalize("2019/3/7/1") == nil)
        #expect(ISODate.normalize("今天") == nil)
        #expect(ISODate.normalize("") == nil)
    }

    @Test func dayNumbersRoundTripAndMatchKnownDays() {
        #expect(ISODate("1970-01-01")?.dayNumber == 0)
        #expect(ISODate("2000-03-01")?.dayNumber == 11017)
        #expect(ISODate("1969-12-31")?.dayNumber == -1)
        #expect(ISODate(dayNumber: 19783)?.description == "2024-03-01")
        var previous: ISODate?
        for n in stride(from: -30000, through: 30000, by: 7) {
            let date = ISODate(dayNumber: n)
            #expect(date?.dayNumber == n)
            if let date, let previous { #expect(previous < date && previous.description < date.description) }
            previous = date
        }
    }

    /// Reviewer review: stored UTC times were shown as such, so a review made at 7:00 in Bao'an
    /// read as the day before. Shown in the machine's time zone, with its offset.
    @Test func storedTimesAreShownInTheLocalTimeZone() throws {
        let beijing = try #require(TimeZone(identifier: "Asia/Shanghai"))
        #expect(ISOTimestamp.local("2025-06-01T23:30:00Z", in: beijing) == "2025-06-02 07:30:00 +08:00")
        #expect(ISOTimestamp.local("2025-06-01T23:30:00Z", in: try #require(TimeZone(identifier: "UTC"))) == "2025-06-01 23:30:00 +00:00")
        #expect(ISOTimestamp.local("t", in: beijing) == "t")  // not a stored time: as it is
        let review = Review(id: 1, decision: DecisionID(run: 2, row: 1, slot: 0), creditCode: "x", serviceID: "S", outcome: .eligible,
                            verdict: .confirm, reviewer: "张三", at: ISOTimestamp.now(), note: nil)
        #expect(review.summary().hasPrefix("已确认 张三 \(ISOTimestamp.local(review.at))") && !review.summary().contains("Z"))
    }
}
