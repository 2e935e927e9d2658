import Foundation
import Huiqi
import Testing

/// Paths put into the commands huiqi suggests ("huiqi log show 1 --db …") are quoted where a
/// shell would split or expand them, so the command can be copied and run as it is.
@Suite struct ShellWordTests {
    @Test func plainPathsStayAsTheyAre() {
        for word in ["huiqi.db", "logs/huiqi.db", "/tmp/审核/惠企.db", "out/新安-已核实.csv", "a_b-c.d:e=f@g%h+i,j"] {
            #expect(ShellWord.quoted(word) == word)
        }
    }

    @Test func pathsAShellWouldSplitOrExpandAreQuoted() {
        #expect(ShellWord.quoted("日志 目录/惠企.db") == "'日志 目录/惠企.db'")
        #expect(ShellWord.quoted("a\u{3000}b.db") == "'a\u{3000}b.db'")
        #expect(ShellWord.quoted("$HOME/x.db") == "'$HOME/x.db'")
        #expect(ShellWord.quoted("张三's.db") == "'张三'\\''s.db'")
        #expect(ShellWord.quoted("") == "''")
        #expect(ShellWord.quoted("~/x.db") == "'~/x.db'")
    }

    /// What the shell reads back is the path itself.
    @Test func aQuotedWordReadsBackAsThePath() throws {
        for word in ["日志 目录/惠企.db", "it's (1).db", "a\"b`c$d\\e.db", "x\ny.db"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "printf %s " + ShellWord.quoted(word)]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(String(decoding: data, as: UTF8.self) == word)
        }
    }
}
