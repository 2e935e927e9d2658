import Foundation

/// The "一企一单" lists cadres take on visits under the 三个一 system (PRODUCT.md §1, §6 `lists`):
/// per business, the services it qualifies for, ranked by score, with reasons, amount, mode,
/// provider and policy source, and the data to collect for services pending for missing data —
/// one printable HTML file per street, plus one CSV of the eligible services.
///
/// Streams the run's eligible and pending decisions (by input row), so memory does not grow with the run.
/// Decisions a reviewer rejected are left out (and counted).
///
///     let written = try ServiceLists.write(run: record, store: store, street: nil, to: outDirectory)
public enum ServiceLists {
    /// The run (or the `--street` of it) has nothing to deliver; nothing was written.
    public struct NothingToList: Error, CustomStringConvertible {
        public var street: String?
        public var run: Int64
        public var description: String {
            let what = street.map { "street '\($0)' has" } ?? "run \(run) has"
            return "\(what) nothing to list\(street == nil ? "" : " in run \(run)"): no eligible decision (or every one rejected by review) and no data to collect (没有可列入清单的服务, 未生成清单)"
        }
    }

    /// What was written.
    public struct Result: Sendable {
        public var businesses = 0
        public var services = 0
        /// Street → HTML file path, in street order.
        public var files: [(street: String, path: String)] = []
        public var csvPath = ""
        /// `csvPath`, then its further parts when it holds more rows than one Excel sheet.
        public var csvPaths: [String] = []
        /// Eligible decisions left out because a reviewer rejected them, and pending ones (their
        /// data to collect not asked for).
        public var rejectedByReview = 0
        public var rejectedPendingByReview = 0
        /// Businesses whose list has data to collect (decisions pending for missing data), and of
        /// those, the ones with no eligible service yet (on the pages, not in the CSV).
        public var withFollowUps = 0
        public var followUpsOnly = 0
        /// Files of an earlier `huiqi lists` into the same directory, removed first.
        public var removedEarlier = 0
        /// `index.html`: every street's files in the district's order, with their totals. Empty
        /// when the directory held an `index.html` huiqi did not write, left as it was (`indexKept`).
        public var indexPath = ""
        public var indexKept: String?
    }

    /// One business's list, in the order it is printed: the services it is eligible for, and those
    /// pending for missing data, whose data the cadre can collect on the visit. `business`: its row
    /// of the log, whose name, code and street all its decisions share.
    struct Entry {
        var business: LogRowDecoder.Business
        var items: [Item] = []
        var pending: [Pending] = []
    }

    /// An eligible service on a business's list: `slot`, its service's in the run (`RunRecord.service(slot:)`),
    /// whose cells are looked up once per service rather than copied into each item (perf, 1M lists).
    struct Item {
        var slot: Int
        var service: (id: String, name: String)
        var amount: Double?
        var score: Double?
        var reasons: ListReasons
        /// The reviewer who confirmed it, when one did.
        var confirmedBy: String?
    }

    /// A service pending for missing data ("FIN-08 股权投资奖励"), and its reasons, which say what is missing.
    typealias Pending = (service: String, reasons: ListReasons)

    private static let marks: [(bytes: [UInt8], forAmount: Bool)] = [
        (Array(": \(DecisionBuilder.missingData) ".utf8), false), (Array("\(DecisionBuilder.missingData): ".utf8), false),
        (Array("\(DecisionBuilder.cannotComputeAmount): ".utf8), true),
    ]

    /// What a pending decision waits for, as one of its reasons says it (DecisionBuilder): the field
    /// after "缺少数据" ("年营业收入(万元)(revenue)"), or an `evaluate` rule's own reason as it is.
    /// The part after its mark is found by bytes (`String.range(of:)` on Chinese text was a sixth
    /// of `lists`' time at 100k businesses).
    static func missingData(in reason: String) -> String {
        var text = reason
        return text.withUTF8 { bytes -> String in
            for mark in marks where bytes.count > mark.bytes.count {
                var i = 0
                while i + mark.bytes.count <= bytes.count {
                    if bytes[i] == mark.bytes[0], memcmp(bytes.baseAddress! + i, mark.bytes, mark.bytes.count) == 0 {
                        var start = i + mark.bytes.count, end = bytes.count
                        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
                        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
                        guard start < end else { break }
                        let what = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                        return mark.forAmount ? what + " (用于计算金额)" : what
                    }
                    i += 1
                }
            }
            return reason
        }
    }

