import Crypto
import Foundation

/// One street's printable HTML file of 一企一单 lists: A4, one business per block, no page break
/// inside a business, Chinese fonts, no scripts or external resources (opens offline, prints as is).
final class StreetPage {
    let path: String
    /// What the top of the page says, kept to write it again as a volume's (`Volume`).
    let head: Head
    /// The file's number among its street's volumes; nil for a street's single file.
    let volume: Int?
    /// The bytes the head takes at the start of the file (a volume's with room for its label).
    let headBytes: Int
    private let output: BufferedOutput
    private let partialMark: String
    /// The number of the last business written (numbering goes on from volume to volume).
    var count: Int { before.businesses + totals.businesses }
    /// Businesses in this file.
    var businesses: Int { totals.businesses }
    /// For the summary at the end of the file: eligible services, their estimated amounts, and
    /// businesses with data to collect; `before`, the same for the street's earlier volumes.
    private var totals = Totals()
    let before: Totals

    /// What a file's (or a street's) closing summary counts.
    struct Totals {
        var businesses = 0, services = 0, amount = 0.0, withFollowUps = 0
        static func + (a: Totals, b: Totals) -> Totals {
            Totals(businesses: a.businesses + b.businesses, services: a.services + b.services, amount: a.amount + b.amount,
                   withFollowUps: a.withFollowUps + b.withFollowUps)
        }
    }

    /// The street's totals up to and including this file, for the next volume's `before`.
    var streetTotals: Totals { before + totals }

    /// The page's file: the street's name with what file systems refuse, and control characters,
    /// as "_" (a street typed over two lines in Excel put a line break in the file name, and so
    /// into the lists' manifest; found in review).
    /// Two streets whose names differ only in such characters ("a/b", "a_b") get " (2)", " (3)"…
    /// instead of one page overwriting the other; `taken` holds the paths already used, compared
    /// without case ("ABC" and "abc", "Index" and the index, are one file on a USB stick).
    /// A name longer than `maxStemBytes` is cut and ends in "…" and a hash of the whole name: one
    /// 282-byte street (a note typed into the street column) failed every street's page with "File
    /// name too long" (ext4 allows 255 bytes; found in review).
    /// `suffix` (a volume's "-第002册", at most 15 bytes) comes after the name, shortened or not, so
    /// a long street's volumes keep their numbers in order.
    static func path(street: String, directory: URL, taken: UsedFileNames = UsedFileNames(), suffix: String = "") -> String {
        var safe = String(street.map { "/\\:*?\"<>|".contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "_" : $0 })
        if safe.hasPrefix(".") { safe = "_" + safe }  // not a hidden file, which the manifest would not remove
        if safe.utf8.count > maxStemBytes { safe = shortened(safe, hashOf: street) }
        safe += suffix
        var path = directory.appendingPathComponent(safe + ".html").path, k = 2
        while taken.contains(path) {
            path = directory.appendingPathComponent("\(safe) (\(k)).html").path
            k += 1
        }
        return path
    }

    /// The longest name a page gets before ".html" or " (2).html": with those, well within the
    /// 255 bytes most file systems allow.
    static let maxStemBytes = 200

    /// `name` cut on a character boundary, then "…" and 8 hex digits of the SHA-256 of `street`:
    /// still readable, and two long streets that begin alike keep two names.
    private static func shortened(_ name: String, hashOf street: String) -> String {
        let tail = "…" + HexEncoding.string(SHA256.hash(data: Data(street.utf8))).prefix(8)
        var kept = "", bytes = 0
        for character in name {
            let n = character.utf8.count
            if bytes + n + tail.utf8.count > maxStemBytes { break }
            kept.append(character)
            bytes += n
        }
        return kept + tail
    }

    /// What a street's page says at its top besides the volume: the street, the run, `partialNote`
    /// (shown when the run did not complete, `ServiceLists.partialRunNote`) and `notes` (a street
    /// that is not one of Bao'an's, input rows the run rejected).
    struct Head {
        var street: String
        var run: RunRecord
        var partialNote: String?
        var notes: [String]

