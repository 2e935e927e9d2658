import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// The files `huiqi lists` writes and later removes.
@Suite struct ListsFileNamesTests {
    let directory = URL(fileURLWithPath: "/tmp/lists")

    /// Two streets whose names differ only in characters a file name cannot hold ("宝安/新安",
    /// "宝安_新安") wrote one page, the second over the first: cadres lost a street's list.
    @Test func streetsThatMapToOneFileNameGetTheirOwnPages() {
        let first = StreetPage.path(street: "宝安/新安", directory: directory)
        let second = StreetPage.path(street: "宝安_新安", directory: directory, taken: [first])
        let third = StreetPage.path(street: "宝安\n新安", directory: directory, taken: [first, second])
        #expect(first == "/tmp/lists/宝安_新安.html")
        #expect(second == "/tmp/lists/宝安_新安 (2).html")
        #expect(third == "/tmp/lists/宝安_新安 (3).html", "a line break is not kept in a file name")
    }

    /// Streets whose names differ only in case ("Abc", "ABC"), or one named "Index", each had a
    /// file of their own on Linux, but are one file on a USB stick or shared folder the lists are
    /// copied to (FAT, exFAT, NTFS, macOS): one page replaced the other there (session 19's backlog).
    @Test func namesThatDifferOnlyInCaseGetTheirOwnPages() {
        let index = directory.appendingPathComponent(ListsIndexPage.fileName).path
        let first = StreetPage.path(street: "Abc", directory: directory, taken: [index])
        let second = StreetPage.path(street: "ABC", directory: directory, taken: [index, first])
        #expect(first == "/tmp/lists/Abc.html")
        #expect(second == "/tmp/lists/ABC (2).html")
        #expect(StreetPage.path(street: "Index", directory: directory, taken: [index]) == "/tmp/lists/Index (2).html")
    }

    /// A 282-byte street failed `huiqi lists` with "File name too long" for every street (found in
    /// review). Long names are cut, stay within ext4's 255 bytes with " (2)", and stay apart.
    @Test func anOverlongStreetGetsAShortUniqueName() {
        let long = String(repeating: "很长的街道名称", count: 14) + "甲"
        let other = String(repeating: "很长的街道名称", count: 14) + "乙"
        let first = StreetPage.path(street: long, directory: directory)
        let second = StreetPage.path(street: other, directory: directory, taken: [first])
        let again = StreetPage.path(street: long, directory: directory, taken: [first, second])
        for path in [first, second, again] {
            let name = URL(fileURLWithPath: path).lastPathComponent
            #expect(name.utf8.count <= 255 && name.hasPrefix("很长的街道名称很长") && ListsManifest.isListFile(name), "\(name)")
        }
        #expect(first != second, "the hash of the whole name keeps two long streets apart")
        #expect(again.hasSuffix(" (2).html"))
        #expect(StreetPage.path(street: "新安", directory: directory) == "/tmp/lists/新安.html", "short names are unchanged")
        // A long street's volumes keep their numbers at the end of the shortened name (code review).
        let volume = URL(fileURLWithPath: StreetPage.path(street: String(repeating: "很长的街道名称", count: 20), directory: directory,
                                                           suffix: "-第002册")).lastPathComponent
        #expect(volume.hasSuffix("-第002册.html") && volume.utf8.count <= 255, "\(volume)")
    }

    /// Crash-safety review: Ctrl-C during `lists` left every street page cut short, without its
    /// closing tags or a banner, and `lists.csv` under its normal name. The files are written in
    /// a work directory and moved into place at the end; a signal stops it leaving no list, and
    /// a work directory a killed `lists` left is removed by the next one.
    @Test func aStoppedListsLeavesNoListAndTheNextRemovesAKilledOnesWork() throws {
        let f = try LoggedFixtureRun(rows: 200, rejectEvery: nil)
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let out = f.fixture.root.appendingPathComponent("lists")
        let interrupt = InterruptSignal(signals: [])
        interrupt.request(SIGINT)
        #expect(throws: ServiceLists.ListsInterrupted.self) {
            try ServiceLists.write(run: record, store: f.store, street: nil, to: out, interrupt: interrupt)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        // A stopped lists leaves the earlier complete lists in place (code review: it removed them first).
        let earlier = try ServiceLists.write(run: record, store: f.store, street: nil, to: out)
        #expect(throws: ServiceLists.ListsInterrupted.self) {
            try ServiceLists.write(run: record, store: f.store, street: nil, to: out, interrupt: interrupt)
        }
        #expect(earlier.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) } && !earlier.files.isEmpty)
        #expect(FileManager.default.fileExists(atPath: earlier.csvPath))