    /// A business's pending decisions as what to collect: each missing item once, with the services
    /// that wait for it; the items more services wait for first, then in the order they first appear
    /// (code review: GRO-02's 个转企日期, which most enterprises leave blank, led half the cards).
    static func followUps(_ pending: [Pending]) -> [(what: String, services: [String])] {
        var out: [(what: String, services: [String])] = []
        for p in pending {
            let service = p.service
            for what in p.reasons.missingData {
                // Found by comparing: a business has a few items, and hashing Chinese text (it is
                // normalized first) for a dictionary of them was most of this function's 5.5% of
                // `lists` (perf).
                if let i = out.firstIndex(where: { $0.what == what }) {
                    if !out[i].services.contains(service) { out[i].services.append(service) }
                } else {
                    out.append((what, [service]))
                }
            }
        }
        return out.enumerated().sorted { a, b in
            a.element.services.count != b.element.services.count ? a.element.services.count > b.element.services.count : a.offset < b.offset
        }.map(\.element)
    }

    /// 序号 is the service's rank in its business's list, as on the page; 企业序号 the number on the
    /// business's card (numbered on through a street's volumes, whose heads give their range), so
    /// that a row is found in the printed lists, and sorting by 街道 and 企业序号 gives their order.
    /// (Added last, so the columns before keep their places.)
    public static let csvHeader = ["街道", "统一社会信用代码", "企业名称", "序号", "服务编号", "服务名称", "类别", "办理方式",
                                   "主管部门", "金额(元)", "评分", "理由", "政策依据", "决定编号", "审核", "企业序号"]

    /// For a run that did not complete: its lists hold only the rows committed so far. Shown on
    /// every page and by the command, so that no one takes a partial list out as the whole street's.
    /// `logPath`: the decision log the run is in, for the resume command.
    public static func partialRunNote(_ run: RunRecord, logPath: String? = nil) -> String? {
        guard run.status != .completed else { return nil }
        guard let logPath else {
            // On paper, for a cadre: Chinese, and no shell command (street-cadre review).
            return "运行 \(run.id) \(run.status.label), 只含已提交的前 \(run.rowsCommitted) 行: 清单不完整, "
                + (run.status == .running ? "运行结束后" : "运行补完后") + "请重新生成清单"
        }
        if run.status == .running {
            // Resuming a run that is still going is refused: say to wait instead.
            return "运行 \(run.id) 仍在进行, 只含已提交的前 \(run.rowsCommitted) 行: 清单不完整, 运行结束后请重新生成 "
                + "(run \(run.id) is still running: only the first \(run.rowsCommitted) rows so far; make the lists again when it completes)"
        }
        let resume = "huiqi run --resume \(run.id) --db \(ShellWord.quoted(logPath))"
        return "运行 \(run.id) \(run.status.label), 只含已提交的前 \(run.rowsCommitted) 行: 清单不完整 "
            + "(run \(run.id) is \(run.status.rawValue): only the first \(run.rowsCommitted) rows; resume it with \(resume))"
    }

    /// The CSV's file name: `lists.csv`, or `lists-未完成.csv` for a run that did not complete, so
    /// that a partial CSV cannot pass for a whole one where the pages' banner is not seen.
    public static func csvName(_ run: RunRecord) -> String {
        run.status == .completed ? "lists.csv" : "lists-未完成.csv"
    }

    /// Businesses in one printable file: a street with more goes on in volumes, "新安-第001册.html",
    /// "新安-第002册.html", … (500 businesses print as about 370 A4 pages), each headed
    /// "(第 2 册, 共 5 册)" with the numbers of the businesses it holds.
    public static let businessesPerFile = 500

