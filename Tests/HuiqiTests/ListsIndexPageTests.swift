import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// `index.html` of a lists directory: at district scale a run's lists are some 2,000 files, which
/// a file browser shows by character code (新安, 新桥, 松岗, 沙井, …), not in the district's order.
@Suite struct ListsIndexPageTests {
    /// The hrefs of `html`'s links, in order, percent-decoded.
    func links(_ html: String) -> [String] {
        html.components(separatedBy: "<a href=\"").dropFirst().compactMap {
            String($0.prefix { $0 != "\"" }).removingPercentEncoding
        }
    }

    /// The numbers in the cells of the index's row that starts with `heading`.
    func counts(_ html: String, row heading: String) -> [Int] {
        guard let start = html.range(of: "<tr><td class=\"street\">\(heading)") ?? html.range(of: "<tr class=\"total\"><td class=\"street\">\(heading)") else { return [] }
        let row = html[start.upperBound...].prefix { $0 != "\n" }
        return row.components(separatedBy: "<td class=\"n\">").dropFirst().map {
            Int($0.prefix { $0 != "<" }.replacingOccurrences(of: ",", with: "").split(separator: ".")[0]) ?? -1
        }
    }

    @Test func theIndexLinksEveryStreetsFilesInTheDistrictsOrderWithTheirTotals() throws {
        let f = try LoggedFixtureRun(rows: 300, rejectEvery: nil)
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let out = f.fixture.root.appendingPathComponent("lists")
        let result = try ServiceLists.write(run: record, store: f.store, street: nil, to: out, businessesPerFile: 7)
        #expect(result.indexPath == out.appendingPathComponent("index.html").path)
        let html = try String(contentsOfFile: result.indexPath, encoding: .utf8)

        // The CSV, then every street page and volume in the order `lists` wrote them (the district's).
        let pages = result.files.map { URL(fileURLWithPath: $0.path).lastPathComponent }
        #expect(links(html) == result.csvPaths.map { URL(fileURLWithPath: $0).lastPathComponent } + pages)
        #expect(pages.count > 10, "volumes of 7 businesses: several files a street")
        for name in links(html) {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let headings = Array(Set(result.files.map(\.street))).sorted(by: StreetName.ordered).map(StreetName.heading(key:))
        let positions = headings.map { html.range(of: "<tr><td class=\"street\">\($0)")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())

        // A street's businesses are the cards in its files; the last row sums the run's.
        for street in Set(result.files.map(\.street)) {
            let cards = try result.files.filter { $0.street == street }
                .map { try String(contentsOfFile: $0.path, encoding: .utf8).components(separatedBy: "<h2>").count - 1 }
                .reduce(0, +)
            let row = counts(html, row: StreetName.heading(key: street))
            #expect(row.first == cards, "\(street)")
            #expect(row.last == result.files.filter { $0.street == street }.count, "\(street): its number of files")
        }
        let total = counts(html, row: "合计")
        #expect(total.first == result.businesses && total.dropFirst().first == result.services && total.last == result.files.count)
        #expect(html.contains("判定日期 2025-06-01") && html.contains("运行 \(logged.runID)"))
    }

    /// A street spelt "index" gets a page of its own, not the index's name.
    @Test func aStreetCalledIndexKeepsItsOwnPage() throws {
        let f = try LoggedFixtureRun(rows: 40, rejectEvery: nil)
        var lines = try String(contentsOfFile: f.profiles, encoding: .utf8).components(separatedBy: "\n")
        let column = try #require(lines[0].components(separatedBy: ",").firstIndex(of: "所属街道"))
        for i in 1..<lines.count where !lines[i].isEmpty && i % 2 == 0 {
            var cells = lines[i].components(separatedBy: ",")
            cells[column] = "index"
            lines[i] = cells.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: f.profiles, atomically: true, encoding: .utf8)
        let (logged, _) = try f.run()
        let record = try #require(try f.store.run(logged.runID))
        let out = f.fixture.root.appendingPathComponent("lists")
        let result = try ServiceLists.write(run: record, store: f.store, street: nil, to: out)
        let page = try #require(result.files.first { $0.street == "index" }?.path)
        #expect(URL(fileURLWithPath: page).lastPathComponent == "index (2).html")
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("<h2>"))
        #expect(try String(contentsOfFile: result.indexPath, encoding: .utf8).contains("<h1>一企一单 惠企服务清单 · 目录</h1>"))
        #expect(links(try String(contentsOfFile: result.indexPath, encoding: .utf8)).contains("index (2).html"))
    }
}
