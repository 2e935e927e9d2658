import Huiqi
import Testing

@Suite struct InputEncodingTests {
    @Test func commonSpellingsAreAccepted() {
        for (name, expected) in [("auto", InputEncoding.auto), ("utf8", .utf8), ("UTF-8", .utf8), ("utf_8", .utf8),
                                 ("GB18030", .gb18030), ("gb-18030", .gb18030), ("gbk", .gbk), ("CP936", .gbk),
                                 ("gb2312", .gb18030), ("GB2312", .gb18030)] {
            #expect(InputEncoding(name: name) == expected, "\(name)")
        }
        #expect(InputEncoding(name: "latin1") == nil)
        #expect(InputEncoding(rawValue: "utf-8") == .utf8)
    }
}
