@testable import Huiqi
import Testing

/// The street's name goes into each page's running header as a CSS string, inside `<style>`.
@Suite struct CSSStringTests {
    @Test func aNameCannotEndTheStringOrTheStyleElement() {
        #expect(CSS.string("新安街道") == "\"新安街道\"")
        #expect(CSS.string("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(CSS.string("</style><script>") == "\"\\3c /style\\3e \\3c script\\3e \"")
        #expect(CSS.string("一\n二") == "\"一\\a 二\"")
    }
}