        /// The HTML from the start of the file to the first business; `volume`: the label of a
        /// volume of a split street.
        func html(volume: VolumeLabel?) -> String {
            let p = run.provenance
            return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(StreetPage.heading(street, volume: volume, separator: " "))</title>
            <style>
            @page { size: A4; margin: 14mm 12mm;
              @top-left { content: \(CSS.string(StreetPage.heading(street, volume: volume, separator: " · ", escape: { $0 }))); font-size: 8pt; color: #666; }
              @top-right { content: \(CSS.string("运行 \(run.id) · 判定日期 \(p.asOf)")); font-size: 8pt; color: #666; }
              @bottom-center { content: "第 " counter(page) " 页, 共 " counter(pages) " 页"; font-size: 8pt; color: #666; } }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; color: #111; }
            h1 { font-size: 16pt; margin: 0 0 2mm; }
            .meta { color: #555; font-size: 8.5pt; margin-bottom: 5mm; }
            section { border: 1px solid #999; border-radius: 2mm; padding: 3mm 4mm; margin-bottom: 5mm; page-break-inside: avoid; break-inside: avoid; }
            h2 { font-size: 12pt; margin: 0 0 1mm; }
            .code { font-family: monospace; color: #333; font-size: 9.5pt; }
            table { width: 100%; border-collapse: collapse; margin-top: 2mm; }
            th, td { border-bottom: 1px solid #ccc; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; font-weight: 600; font-size: 9.5pt; }
            td.n, th.n, td.mode, th.mode { text-align: right; white-space: nowrap; }
            td.mode, th.mode { text-align: left; }
            .reason { color: #333; font-size: 9pt; }
            .sign { margin-top: 2mm; font-size: 9pt; color: #555; }
            .partial { border: 2px solid #b00; color: #b00; font-weight: 600; padding: 2mm 3mm; margin-bottom: 5mm; }
            .partial-mark { float: right; color: #b00; font-weight: 600; font-size: 9pt; }
            .note { border: 1px solid #b60; color: #842; padding: 1.5mm 3mm; margin-bottom: 4mm; font-size: 9.5pt; }
            .source { color: #555; font-size: 8.5pt; }
            .reviewed { color: #1a6b1a; font-size: 8.5pt; }
            .todo { margin-top: 2mm; font-size: 9.5pt; }
            .todo ul { margin: 1mm 0 0 5mm; padding: 0; }
            .none { margin-top: 2mm; color: #555; }
            .summary { margin-top: 4mm; font-weight: 600; }
            \(volume == nil ? "" : ".volume { font-weight: 600; margin-bottom: 2mm; }\n")\
            </style>
            </head>
            <body>
            <h1>\(StreetPage.heading(street, volume: volume, separator: " · "))</h1>
            \(volume.map { "<div class=\"volume\">\(HTML.escape($0.range(street: street)))</div>\n" } ?? "")\
            <div class="meta">运行 \(run.id) · 判定日期 \(HTML.escape(p.asOf)) · 规则包 \(HTML.escape(String(p.rulesSHA256.prefix(12)))) · 服务目录版本 \(HTML.escape(p.catalogVersion))</div>
            <div class="meta">测算金额按企业现有数据和服务目录中的参数 (如最高额度、参考利率) 计算, 仅供参考, 以主管部门审核为准。标有 “✓ 已审核确认” 的服务已由审核人确认; 其余为系统判定, 尚未人工审核。</div>
            \(partialNote.map { "<div class=\"partial\">⚠ \(HTML.escape($0))</div>\n" } ?? "")\
            \(notes.map { "<div class=\"note\">\(HTML.escape($0))</div>\n" }.joined())
            """
        }

        /// A volume's head, padded with spaces to `bytes` (the room its file has for it), or, with
        /// `bytes` nil, to the room any label needs: numbers as long as an `Int`'s.
        func volumeHTML(_ label: VolumeLabel, bytes: Int? = nil) throws -> [UInt8] {
            let room = bytes ?? html(volume: .widest(number: label.number)).utf8.count
            var text = Array(html(volume: label).utf8)
            guard text.count <= room else {
                throw Diagnostic(.error, "volume \(label.number) of '\(street)': its head needs \(text.count) bytes, the file has room for \(room) (清单分册标题过长)")
            }
            // Spaces (and a line end) after the head's last element: nothing on the page.
            if text.count < room {
                text += [UInt8](repeating: UInt8(ascii: " "), count: room - text.count - 1) + [UInt8(ascii: "\n")]
            }
            return text
        }
    }

    /// Which part of its street's list a volume holds: "第 2 册, 共 5 册", the businesses
    /// numbered 501–1000 of the street's 2345, in volumes of 500.
    struct VolumeLabel: Equatable {
        var number: Int, volumes: Int, first: Int, last: Int, businesses: Int, perVolume: Int
        /// Businesses in the street's last volume (the others hold `perVolume`).
        var inLastVolume: Int

        /// A label as long as any can be: a head written with it has room for the real one, known
        /// only once the street's last business is written.
        static func widest(number: Int) -> VolumeLabel {
            VolumeLabel(number: number, volumes: .max, first: .max, last: .max, businesses: .max, perVolume: .max, inLastVolume: .max)
        }

        /// "本册为第 501–1000 家; 新安街道清单共 2345 家企业, 分 5 册, 每册 500 家 (第 5 册 345 家)。"
        /// The numbers are those on the businesses' cards.
        func range(street: String) -> String {
            "本册为第 \(first == last ? "\(first)" : "\(first)–\(last)") 家; \(street)清单共 \(businesses) 家企业, 分 \(volumes) 册, 每册 \(perVolume) 家"
                + (inLastVolume == perVolume ? "" : " (第 \(volumes) 册 \(inLastVolume) 家)") + "。"
        }
    }

    /// A volume's file once closed: what its head is written again from, when the street's volumes
    /// are all written (`label(of:businesses:perVolume:inLastVolume:)`).
    struct Volume {
        var path: String, head: Head, number: Int, first: Int, last: Int, headBytes: Int

        /// Writes the volume's final head over the one it was written with, in place: the new
        /// head is padded to the bytes the file keeps for it, so nothing after it moves.
        func label(of volumes: Int, businesses: Int, perVolume: Int, inLastVolume: Int) throws {
            let label = VolumeLabel(number: number, volumes: volumes, first: first, last: last, businesses: businesses, perVolume: perVolume,
                                    inLastVolume: inLastVolume)
            let bytes = try head.volumeHTML(label, bytes: headBytes)
            do {
                let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                do {
                    try file.seek(toOffset: 0)
                    try file.write(contentsOf: bytes)
                } catch {
                    try? file.close()
                    throw error
                }
                try file.close()  // its error too: a write may fail only then
            } catch {
                throw Diagnostic.writeFailed(error, file: URL(fileURLWithPath: path).lastPathComponent)
            }
        }
    }

    /// `path`: where to write it (`StreetPage.path`, made unique among the run's streets).
    /// `volume`: the file's number when a street's list is split (`ServiceLists.businessesPerFile`);
    /// its head is written with room for its label, written in once the street is done.
    /// `before`: the totals of the volumes before it, so numbers and the street's summary go on.
    init(head: Head, path: String, volume: Int? = nil, before: Totals = Totals()) throws {
        self.path = path
        self.head = head
        self.volume = volume
        self.before = before
        output = try BufferedOutput(path: path)
        // The banner is only at the top of the first printed page: each business's card (whole on
        // one page) carries a short mark too, so every printed page says the list is incomplete.
        partialMark = head.partialNote == nil ? "" : "<span class=\"partial-mark\">⚠ 清单不完整 (运行 \(head.run.id) \(head.run.status.label))</span>"
        if let volume {
            let bytes = try head.volumeHTML(.widest(number: volume))
            headBytes = bytes.count
            try output.write(bytes)
        } else {
            let text = head.html(volume: nil)
            headBytes = text.utf8.count
            try output.write(text)
        }
    }

    /// This file, closed, as a volume of its street.
    var asVolume: Volume {
        Volume(path: path, head: head, number: volume ?? 1, first: before.businesses + 1, last: count, headBytes: headBytes)
    }

    /// "新安 · 一企一单 惠企服务清单", with " (第 2 册, 共 5 册)" for a volume; the street escaped
    /// for HTML unless `escape` says otherwise.
    static func heading(_ street: String, volume: VolumeLabel?, separator: String, escape: (String) -> String = HTML.escape) -> String {
        escape(street) + separator + "一企一单 惠企服务清单" + (volume.map { " (第 \($0.number) 册, 共 \($0.volumes) 册)" } ?? "")
    }

    /// The street's single file, written before the street needed a second, as its volume 1 at
    /// `newPath`, closed: its head written anew with room for the volume's label, the businesses
    /// after it copied as they are. (The head grows: it cannot be rewritten in place.)
    func relabeledAsFirstVolume(to newPath: String) throws -> Volume {
        let bytes = try head.volumeHTML(.widest(number: 1))
        do {
            guard let input = FileHandle(forReadingAtPath: path) else {
                throw Diagnostic(file: URL(fileURLWithPath: path).lastPathComponent, "cannot read the list just written (无法读取)")
            }
            defer { try? input.close() }
            let output = try OutputFile.create(newPath)
            do {
                try output.write(contentsOf: bytes)
                try input.seek(toOffset: UInt64(headBytes))
                while let piece = try input.read(upToCount: 1 << 20), !piece.isEmpty { try output.write(contentsOf: piece) }
            } catch {
                try? output.close()
                throw error
            }
            try output.close()
        } catch let d as Diagnostic {
            throw d
        } catch {
            throw Diagnostic.writeFailed(error, file: URL(fileURLWithPath: newPath).lastPathComponent)
        }
        unlink(path)
        return Volume(path: newPath, head: head, number: 1, first: 1, last: count, headBytes: bytes.count)
    }

    /// One business's card: its eligible services in the order of `ranked` (positions in `items`,
    /// `ServiceLists.rankOrder`), then the data to collect for the services pending for missing
    /// data (`ServiceLists.followUps`).
    /// The card is encoded straight into the file's buffer: built as a Swift string, piece by
    /// piece, it was about a fifth of `lists`' user time (perf, 110k businesses).
    func add(business: LogRowDecoder.Business, items: [ServiceLists.Item], ranked: [Int], followUps: [(what: String, services: [String])] = []) throws {
        totals.businesses += 1
        totals.services += ranked.count
        totals.amount += ranked.reduce(0) { $0 + (items[$1].amount ?? 0) }
        if !followUps.isEmpty { totals.withFollowUps += 1 }
        let number = count
        try output.write { html in
            html.append(contentsOf: "<section>\n".utf8)
            html.append(contentsOf: partialMark.utf8)
            html.append(contentsOf: "<h2>".utf8)
            DecimalDigits.append(UInt64(number), to: &html)
            html.append(contentsOf: ". ".utf8)
            HTML.appendEscaped(business.name, to: &html)
            html.append(contentsOf: "</h2>\n<div class=\"code\">统一社会信用代码 ".utf8)
            HTML.appendEscaped(business.creditCode, to: &html)
            html.append(contentsOf: "</div>\n".utf8)
            if ranked.isEmpty {
                html.append(contentsOf: "<div class=\"none\">暂无已确定可享受的服务: 补齐下列资料后重新判定。</div>\n".utf8)
            } else {
                html.append(contentsOf: """
                <table>
                <tr><th class="n">序号</th><th>服务</th><th class="mode">办理方式</th><th>主管部门</th><th class="n">测算金额(元)</th><th>理由</th></tr>

                """.utf8)
            }
            for (i, k) in ranked.enumerated() {
                let item = items[k]
                let service = serviceCells(item)
                html.append(contentsOf: "<tr><td class=\"n\">".utf8)
                DecimalDigits.append(UInt64(i + 1), to: &html)
                html.append(contentsOf: "</td><td>".utf8)
                html.append(contentsOf: service.head)
                if let reviewer = item.confirmedBy {
                    html.append(contentsOf: "<br><span class=\"reviewed\">✓ 已审核确认 (".utf8)
                    HTML.appendEscaped(reviewer, to: &html)
                    html.append(contentsOf: ")</span>".utf8)
                }
                html.append(contentsOf: service.tail)
                if let amount = item.amount { DecisionFileWriter.appendGroupedMoney(amount, to: &html) } else { html.append(contentsOf: "—".utf8) }
                html.append(contentsOf: "</td><td class=\"reason\">".utf8)
                html.append(contentsOf: item.reasons.html)
                html.append(contentsOf: "</td></tr>\n".utf8)
            }
            if !ranked.isEmpty { html.append(contentsOf: "</table>\n".utf8) }
            if !followUps.isEmpty {
                html.append(contentsOf: "<div class=\"todo\"><b>待补充资料</b> (补齐后可重新判定以下服务):<ul>\n".utf8)
                for f in followUps {
                    html.append(contentsOf: "<li>".utf8)
                    HTML.appendEscaped(f.what, to: &html)
                    html.append(contentsOf: " — ".utf8)
                    for (j, service) in f.services.enumerated() {
                        if j > 0 { html.append(contentsOf: "、".utf8) }
                        HTML.appendEscaped(service, to: &html)
                    }
                    html.append(contentsOf: "</li>\n".utf8)
                }
                html.append(contentsOf: "</ul></div>\n".utf8)
            }
            html.append(contentsOf: "<div class=\"sign\">走访日期: ________　　走访人: ________　　企业确认: ________</div>\n</section>\n".utf8)
        }
    }

    /// A service's cells in a card's table, before and after the reviewer's mark: its name, id and
    /// source; its mode and provider. The same for every business, so escaped once a file.
    private func serviceCells(_ item: ServiceLists.Item) -> (head: [UInt8], tail: [UInt8]) {
        if let known = serviceParts[item.slot] { return known }  // (only a service the run has is kept)
        let service = head.run.service(slot: item.slot)
        // The policy a service rests on, under its name: what the cadre cites (street-cadre review).
        let source = service?.source.map { "<br><span class=\"source\">依据: \(HTML.escape($0))</span>" } ?? ""
        let before = "\(HTML.escape(item.service.name))<br><span class=\"code\">\(HTML.escape(item.service.id))</span>\(source)"
        let after = "</td><td class=\"mode\">\(HTML.escape(service?.mode ?? ""))</td><td>\(HTML.escape(service?.provider ?? ""))</td>"
            + "<td class=\"n\">"
        let cells = (head: Array(before.utf8), tail: Array(after.utf8))
        if service != nil { serviceParts[item.slot] = cells }
        return cells
    }

    private var serviceParts: [Int: (head: [UInt8], tail: [UInt8])] = [:]

    /// Ends the file with its totals: what a cadre reports for the street (or this volume of it).
    /// `lastVolume`: this is the last of the street's volumes, which gives the street's totals too.
    func close(lastVolume: Bool = false) throws {
        try output.write(StreetPage.summary("以上共", totals))
        if lastVolume, let volume {
            try output.write(StreetPage.summary("\(HTML.escape(head.street))全部 \(volume) 册共", streetTotals))
        }
        try output.write("</body>\n</html>\n")
        try output.close()
    }
}

extension StreetPage {
    /// "以上共 500 家企业: 可享受服务 1200 项, 测算金额合计 3,000,000.00 元; 其中 40 家有待补充资料。"
    fileprivate static func summary(_ lead: String, _ t: Totals) -> String {
        "<div class=\"summary\">\(lead) \(t.businesses) 家企业: 可享受服务 \(t.services) 项, "
            + "测算金额合计 \(DecisionFileWriter.groupedMoney(t.amount)) 元; 其中 \(t.withFollowUps) 家有待补充资料。</div>\n"
    }
}

/// Text for HTML: `&`, `<`, `>`, quotes escaped.
enum HTML {
    /// `escape(s)`'s bytes appended to `bytes`. The characters escaped are ASCII, which is never
    /// part of another character's UTF-8, so the text is escaped byte by byte.
    static func appendEscaped(_ s: String, to bytes: inout [UInt8]) {
        var text = s
        text.withUTF8 { utf8 in
            var from = 0
            for k in utf8.indices {
                let entity: StaticString
                switch utf8[k] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from..<k]))
                entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
                from = k + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...]))
        }
    }

    static func escape(_ s: String) -> String {
        // Most texts have nothing to escape: a byte scan, and the same string back. Building every
        // text anew scalar by scalar was a quarter of `lists`' time (perf, 100k businesses).
        var text = s
        let clean = text.withUTF8 { bytes in
            !bytes.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
        }
        if clean { return text }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Text inside a `<style>` element.
enum CSS {
    /// `text` as a quoted CSS string: quotes and backslashes escaped, and `<`, `>`, `&` and control
    /// characters as hex escapes, so a street's name cannot end the string or the `<style>`.
    static func string(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"", "\\": out += "\\" + String(c)
            case "<", ">", "&": out += "\\" + String(c.value, radix: 16) + " "
            default:
                if c.value < 0x20 || c.value == 0x7F { out += "\\" + String(c.value, radix: 16) + " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