    /// Writes the lists into `directory`. The files are written in a hidden work directory inside
    /// it and moved into place only once all are complete: pages and a CSV cut off part-way (a
    /// full disk, Ctrl-C, `kill -9`) looked like complete lists (found in reviews). `interrupt`:
    /// a SIGINT, SIGTERM or SIGHUP stops it, leaving no list.
    public static func write(run: RunRecord, store: DecisionStore, street: String?, to directory: URL,
                             logPath: String? = nil, interrupt: InterruptSignal? = nil,
                             businessesPerFile: Int = ServiceLists.businessesPerFile) throws -> Result {
        let existed = FileManager.default.fileExists(atPath: directory.path)
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw Diagnostic(file: directory.relativePath, "cannot create the directory for the lists (无法创建目录): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        var result = Result()
        ListsManifest.removeAbandonedWorkDirectories(in: directory)
        let work = ListsManifest.workDirectory(in: directory)
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: false)
            try writeFiles(run: run, store: store, street: street, to: work, logPath: logPath, interrupt: interrupt,
                           businessesPerFile: max(1, businessesPerFile), result: &result)
            if let signal = interrupt?.signal { throw ListsInterrupted(signal: signal) }  // after the last decision, too
            // Nothing to deliver (none eligible, or every eligible decision rejected by review),
            // for one street or the whole run: replacing the directory would only remove the
            // earlier lists (reviewer reviews: "removed 14 files", exit 0).
            if result.files.isEmpty { throw NothingToList(street: street, run: run.id) }
        } catch let nothing as NothingToList {
            try? FileManager.default.removeItem(at: work)
            // "Unchanged" holds for a directory made just now too (final review).
            if !existed, (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: directory)
            }
            throw nothing
        } catch {
            try? FileManager.default.removeItem(at: work)
            if let signal = interrupt?.signal { throw ListsInterrupted(signal: signal) }
            throw DiagnosticList(diagnostics(of: error) + [Diagnostic(file: directory.relativePath,
                "no lists were written; the files begun are removed (清单未生成, 已删除未写完的文件)")])
        }
        // The earlier lists go only now that the new ones are complete (code review: a stopped
        // lists left the directory empty).
        result.removedEarlier = ListsManifest.removeListed(in: directory)
        let manifest: ListsManifest
        do { manifest = try ListsManifest(directory: directory) } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
        do {
            // Into place; each named in the manifest once it is there (or open, when written through).
            func moved(_ path: String) throws -> String {
                let target = directory.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
                var info = stat()
                if lstat(target, &info) == 0 {
                    // Something no earlier lists left (those were removed first): the user's link or
                    // file. Written through, as a shell's `>` does, never replaced: a file that
                    // cannot be opened is kept and not named (found in reviews).
                    try copyThrough(path, to: target, manifest: manifest)
                    unlink(path)
                } else {
                    guard rename(path, target) == 0 else {
                        throw Diagnostic(file: target, "cannot move the list into place: \(String(cString: strerror(errno))) (无法写入清单)")
                    }
                    try manifest.add(target)
                }
                return target
            }
            // An index.html no earlier lists wrote (those were removed above) is the user's own,
            // a portal page or a web root's: kept, not written through as a street page would be
            // (review: it was overwritten, then removed by the next lists).
            let indexTarget = directory.appendingPathComponent(ListsIndexPage.fileName).path
            var info = stat()
            if lstat(indexTarget, &info) == 0 {
                unlink(result.indexPath)
                result.indexKept = indexTarget
                result.indexPath = ""
            } else {
                result.indexPath = try moved(result.indexPath)
            }
            result.csvPaths = try result.csvPaths.map(moved)
            result.csvPath = result.csvPaths.first ?? result.csvPath
            result.files = try result.files.map { ($0.street, try moved($0.path)) }
            try manifest.close()
            try? FileManager.default.removeItem(at: work)
        } catch {
            try? manifest.close()
            _ = ListsManifest.removeListed(in: directory)
            try? FileManager.default.removeItem(at: work)
            if let signal = interrupt?.signal { throw ListsInterrupted(signal: signal) }
            throw DiagnosticList(diagnostics(of: error) + [Diagnostic(file: directory.relativePath,
                "no lists were written; the files begun are removed (清单未生成, 已删除未写完的文件)")])
        }
        return result
    }

    /// Copies `source` into `target` (opened as a shell's `>` opens it, following a link) in 1 MiB
    /// pieces; `target` is named in the manifest once open.
    private static func copyThrough(_ source: String, to target: String, manifest: ListsManifest) throws {
        let output = try OutputFile.create(target)
        try manifest.add(target)
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw Diagnostic(file: source, "cannot read the list just written (无法读取)")
        }
        defer { try? input.close() }
        do {
            while let piece = try input.read(upToCount: 1 << 20), !piece.isEmpty { try output.write(contentsOf: piece) }
            try output.close()
        } catch {
            throw Diagnostic.writeFailed(error, file: URL(fileURLWithPath: target).lastPathComponent)
        }
    }

    /// Thrown when a signal stopped `write`: no list was left.
    public struct ListsInterrupted: Error {
        public var signal: Int32
    }

    /// The CSV and the pages of `write`, in `directory` (the work directory).
    private static func writeFiles(run: RunRecord, store: DecisionStore, street: String?, to directory: URL, logPath: String?,
                                   interrupt: InterruptSignal?, businessesPerFile: Int, result: inout Result) throws {
        result.csvPath = directory.appendingPathComponent(csvName(run)).path
        let csv = try CSVWriter(url: URL(fileURLWithPath: result.csvPath))
        try csv.writeRow(csvHeader)

        var pages: [String: StreetPage] = [:]      // each street's open file
        var volumes: [String: [StreetPage.Volume]] = [:]  // a street's closed volumes, once it needs more than one file
        var closed: [(street: String, path: String)] = []
        // The index's name is never a street page's: a street named "index" gets "index (2).html".
        result.indexPath = directory.appendingPathComponent(ListsIndexPage.fileName).path
        var taken = UsedFileNames([result.indexPath])
        var current: (row: Int, entry: Entry)?
        // The row of `current`, read for each decision: `current?.row` copied the whole entry
        // (its decisions' strings and arrays retained and released) to read it (perf, 1M lists).
        var currentRow: Int?
        var streetKeys: [String: String] = [:]     // StreetName.key of each spelling met
        let unreviewedCell = CSVWriter.encodedCells([CSVWriter.Cell.text("未审核")][...])

        /// The file of volume `k` of `street`: "新安-第002册.html" (made unique as streets' pages are).
        func volumePath(_ street: String, _ k: Int) -> String {
            let path = StreetPage.path(street: street, directory: directory, taken: taken, suffix: "-第" + String(format: "%03d", k) + "册")
            taken.insert(path)
            return path
        }

        /// What a street's pages say besides its lists: a street that is not one of Bao'an's (a
        /// spelling to check on the visit), rows of the run that were rejected and so are on no list.
        func notes(_ street: String) -> [String] {
            [streetNote(street), rejectedNote].compactMap { $0 }
        }
        func streetNote(_ street: String) -> String? {
            if street == StreetName.unfilled { return "以下企业在输入中没有填写所属街道, 请走访时核实并补充。" }
            if !StreetName.isBaoan(key: street) { return "“\(street)”不是宝安区10个街道之一 (写法有误或不属宝安区), 请核实所属街道。" }
            return nil
        }
        // Not all are bad data: a firm established after the as-of date is a reject too. The log is
        // named unless it is the default one (first-day review: run as printed, the command read
        // ./huiqi.db, another log or none).
        let logOption = logPath.map { $0 == "huiqi.db" ? "" : " --db \(ShellWord.quoted($0))" } ?? ""
        let rejectedNote = (run.rejected ?? 0) > 0
            ? "另有 \(run.rejected ?? 0) 行输入未能评估 (数据有误, 或按判定日期尚未成立), 不在任何清单中; 原因见 huiqi log rejects \(run.id)\(logOption), 数据有误的请数据管理员核查后补充。"
            : nil

        func flush() throws {
            guard let c = current.take() else { return }
            currentRow = nil
            let order = rankOrder(c.entry.items)
            // One list per street however the input spelt it ("新安", "新安街道").
            let spelling = c.entry.business.street
            let key: String
            if let known = streetKeys[spelling] {
                key = known
            } else {
                key = StreetName.key(spelling)
                if streetKeys.count < 100_000 { streetKeys[spelling] = key }
            }
            let streetName = key.isEmpty ? StreetName.unfilled : key
            var page: StreetPage
            if let p = pages[streetName] {
                page = p
                // A street's list is split into volumes of `businessesPerFile`: a district street's
                // single file (56k–127k businesses, 112–247 MB) could not be printed, or opened
                // (district-scale review).
                if p.businesses >= businessesPerFile {
                    try p.close()
                    // The street's single file becomes its volume 1. Each volume's head says which
                    // of how many it is, and which businesses it holds, once the street is done.
                    let volume = p.volume == nil ? try p.relabeledAsFirstVolume(to: volumePath(streetName, 1)) : p.asVolume
                    volumes[streetName, default: []].append(volume)
                    page = try StreetPage(head: p.head, path: volumePath(streetName, volume.number + 1), volume: volume.number + 1,
                                          before: p.streetTotals)
                    pages[streetName] = page
                }
            } else {
                let path = StreetPage.path(street: streetName, directory: directory, taken: taken)
                taken.insert(path)
                page = try StreetPage(head: StreetPage.Head(street: StreetName.heading(key: streetName), run: run,
                                                            partialNote: partialRunNote(run), notes: notes(streetName)), path: path)
                pages[streetName] = page
            }
            let followUps = followUps(c.entry.pending)
            try page.add(business: c.entry.business, items: c.entry.items, ranked: order, followUps: followUps)
            // A row's cells of the business and of the service are encoded once (the columns of
            // `csvHeader`: 街道, 统一社会信用代码, 企业名称; 服务编号 … 主管部门; 政策依据).
            let businessPart = CSVWriter.encodedCells(CSVWriter.cells([streetName, c.entry.business.creditCode, c.entry.business.name],
                                                                      numericColumns: [], identifierColumns: [1])[...])
            // The numbers (序号, 金额, 评分, 企业序号) are written as digits: as literal cells they are
            // never quoted (no comma, quote or line break), and a string for each was an allocation a
            // cell (4.9M rows at 1M businesses; the rows were ~7% of `lists`, perf).
            for (i, k) in order.enumerated() {
                let item = c.entry.items[k]
                let service = serviceCSVParts(item)
                try csv.writeEncodedRow { bytes in
                    bytes.append(contentsOf: businessPart)
                    bytes.append(0x2C)
                    DecimalDigits.append(UInt64(i + 1), to: &bytes)
                    bytes.append(0x2C)
                    bytes.append(contentsOf: service.head)
                    bytes.append(0x2C)
                    if let amount = item.amount { DecisionFileWriter.appendMoney(amount, to: &bytes) }
                    bytes.append(0x2C)
                    if let score = item.score { LuaNumberText.append(score, to: &bytes) }
                    bytes.append(0x2C)
                    bytes.append(contentsOf: item.reasons.csvCell)
                    bytes.append(0x2C)
                    bytes.append(contentsOf: service.source)
                    bytes.append(0x2C)
                    LogExporter.appendIDCell(DecisionID(run: run.id, row: Int(c.entry.business.row), slot: item.slot), to: &bytes)
                    bytes.append(0x2C)
                    if let reviewer = item.confirmedBy {
                        CSVWriter.appendCell(.text("已确认 \(reviewer)"), to: &bytes)
                    } else {
                        bytes.append(contentsOf: unreviewedCell)
                    }
                    bytes.append(0x2C)
                    DecimalDigits.append(UInt64(page.count), to: &bytes)
                }
            }
            result.businesses += 1
            result.services += order.count
            if !followUps.isEmpty { result.withFollowUps += 1 }
            if order.isEmpty { result.followUpsOnly += 1 }
        }

        /// 服务编号, 服务名称, 类别, 办理方式, 主管部门, and 政策依据 of an item, encoded; the same for
        /// every business, so once a run.
        var serviceParts: [Int: (head: [UInt8], source: [UInt8])] = [:]
        func serviceCSVParts(_ item: Item) -> (head: [UInt8], source: [UInt8]) {
            if let known = serviceParts[item.slot] { return known }  // (only a service the run has is kept)
            let service = run.service(slot: item.slot)
            let head = CSVWriter.encodedCells([
                .text(item.service.id), .text(item.service.name),
                .text(service.map { ServiceCategory.displayName(for: $0.category) } ?? ""), .text(service?.mode ?? ""),
                .text(service?.provider ?? ""),
            ][...])
            let parts = (head, CSVWriter.encodedCells([CSVWriter.Cell.text(service?.source ?? "")][...]))
            if service != nil { serviceParts[item.slot] = parts }
            return parts
        }

        // Eligible decisions, and those pending for missing data: a business with nothing eligible
        // yet but data missing is the one to visit (street-cadre review: such businesses had no list).
        var filter = DecisionFilter(street: street)
        filter.anyOfOutcomes = [.eligible, .undetermined]
        // The reasons as printed, once for each reasons text of the log (`ListReasons`); a pending
        // decision's service as its card names it, once a service.
        var reasonsByID: [Int64: ListReasons] = [:]
        func reasons(_ selected: SelectedDecision) throws -> ListReasons {
            guard let id = selected.entry.reason else { return ListReasons(try selected.reasons()) }
            if let known = reasonsByID[id] { return known }
            let reasons = ListReasons(try selected.reasons())
            if reasonsByID.count < 100_000 { reasonsByID[id] = reasons }
            return reasons
        }
        var pendingServices: [Int: String] = [:]
        func pendingService(_ selected: SelectedDecision) -> String {
            if let known = pendingServices[selected.slot] { return known }
            let service = selected.service, label = "\(service.id) \(service.name)"
            pendingServices[selected.slot] = label
            return label
        }

        // Read from the log's rows as they are, not built into a `LoggedDecision` each: the lists
        // need a few fields of each decision, and the business's for its first one only (building
        // 7.67M decisions, their conditions left out, was a fifth of `lists` at 1M, perf).
        try store.forEachSelected(run: run.id, filter: filter) { selected in
            if let signal = interrupt?.signal { throw ListsInterrupted(signal: signal) }
            let reviewed = selected.isReviewed
            let outcome = selected.outcome
            // A reviewer rejected this decision: it does not go on the list a cadre takes out.
            if reviewed, selected.review?.verdict == .reject {
                if outcome == .eligible { result.rejectedByReview += 1 } else { result.rejectedPendingByReview += 1 }
                return
            }
            let row = Int(selected.business.row)
            if currentRow != row { try flush() }
            if current == nil {
                current = (row, Entry(business: selected.business))
                currentRow = row
            }
            let entry = selected.entry
            if outcome == .eligible {
                // Whether a reviewer confirmed it (here or in an earlier run, as `log show` says):
                // the cadre can tell checked services from the system's own (reviewer review).
                let confirmedBy = reviewed && selected.review?.verdict == .confirm ? selected.review?.reviewer : nil
                current?.entry.items.append(Item(slot: selected.slot, service: selected.service, amount: entry.amount, score: entry.score,
                                                 reasons: try reasons(selected), confirmedBy: confirmedBy))
            } else {
                current?.entry.pending.append((pendingService(selected), try reasons(selected)))
            }
        }
        try flush()
        try csv.close()
        result.csvPaths = csv.paths
        var index: [ListsIndexPage.Street] = []
        for name in pages.keys.sorted(by: StreetName.ordered) {
            guard let page = pages[name] else { continue }
            try page.close(lastVolume: page.volume != nil)
            let note = name == StreetName.unfilled ? "未填街道, 请核实" : StreetName.isBaoan(key: name) ? nil : "不是宝安区街道, 请核实"
            var entry = ListsIndexPage.Street(heading: StreetName.heading(key: name), files: [], totals: page.streetTotals, note: note)
            guard let earlier = volumes[name] else {
                closed.append((name, page.path))
                entry.files = [(page.path, 1, page.count)]
                index.append(entry)
                continue
            }
            // Only now is the street's number of volumes known: each volume's head is labelled
            // "第 k 册, 共 N 册" with its businesses' numbers (a cadre holding one could not tell).
            let all = earlier + [page.asVolume]
            for volume in all {
                try volume.label(of: all.count, businesses: page.count, perVolume: businessesPerFile, inLastVolume: page.businesses)
                closed.append((name, volume.path))
                entry.files.append((volume.path, volume.first, volume.last))
            }
            index.append(entry)
        }
        if !index.isEmpty {
            let output = try BufferedOutput(path: result.indexPath)
            try output.write(ListsIndexPage.html(run: run, streets: index, csvPaths: result.csvPaths,
                                                 partialNote: partialRunNote(run), rejectedNote: rejectedNote))
            try output.close()
        }
        // Street order (Bao'an's in the district's order), then volume order, as written above (not
        // by path: "-第1000册" sorts before "-第999册").
        result.files = closed
    }

    private static func diagnostics(of error: Error) -> [Diagnostic] {
        switch error {
        case let list as DiagnosticList: return list.diagnostics
        case let d as Diagnostic: return [d]
        default: return [Diagnostic(.error, String(describing: error))]
        }
    }

    /// The positions of `items`, highest score first; ties keep the catalog order (stable), so lists
    /// are deterministic. The positions are sorted, not the items: moving the tuples copied each
    /// one's decision and strings (perf, 1M lists).
    static func rankOrder(_ items: [Item]) -> [Int] {
        let scores = items.map { $0.score ?? 0 }
        return items.indices.sorted { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
    }
}