        let abandoned = out.appendingPathComponent(".huiqi-lists-work-4194000")  // no such process
        try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: false)
        try Data("<html>半截".utf8).write(to: abandoned.appendingPathComponent("新安.html"))
        let result = try ServiceLists.write(run: record, store: f.store, street: nil, to: out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ([".huiqi-lists", "index.html", "lists.csv"] + result.files.map { URL(fileURLWithPath: $0.path).lastPathComponent }).sorted())
        #expect(result.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) } && !result.files.isEmpty)
        #expect(result.csvPath == out.appendingPathComponent("lists.csv").path)
    }

    /// District-scale review: a street's single page held 56k–127k businesses (112–247 MB) and no
    /// browser could print it. A street with more than `businessesPerFile` goes on in volumes,
    /// "X-第001册.html", "X-第002册.html", …, numbered on from volume to volume.
    @Test func aLargeStreetIsSplitIntoNumberedVolumes() throws {
        let f = try LoggedFixtureRun(rows: 300, rejectEvery: nil)
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let out = f.fixture.root.appendingPathComponent("volumes")
        let whole = try ServiceLists.write(run: record, store: f.store, street: nil, to: f.fixture.root.appendingPathComponent("whole"))
        let split = try ServiceLists.write(run: record, store: f.store, street: nil, to: out, businessesPerFile: 7)
        #expect(split.businesses == whole.businesses && split.services == whole.services)
        func sections(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "<h2>").dropFirst()
                .map { String($0.prefix { $0 != "<" }) }
        }
        for (street, path) in whole.files {
            let volumes = split.files.filter { $0.street == street }.map(\.path)
            let names = try whole.files.first { $0.street == street }.map { try sections($0.path) } ?? []
            let listed = try volumes.flatMap(sections)
            #expect(listed == names, "\(street): the volumes together list the street's page, numbered on")
            if names.count <= 7 {
                #expect(volumes.map { URL(fileURLWithPath: $0).lastPathComponent } == [URL(fileURLWithPath: path).lastPathComponent])
                // A street in one file is as it was: no volume, byte for byte the page of the unsplit lists.
                #expect(try Data(contentsOf: URL(fileURLWithPath: volumes[0])) == Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(try !String(contentsOfFile: volumes[0], encoding: .utf8).contains("册"))
                continue
            }
            #expect(volumes.count == (names.count + 6) / 7)
            try expectVolumesLabelled(volumes, street: street, businesses: names.count, perVolume: 7, whole: path)
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path))
        }
        #expect(split.files.count > whole.files.count)
        #expect(split.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
        try expectCSVRowsFindTheirCards(split)
        try expectCSVRowsFindTheirCards(whole)
    }

    /// Street-cadre review: lists.csv had no way back to the printed lists: its 序号 is the
    /// service's rank, and its rows are in input order, streets mixed. Its 企业序号 is the number
    /// on the business's card, in the volume whose head gives that range.
    func expectCSVRowsFindTheirCards(_ result: ServiceLists.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let table = try CSVTable(contentsOf: result.csvPath)
        #expect(table.header == ServiceLists.csvHeader && table.header.last == "企业序号", sourceLocation: sourceLocation)
        var cards: [String: [Int: String]] = [:]  // street → number → credit code
        for (street, path) in result.files {
            for section in try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "<h2>").dropFirst() {
                let number = Int(section.prefix { $0 != "." }) ?? -1
                let code = section.components(separatedBy: "统一社会信用代码 ").dropFirst().first?.prefix { $0 != "<" }
                cards[street, default: [:]][number] = code.map(String.init)
            }
        }
        #expect(!table.rows.isEmpty, sourceLocation: sourceLocation)
        for row in table.rows {
            let number = try #require(Int(row[15]), "\(row)", sourceLocation: sourceLocation)
            #expect(cards[row[0]]?[number] == row[1], "\(row[0]) \(number): \(row[1])", sourceLocation: sourceLocation)
        }
    }

    /// Street-cadre review: a cadre holding one printed volume ("(第 2 册)") could not tell how many
    /// there were or which businesses the others held. Each volume's title and heading say "第 k
    /// 册, 共 N 册", a line under them which businesses it holds of how many, and the last volume
    /// ends with the street's totals. The heads are written in once the street is done; every file
    /// stays whole (its businesses, its end) however much longer its head became.
    func expectVolumesLabelled(_ volumes: [String], street: String, businesses: Int, perVolume: Int, whole: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let n = volumes.count
        let heading = StreetName.heading(key: street)
        let wholeText = try String(contentsOfFile: whole, encoding: .utf8)
        let wholeSections = wholeText.components(separatedBy: "<section>").count - 1
        #expect(wholeSections == businesses, sourceLocation: sourceLocation)
        for (k, volume) in volumes.enumerated() {
            let text = try String(contentsOfFile: volume, encoding: .utf8)
            let first = perVolume * k + 1, last = min(perVolume * (k + 1), businesses)
            let label = "一企一单 惠企服务清单 (第 \(k + 1) 册, 共 \(n) 册)"
            #expect(text.contains("<title>\(heading) \(label)</title>"), "\(volume)", sourceLocation: sourceLocation)
            #expect(text.contains("<h1>\(heading) · \(label)</h1>"), "\(volume)", sourceLocation: sourceLocation)
            let rest = businesses - perVolume * (n - 1)
            #expect(text.contains("<div class=\"volume\">本册为第 \(first == last ? "\(first)" : "\(first)–\(last)") 家; \(heading)清单共 \(businesses) 家企业, 分 \(n) 册, 每册 \(perVolume) 家"
                                  + (rest == perVolume ? "" : " (第 \(n) 册 \(rest) 家)") + "。</div>"), "\(volume)", sourceLocation: sourceLocation)
            // Whole: its businesses numbered on, and the end of the file.
            #expect(text.components(separatedBy: "<section>").count - 1 == last - first + 1, sourceLocation: sourceLocation)
            #expect(text.contains("<h2>\(first). ") && text.contains("<h2>\(last). ") && !text.contains("<h2>\(last + 1). "), sourceLocation: sourceLocation)
            #expect(text.hasSuffix("</html>\n") && text.hasPrefix("<!DOCTYPE html>\n"), sourceLocation: sourceLocation)
            #expect(text.components(separatedBy: "<title>").count == 2 && text.components(separatedBy: "<h1>").count == 2, sourceLocation: sourceLocation)
            // The street's totals at the end of its last volume, the same as its single file's.
            let summary = wholeText.components(separatedBy: "<div class=\"summary\">以上共").last?.components(separatedBy: "</div>").first ?? "?"
            #expect(text.contains("<div class=\"summary\">\(heading)全部 \(n) 册共\(summary)</div>") == (k == n - 1), "\(volume)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The old relabelling replaced the heading in the first 4096 characters: a long street name
    /// (a note typed into the street column) put the heading past them, and volume 1 kept its
    /// unlabelled heading. The heads are written whole, whatever their length.
    @Test func aLongStreetsVolumesAreLabelledToo() throws {
        let f = try LoggedFixtureRun(rows: 150, rejectEvery: nil)
        let long = "很长的街道" + String(repeating: "名", count: 2500)
        let text = try String(contentsOfFile: f.profiles, encoding: .utf8)
        try Data(text.replacingOccurrences(of: ",新安街道,", with: ",\(long),").utf8).write(to: URL(fileURLWithPath: f.profiles))
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let whole = try ServiceLists.write(run: record, store: f.store, street: long, to: f.fixture.root.appendingPathComponent("whole"))
        let split = try ServiceLists.write(run: record, store: f.store, street: long, to: f.fixture.root.appendingPathComponent("split"),
                                           businessesPerFile: 4)
        let page = try #require(whole.files.first)
        let businesses = try String(contentsOfFile: page.path, encoding: .utf8).components(separatedBy: "<section>").count - 1
        #expect(businesses > 8 && split.files.count == (businesses + 3) / 4)
        try expectVolumesLabelled(split.files.map(\.path), street: page.street, businesses: businesses, perVolume: 4, whole: page.path)
    }

    /// The files were put in order by path, and "-第1000册" sorts before "-第999册": the command
    /// named the 1000th volume as the street's first. They are in volume order.
    @Test func aThousandVolumesAreInVolumeOrder() throws {
        let f = try LoggedFixtureRun(rows: 1400, rejectEvery: nil)
        var text = try String(contentsOfFile: f.profiles, encoding: .utf8)
        for street in ProfileCSVGenerator.streets { text = text.replacingOccurrences(of: ",\(street),", with: ",新安街道,") }
        try Data(text.utf8).write(to: URL(fileURLWithPath: f.profiles))
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let split = try ServiceLists.write(run: record, store: f.store, street: "新安", to: f.fixture.root.appendingPathComponent("split"),
                                           businessesPerFile: 1)
        let numbers = split.files.map { file in
            Int(URL(fileURLWithPath: file.path).lastPathComponent.drop { $0 != "第" }.dropFirst().prefix { $0 != "册" }) ?? -1
        }
        #expect(numbers.count >= 1000 && numbers == Array(1...numbers.count), "\(numbers.prefix(3)) … \(numbers.suffix(3))")
        let last = try String(contentsOfFile: try #require(split.files.last).path, encoding: .utf8)
        #expect(last.contains("(第 \(numbers.count) 册, 共 \(numbers.count) 册)</h1>"))
        // A volume of one business is "第 1010 家", not "第 1010–1010 家".
        #expect(last.contains("本册为第 \(numbers.count) 家; 新安街道清单共 \(numbers.count) 家企业, 分 \(numbers.count) 册, 每册 1 家。"))
    }

    /// As for temporary export files (`StagedFile`): a process id says nothing about another
    /// machine's processes, so in a directory shared between hosts a `lists` removed another host's
    /// work directory while that host was still writing it. The work directory carries the host's
    /// name and only this host's abandoned ones (and unnamed ones of earlier versions) are removed.
    @Test func anotherHostsWorkDirectoryIsLeftAlone() throws {
        let f = try LoggedFixtureRun(rows: 20, rejectEvery: nil)
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let out = f.fixture.root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(ListsManifest.workDirectory(in: out).lastPathComponent == ".huiqi-lists-work-\(getpid()).\(StagedFile.hostTag)")
        let mine = out.appendingPathComponent(".huiqi-lists-work-4194000.\(StagedFile.hostTag)")  // no such process here
        let older = out.appendingPathComponent(".huiqi-lists-work-4194001")
        let theirs = out.appendingPathComponent(".huiqi-lists-work-4194002.\(StagedFile.hostTag)x")
        for directory in [mine, older, theirs] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false) }
        _ = try ServiceLists.write(run: record, store: f.store, street: nil, to: out)
        #expect(!FileManager.default.fileExists(atPath: mine.path))
        #expect(!FileManager.default.fileExists(atPath: older.path))
        #expect(FileManager.default.fileExists(atPath: theirs.path))
    }

    @Test func onlyPlainListFilesAreEverRemoved() {
        for name in ["新安.html", "lists.csv", "lists-未完成.csv", "宝安_新安 (2).html", "lists.part2.csv", "lists-未完成.part12.csv"] {
            #expect(ListsManifest.isListFile(name), "\(name)")
        }
        for name in ["huiqi.db", "notes.txt", "../x.html", "a/b.html", ".huiqi-lists", "x\n.html", "lists.csv.bak", "lists.part.csv",
                     "lists.partx.csv", "lists.part2.csv.bak"] {
            #expect(!ListsManifest.isListFile(name), "\(name)")
        }
    }
}
