import Foundation
import Huiqi
import TestSupport
import Testing

/// Where headless Chromium is, if installed (CI installs Debian's `chromium`).
private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// `huiqi lists`: one printable HTML per street plus a CSV, from a logged run of the samples.
@Suite(.serialized) struct ListsCommandTests {
    private let tempDirectory: TemporaryDirectory
    var temp: URL { tempDirectory.url }

    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-lists") }

    private func huiqi(_ args: [String]) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: HuiqiBinary.packageRoot)
    }

    /// Runs the samples into a fresh log and writes the lists; returns the lists directory.
    private func makeLists(street: String? = nil) throws -> URL {
        let db = temp.appendingPathComponent("log.db").path
        let run = try huiqi(["run", "Samples/profiles.csv", "--as-of", "2025-06-01", "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        let out = temp.appendingPathComponent(street == nil ? "lists" : "street")
        var args = ["lists", "1", "--db", db, "--out", out.path]
        if let street { args += ["--street", street] }
        let lists = try huiqi(args)
        #expect(lists.status == 0, "\(lists.stderr)")
        return out
    }

    @Test func writesOneHTMLPerStreetAndACSVOfEligibleServices() throws {
        let out = try makeLists()
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.contains("lists.csv"))
        #expect(files.filter { $0.hasSuffix(".html") }.count >= 10)
        let csv = try Data(contentsOf: out.appendingPathComponent("lists.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: csv.dropFirst(3), as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("街道,统一社会信用代码,企业名称,序号,服务编号,服务名称") == true)
        // Every listed decision is eligible in the log.
        let export = temp.appendingPathComponent("all.jsonl")
        _ = try huiqi(["log", "export", "1", "--db", temp.appendingPathComponent("log.db").path, "--out", export.path])
        let eligible = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").filter { $0.contains("\"outcome\":\"eligible\"") }
        #expect(lines.count - 1 == eligible.count)
    }

    /// First-day review: each page's note on the rejected rows named `huiqi log rejects RUN`
    /// without the log, so run where the page says, it read ./huiqi.db, another log or none.
    @Test func thePagesNoteOnRejectsNamesTheLog() throws {
        let db = temp.appendingPathComponent("rejects.db").path
        #expect(try huiqi(["run", "Samples/broken.csv", "--as-of", "2025-06-01", "--db", db]).status == 1)
        let out = temp.appendingPathComponent("broken-lists")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 0, "\(lists.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("新安.html"), encoding: .utf8)
        #expect(page.contains("原因见 huiqi log rejects 1 --db \(db),"), "\(page.prefix(3000))")
    }

    @Test func servicesAreRankedByScoreWithinEachBusiness() throws {
        let out = try makeLists()
        let rows = try String(contentsOf: out.appendingPathComponent("lists.csv"), encoding: .utf8)
            .split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var previous: (code: String, score: Double)?
        for row in rows where row.count > 10 {
            let score = Double(row[10]) ?? 0
            if let p = previous, p.code == row[1] { #expect(p.score >= score, "\(row[1])") }
            previous = (row[1], score)
        }
    }

    @Test func decisionsRejectedByAReviewerAreLeftOut() throws {
        let db = temp.appendingPathComponent("log.db").path
        _ = try makeLists()
        let show = try huiqi(["log", "show", "1", "--db", db, "--outcome", "eligible", "--format", "jsonl", "--limit", "1"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let id = try #require(object["decision_id"] as? Int64)
        let code = try #require(object["credit_code"] as? String)
        let service = try #require(object["service_id"] as? String)
        #expect(try huiqi(["review", String(id), "--reject", "--note", "核实不符", "--by", "审核员", "--db", db]).status == 0)
        let out = temp.appendingPathComponent("after")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.stdout.contains("left out as rejected by review: 1"))
        let csv = try String(contentsOf: out.appendingPathComponent("lists.csv"), encoding: .utf8)
        #expect(!csv.contains("\(code),") || !csv.split(separator: "\r\n").contains { $0.contains(code) && $0.contains(",\(service),") })

        // A pending decision a reviewer rejected leaves the card's 待补充资料 too, and is counted:
        // it vanished without a word, the count saying one eligible (fresh-eyes review).
        let pending = try huiqi(["log", "show", "1", "--db", db, "--outcome", "undetermined", "--format", "jsonl", "--limit", "1"])
        let undetermined = try #require(try JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [String: Any])
        let pendingID = try #require(undetermined["decision_id"] as? Int64)
        let pendingService = try #require(undetermined["service_name"] as? String)
        #expect(try huiqi(["review", String(pendingID), "--reject", "--note", "核实不符", "--by", "审核员", "--db", db]).status == 0)
        let again = temp.appendingPathComponent("again")
        let relisted = try huiqi(["lists", "1", "--db", db, "--out", again.path])
        #expect(relisted.stdout.contains("已驳回而未列入 left out as rejected by review: 1 eligible, 1 pending for data (待补充资料)"), "\(relisted.stdout)")
        let cardCode = try #require(undetermined["credit_code"] as? String)
        /// The business's card in the lists written to `directory`, if it has one.
        func card(in directory: URL) throws -> String? {
            let pages = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".html") && $0 != "index.html" }
            return try pages.lazy.compactMap { name -> String? in
                let html = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                guard let at = html.range(of: "统一社会信用代码 \(cardCode)") else { return nil }
                return String(html[at.lowerBound...].components(separatedBy: "</section>")[0])
            }.first
        }
        // Before the review its card listed the service under 待补充资料 (so the check below can fail).
        let before = try card(in: out)
        #expect(before?.contains("待补充资料") == true && before?.contains(pendingService) == true, "\(before ?? "no card")")
        let card = try card(in: again)
        #expect(card.map { !$0.contains(pendingService) } ?? true, "\(card ?? "")")
    }

    /// Found in review: with the samples' "新安", `--street 新安街道` found nothing and an input with
    /// both spellings got two lists for one street.
    /// Found in the second review: the page of businesses without a street was "未填街道", whose
    /// key is the street 未填, so `--street 未填街道` selected another group and blank streets none.
    @Test func businessesWithoutAStreetHaveAPageTheirNameSelects() throws {
        let samples = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        var lines = samples.components(separatedBy: "\n")
        var blank = 0, literal = ""
        for i in lines.indices.dropFirst() where lines[i].contains(",新安,") {
            // Two blank, one street named 未填, one written as the page's own name (reviewer review:
            // on the page, but not selected by its name).
            lines[i] = lines[i].replacingOccurrences(of: ",新安,", with: blank < 2 ? ",," : blank == 2 ? ",未填," : ",\(StreetName.unfilled),")
            if blank == 3 { literal = String(lines[i].prefix { $0 != "," }) }
            blank += 1
            if blank == 4 { break }
        }
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let input = temp.appendingPathComponent("blank.csv")
        try Data(lines.joined(separator: "\n").utf8).write(to: input)
        let db = temp.appendingPathComponent("blank.db").path
        #expect(try huiqi(["run", input.path, "--as-of", "2025-06-01", "--db", db]).status == 0)
        let shown = try huiqi(["log", "show", "1", "--db", db, "--street", StreetName.unfilled, "--format", "csv"])
        let blankDecisions = shown.stdout.split(whereSeparator: \.isNewline).count - 1
        #expect(blankDecisions >= 3 * 24 && blankDecisions % 24 == 0, "the businesses without a street, ours among them: \(shown.stderr)")
        #expect(!literal.isEmpty && shown.stdout.contains(literal), "\(literal)")
        let unfilledStreet = try huiqi(["log", "show", "1", "--db", db, "--street", "未填", "--format", "csv"])
        #expect(unfilledStreet.stdout.split(whereSeparator: \.isNewline).count - 1 == 24, "the street named 未填 is a street of its own")
        let out = temp.appendingPathComponent("blank-lists")
        #expect(try huiqi(["lists", "1", "--db", db, "--street", StreetName.unfilled, "--out", out.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") }.sorted()
        #expect(files == ["\(StreetName.unfilled).html", "index.html"], "\(files)")
    }

    @Test func bothSpellingsOfAStreetAreOneStreet() throws {
        let samples = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        var lines = samples.components(separatedBy: "\n")
        var changed = 0, xinanRows = 0
        // The spellings the rules' street_of accepts, spaces between the parts included (review).
        let spellings = ["新安", "新安街道", "深圳市 宝安区 新安街道", "新安街道 办事处", "宝安区\u{3000}新安"]
        for i in lines.indices.dropFirst() where lines[i].contains(",新安,") {
            xinanRows += 1
            let spelling = spellings[xinanRows % spellings.count]
            if spelling != "新安" { lines[i] = lines[i].replacingOccurrences(of: ",新安,", with: ",\(spelling),"); changed += 1 }
        }
        #expect(changed > 0)
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let input = temp.appendingPathComponent("mixed.csv")
        try Data(lines.joined(separator: "\n").utf8).write(to: input)
        let db = temp.appendingPathComponent("mixed.db").path
        #expect(try huiqi(["run", input.path, "--as-of", "2025-06-01", "--db", db]).status == 0)
        func shown(_ street: String) throws -> Int {
            let out = try huiqi(["log", "show", "1", "--db", db, "--street", street, "--format", "csv"])
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout.split(whereSeparator: \.isNewline).count - 1  // CSV lines end in CRLF
        }
        let all = try shown("新安街道")
        #expect(all == xinanRows * 24, "every decision of both spellings (24 services a business)")
        #expect(try shown("新安") == all)
        let blank = try huiqi(["log", "show", "1", "--db", db, "--street", " "])
        #expect(blank.status == 2 && blank.stderr.contains("--street is blank"), "\(blank.stderr)")
        let out = temp.appendingPathComponent("mixed-lists")
        #expect(try huiqi(["lists", "1", "--db", db, "--out", out.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.contains("新安.html"))
        #expect(files.filter { $0.contains("新安") } == ["新安.html"], "\(files)")
        // The page's name is a --street value that finds the same businesses.
        #expect(try shown("新安") == all)
    }

    /// Found in review: lists of an interrupted run looked complete. Every page and the command
    /// now say that the run stopped and how many rows it holds.
    @Test func listsOfARunThatDidNotCompleteSaySo() throws {
        _ = try makeLists()
        let db = temp.appendingPathComponent("log.db").path
        try SQLiteDecisionStore(path: db, create: false).markRun(1, status: .interrupted, endedAt: nil)
        let out = temp.appendingPathComponent("partial")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 0)
        #expect(lists.stderr.contains("清单不完整") && lists.stderr.contains("huiqi run --resume 1 --db \(db)"), "\(lists.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("松岗.html"), encoding: .utf8)
        // On paper: Chinese and no shell command (street-cadre review).
        #expect(page.contains("class=\"partial\"") && page.contains("已中断") && page.contains("运行补完后请重新生成清单") && !page.contains("--db"))
        // The banner prints on the first page only: every business's card (whole on one printed
        // page) carries a mark too, so every printed page says so (found in review).
        let cards = page.components(separatedBy: "<section>").count - 1
        #expect(cards > 1 && page.components(separatedBy: "<span class=\"partial-mark\">⚠ 清单不完整").count - 1 == cards)
        let complete = try String(contentsOf: temp.appendingPathComponent("lists/松岗.html"), encoding: .utf8)
        #expect(!complete.contains("class=\"partial\""))
        // The CSV's name says it too (found in review: lists.csv looked complete).
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.contains("lists-未完成.csv") && !files.contains("lists.csv"))
        #expect(lists.stdout.contains("lists-未完成.csv"))
    }

    /// Found in review: lists written into a directory that held an earlier run's (or street's)
    /// lists left those beside the new ones, and cadres printed stale pages. The files the earlier
    /// `huiqi lists` wrote are removed first; anything else in the directory stays.
    @Test func listsReplaceTheListsAnEarlierCommandWroteToTheDirectory() throws {
        let out = try makeLists()
        let db = temp.appendingPathComponent("log.db").path
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let again = try huiqi(["lists", "1", "--db", db, "--street", "新安", "--out", out.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("removed") && again.stdout.contains("earlier `huiqi lists`"), "\(again.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == [".huiqi-lists", "index.html", "lists.csv", "notes.txt", "新安.html"], "\(files)")
        let csv = try String(contentsOf: out.appendingPathComponent("lists.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\r\n").dropFirst().allSatisfy { $0.hasPrefix("新安,") })
    }

    /// Review: an index.html of the user's own in the lists' directory (a portal page, a web root)
    /// was overwritten, then removed by the next lists; a link that could not be opened failed the
    /// whole lists. It is kept, with a warning, and the lists are written.
    @Test func anIndexHTMLOfTheUsersOwnIsKept() throws {
        let out = try makeLists(street: "新安")
        let db = temp.appendingPathComponent("log.db").path
        let index = out.appendingPathComponent("index.html")
        #expect(try String(contentsOf: index, encoding: .utf8).contains("一企一单 惠企服务清单 · 目录"))
        let again = try huiqi(["lists", "1", "--db", db, "--street", "新安", "--out", out.path])
        #expect(again.status == 0 && again.stdout.contains("目录 index"), "the index lists wrote is its to replace: \(again.stderr)")

        let mine = temp.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("<html>我的门户</html>".utf8).write(to: mine.appendingPathComponent("index.html"))
        for _ in 0..<2 {
            let lists = try huiqi(["lists", "1", "--db", db, "--street", "新安", "--out", mine.path])
            #expect(lists.status == 0, "\(lists.stderr)")
            #expect(lists.stderr.contains("index.html is not one huiqi wrote: left as it is"), "\(lists.stderr)")
            #expect(try String(contentsOf: mine.appendingPathComponent("index.html"), encoding: .utf8) == "<html>我的门户</html>")
            #expect(FileManager.default.fileExists(atPath: mine.appendingPathComponent("新安.html").path))
        }
        let dangling = temp.appendingPathComponent("dangling")
        try FileManager.default.createDirectory(at: dangling, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dangling.appendingPathComponent("index.html").path, withDestinationPath: "/nonexistent/dir/x.html")
        let linked = try huiqi(["lists", "1", "--db", db, "--street", "新安", "--out", dangling.path])
        #expect(linked.status == 0 && FileManager.default.fileExists(atPath: dangling.appendingPathComponent("新安.html").path), "\(linked.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling.appendingPathComponent("index.html").path) == "/nonexistent/dir/x.html")
    }

    /// Found in review: one 282-byte street value failed every street's page with "File name too
    /// long" (exit 2), and left the pages and lists.csv begun so far at 0 bytes. The long street
    /// gets a shortened name; the other streets are written as usual.
    @Test func anOverlongStreetGetsAShortenedPageAndTheOthersAreWritten() throws {
        let samples = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        let long = String(repeating: "很长的街道名称", count: 14)  // 294 bytes
        var lines = samples.components(separatedBy: "\n")
        var changed = 0
        for i in lines.indices.dropFirst() where lines[i].contains(",松岗,") {
            lines[i] = lines[i].replacingOccurrences(of: ",松岗,", with: ",\(long),")
            changed += 1
        }
        #expect(changed > 0)
        let input = temp.appendingPathComponent("long.csv")
        try Data(lines.joined(separator: "\n").utf8).write(to: input)
        let db = temp.appendingPathComponent("long.db").path
        #expect(try huiqi(["run", input.path, "--as-of", "2025-06-01", "--db", db]).status == 0)
        let out = temp.appendingPathComponent("long-lists")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 0, "\(lists.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        let longPage = try #require(files.first { $0.hasPrefix("很长的街道名称") }, "\(files)")
        #expect(longPage.utf8.count <= 255 && longPage.hasSuffix(".html"))
        #expect(try String(contentsOf: out.appendingPathComponent(longPage), encoding: .utf8).contains("<h1>\(long) · 一企一单"))
        for name in files where !name.hasPrefix(".") {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.size] as? Int)
            #expect(size > 0, "\(name) is empty")
        }
        #expect(files.contains("新安.html") && files.contains("lists.csv"))
    }

    /// A `lists` that fails part-way (here a page's name is taken by a directory) left the CSV and
    /// the pages begun at 0 bytes, looking like lists (found in review): now it leaves none.
    @Test func aListsThatFailsPartWayLeavesNoFilesBehind() throws {
        let db = temp.appendingPathComponent("log.db").path
        #expect(try huiqi(["run", "Samples/profiles.csv", "--as-of", "2025-06-01", "--db", db]).status == 0)
        let out = temp.appendingPathComponent("blocked")
        // The samples' second business is in 新安, after one in 松岗: the CSV and 松岗.html are open by then.
        try FileManager.default.createDirectory(at: out.appendingPathComponent("新安.html"), withIntermediateDirectories: true)
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 2)
        #expect(lists.stderr.contains("新安.html") && lists.stderr.contains("清单未生成"), "\(lists.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["新安.html"])
    }

    @Test func streetFilterWritesOnlyThatStreet() throws {
        let out = try makeLists(street: "新安")
        let html = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") && $0 != "index.html" }
        #expect(html.count == 1)
        #expect(html.first?.hasPrefix("新安") == true)
    }

    /// `--per-volume N`: volumes of N businesses, for a cadre's round of visits (500 was fixed).
    @Test func perVolumeSetsTheVolumeSize() throws {
        let db = temp.appendingPathComponent("log.db").path
        #expect(try huiqi(["run", "Samples/profiles.csv", "--as-of", "2025-06-01", "--db", db]).status == 0)
        let out = temp.appendingPathComponent("small")
        let lists = try huiqi(["lists", "1", "--db", db, "--street", "新安", "--per-volume", "5", "--out", out.path])
        #expect(lists.status == 0, "\(lists.stderr)")
        let volumes = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") && $0 != "index.html" }.sorted()
        #expect(volumes.count >= 2 && volumes.first == "新安-第001册.html", "\(volumes)")
        #expect(lists.stdout.contains("新安: \(volumes.count) 册 volumes of 5 businesses"), "\(lists.stdout)")
        let first = try String(contentsOf: out.appendingPathComponent("新安-第001册.html"), encoding: .utf8)
        #expect(first.contains("第 1 册, 共 \(volumes.count) 册") && first.contains("本册为第 1–5 家"), "\(first.prefix(3000))")
        // Every printed page repeats the street and volume, and says which page of how many it is.
        #expect(first.contains("@top-left { content: \"新安街道 · 一企一单 惠企服务清单 (第 1 册, 共 \(volumes.count) 册)\""), "\(first.prefix(3000))")
        #expect(first.contains("@top-right { content: \"运行 1 · 判定日期 2025-06-01\""))
        #expect(first.contains("@bottom-center { content: \"第 \" counter(page) \" 页, 共 \" counter(pages) \" 页\""))
        let bad = try huiqi(["lists", "1", "--db", db, "--per-volume", "0", "--out", temp.appendingPathComponent("bad").path])
        #expect(bad.status == 2 && bad.stderr.contains("--per-volume must be between 1 and 1000000"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("bad").path))
    }

    /// Street-cadre review: a mistyped `--street` removed the earlier lists, wrote a header-only
    /// CSV and exited 0. It now exits 1, names the run's streets and changes nothing.
    @Test func aStreetTheRunDoesNotHaveChangesNothing() throws {
        let out = try makeLists(street: "新安")
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        let page = try Data(contentsOf: out.appendingPathComponent("新安.html"))
        let typo = try huiqi(["lists", "1", "--db", temp.appendingPathComponent("log.db").path, "--out", out.path, "--street", "新按"])
        #expect(typo.status == 1, "\(typo.stderr)")
        #expect(typo.stderr.contains("no street '新按' in run 1") && typo.stderr.contains("新安, 西乡, 航城"), "\(typo.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("新安.html")) == page)
        // A blank --street is a usage error (code review: it removed the earlier lists, exit 0).
        for blank in ["", "  "] {
            let none = try huiqi(["lists", "1", "--db", temp.appendingPathComponent("log.db").path, "--out", out.path, "--street", blank])
            #expect(none.status == 2 && none.stderr.contains("--street is blank"), "\(none.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        }
    }

    /// Reviewer review: `--street` for a street of the run with nothing to list (here every
    /// decision of it rejected by review) removed the earlier lists and exited 0.
    @Test func aStreetWithNothingToListChangesNothing() throws {
        let out = try makeLists(street: "新安")
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        let db = temp.appendingPathComponent("log.db").path
        let export = temp.appendingPathComponent("xinan.csv").path
        #expect(try huiqi(["log", "export", "1", "--db", db, "--street", "新安", "--out", export]).status == 0)
        // A mistyped street in an export is said, with the run's streets (reviewer review: silent).
        let typo = try huiqi(["log", "export", "1", "--db", db, "--street", "新按", "--out", temp.appendingPathComponent("typo.csv").path])
        #expect(typo.status == 1 && typo.stdout.isEmpty && typo.stderr.contains("no street '新按' in run 1") && typo.stderr.contains("新安, 西乡"),
                "\(typo.stdout)\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("typo.csv").path))
        #expect(try huiqi(["review", "--from", export, "--reject", "--note", "核实不符", "--by", "李四", "--db", db]).status == 0)
        let nothing = try huiqi(["lists", "1", "--db", db, "--out", out.path, "--street", "新安"])
        #expect(nothing.status == 1, "\(nothing.stderr)")
        #expect(nothing.stderr.contains("street '新安' has nothing to list in run 1") && nothing.stderr.contains("is unchanged"), "\(nothing.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        // The same for the whole run, every decision of it rejected (review: "removed N files", exit 0).
        let all = temp.appendingPathComponent("all.csv").path
        #expect(try huiqi(["log", "export", "1", "--db", db, "--out", all]).status == 0)
        #expect(try huiqi(["review", "--from", all, "--reject", "--note", "核实不符", "--by", "李四", "--db", db]).status == 0)
        let none = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(none.status == 1 && none.stderr.contains("run 1 has nothing to list"), "\(none.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        // Nor is a directory made for nothing (final review).
        let fresh = temp.appendingPathComponent("fresh/lists")
        #expect(try huiqi(["lists", "1", "--db", db, "--out", fresh.path]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }

    /// Reviewer review: a cadre could not tell a service a reviewer had confirmed from the system's
    /// own judgement. Confirmed services are marked on the page and in the CSV's 审核 column.
    @Test func confirmedServicesAreMarkedOnTheLists() throws {
        let out = try makeLists(street: "新安")
        let db = temp.appendingPathComponent("log.db").path
        let export = temp.appendingPathComponent("ok.csv").path
        #expect(try huiqi(["log", "export", "1", "--db", db, "--street", "新安", "--outcome", "符合", "--service", "SVC-02", "--out", export]).status == 0)
        #expect(try huiqi(["review", "--from", export, "--confirm", "--by", "张三", "--db", db]).status == 0)
        #expect(try huiqi(["lists", "1", "--db", db, "--out", out.path, "--street", "新安"]).status == 0)
        let page = try String(contentsOf: out.appendingPathComponent("新安.html"), encoding: .utf8)
        #expect(page.contains("✓ 已审核确认 (张三)"))
        let table = try CSVTable(contentsOf: out.appendingPathComponent("lists.csv").path)
        let column = try #require(table.header.firstIndex(of: "审核"))
        let service = try #require(table.header.firstIndex(of: "服务编号"))
        #expect(table.rows.contains { $0[service] == "SVC-02" && $0[column] == "已确认 张三" })
        #expect(table.rows.allSatisfy { $0[service] == "SVC-02" || $0[column] == "未审核" })
    }

    /// Street-cadre review: pages are grouped as the rules read streets (pinyin, spaces inside),
    /// headed with the street's full name, in the district's order; a street that is not one of
    /// Bao'an's and the run's rejected rows are said on the page.
    @Test func pagesGroupStreetsAsTheRulesReadThemAndSayWhatIsNotOnThem() throws {
        var text = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var renamed = 0
        for i in 1..<lines.count where lines[i].contains(",新安,") && renamed < 3 {
            lines[i] = lines[i].replacingOccurrences(of: ",新安,", with: renamed == 0 ? ",xinan," : renamed == 1 ? ", 宝安区 新安 街道 ," : ",粤海街道,")
            renamed += 1
        }
        lines.append("91440300MA5XXXXXXX,坏的一行,企业")  // rejected: a bad credit code, too few cells
        text = lines.joined(separator: "\n")
        let input = temp.appendingPathComponent("streets.csv"), db = temp.appendingPathComponent("streets.db").path
        try text.write(to: input, atomically: true, encoding: .utf8)
        let run = try huiqi(["run", input.path, "--as-of", "2025-06-01", "--db", db])
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let out = temp.appendingPathComponent("streets")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 0, "\(lists.stderr)")
        #expect(lists.stdout.contains("另有 1 行输入被拒收"), "\(lists.stdout)")
        let printed = lists.stdout.split(separator: "\n").compactMap { $0.split(separator: ":").first.map(String.init) }
        #expect(Array(printed.prefix(3)) == ["新安", "西乡", "航城"], "\(printed)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!files.contains("xinan.html"), "\(files)")
        let xinan = try String(contentsOf: out.appendingPathComponent("新安.html"), encoding: .utf8)
        #expect(xinan.contains("<h1>新安街道 · 一企一单 惠企服务清单"))
        #expect(xinan.contains("另有 1 行输入未能评估 (数据有误, 或按判定日期尚未成立)"))
        #expect(!xinan.contains("不是宝安区10个街道之一"))
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("lists.csv").path)
        let streetCol = try #require(csv.header.firstIndex(of: "街道")), nameCol = try #require(csv.header.firstIndex(of: "企业名称"))
        let names = Set(csv.rows.filter { $0[streetCol] == "新安" }.map { $0[nameCol] })
        for name in names { #expect(xinan.contains(name), "\(name)") }
        let yuehai = try String(contentsOf: out.appendingPathComponent("粤海.html"), encoding: .utf8)
        #expect(yuehai.contains("“粤海”不是宝安区10个街道之一"))
    }

    /// Street-cadre review: a business with nothing eligible yet but data missing had no list, and
    /// no list said what to ask for. Its card now lists the data to collect, each item once with the
    /// services waiting for it; lists.csv keeps only eligible services.
    @Test func aBusinessWithOnlyPendingServicesGetsACardOfWhatToCollect() throws {
        let header = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
            .split(separator: "\n")[0].replacingOccurrences(of: "\u{FEFF}", with: "")
        var cells = Array(repeating: "", count: header.split(separator: ",", omittingEmptySubsequences: false).count)
        cells[0] = "91440300MA5H00004Q"; cells[1] = "深圳市宝安空白资料有限公司"; cells[2] = "企业"
        let input = temp.appendingPathComponent("blank.csv"), db = temp.appendingPathComponent("blank.db").path
        try (header + "\n" + cells.joined(separator: ",") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let run = try huiqi(["run", input.path, "--as-of", "2025-06-01", "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        let out = temp.appendingPathComponent("blank")
        let lists = try huiqi(["lists", "1", "--db", db, "--out", out.path])
        #expect(lists.status == 0, "\(lists.stderr)")
        #expect(lists.stdout.contains("1 家企业, 0 项服务") && lists.stdout.contains("1 家暂无已确定的服务"), "\(lists.stdout)")
        let page = try String(contentsOf: out.appendingPathComponent("(未填街道).html"), encoding: .utf8)
        #expect(page.contains("以下企业在输入中没有填写所属街道"))
        #expect(page.contains("深圳市宝安空白资料有限公司") && page.contains("暂无已确定可享受的服务") && page.contains("<b>待补充资料</b>"))
        // One item per missing field, naming every service that waits for it.
        let items = page.components(separatedBy: "<li>").dropFirst().map { $0.components(separatedBy: "</li>")[0] }
        let dishonest = try #require(items.first { $0.hasPrefix("失信被执行人(dishonest) — ") })
        #expect(dishonest.contains("FIN-06") && dishonest.contains("RENT-02") && dishonest.contains("PARTY-02"), "\(dishonest)")
        #expect(items.filter { $0.hasPrefix("失信被执行人(dishonest)") }.count == 1)
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("lists.csv").path)
        #expect(csv.rows.isEmpty)
        #expect(page.contains("以上共 1 家企业: 可享受服务 0 项, 测算金额合计 0.00 元; 其中 1 家有待补充资料。"))
    }

    /// Each file ends with its totals (street-cadre review: no per-street summary): businesses,
    /// services and estimated amounts as lists.csv has them for that street.
    @Test func eachPageEndsWithItsTotals() throws {
        let out = try makeLists()
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("lists.csv").path)
        let streetCol = try #require(csv.header.firstIndex(of: "街道")), amountCol = try #require(csv.header.firstIndex(of: "金额(元)"))
        let rows = csv.rows.filter { $0[streetCol] == "沙井" }
        let total = rows.reduce(0.0) { $0 + (Double($1[amountCol]) ?? 0) }
        let page = try String(contentsOf: out.appendingPathComponent("沙井.html"), encoding: .utf8)
        let cards = page.components(separatedBy: "<section>").count - 1
        #expect(page.contains("以上共 \(cards) 家企业: 可享受服务 \(rows.count) 项, 测算金额合计 \(DecisionFileWriter.groupedMoney(total)) 元"), "\(page.suffix(400))")
    }

    @Test(.enabled(if: chromium != nil, "needs headless Chromium (apt-get install chromium)"))
    func listsRenderInHeadlessChromium() throws {
        let out = try makeLists()
        let page = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".html") })
        let png = temp.appendingPathComponent("page.png"), pdf = temp.appendingPathComponent("page.pdf")
        for target in ["--screenshot=\(png.path)", "--print-to-pdf=\(pdf.path)"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: chromium ?? "")
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=900,1200", target,
                           out.appendingPathComponent(page).absoluteString]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }
        let pngData = try Data(contentsOf: png)
        #expect(Array(pngData.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(pngData.count > 20_000, "a rendered page with text is more than a blank image")
        let pdfData = try Data(contentsOf: pdf)
        #expect(String(decoding: pdfData.prefix(5), as: UTF8.self) == "%PDF-")
    }
}
