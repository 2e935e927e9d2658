@testable import Huiqi
import Testing

@Suite struct LogListingTests {
    /// `log show`'s table shows an error's cause, not only "规则执行出错" (found in the analyst review).
    @Test func anErrorShowsItsCauseInTheTable() {
        let message = "rule 'r' (Rules/a.lua): Rules/a.lua:12: attempt to compare nil with number\nstack traceback:\n\t…"
        #expect(LogListing.errorGist(message) == "Rules/a.lua:12: attempt to compare nil with number")
        #expect(LogListing.errorGist("memory cap exceeded") == "memory cap exceeded")
    }
}
