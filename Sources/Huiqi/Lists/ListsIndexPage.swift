import Foundation

/// `index.html` of a lists directory (目录): every street's pages in the district's order, with
/// what each holds, so a cadre or an office finds a street's list without reading file names.
///
/// At district scale a run's lists are some 2,000 files ("新安-第001册.html" … "-第220册.html"),
/// and a file browser orders them by character code, not by the district's order of streets
/// (新安, 西乡, 航城, …). The index is the page to open first: "index.html" sorts before every
/// street's name. Its links are relative, so the directory can be copied or zipped as it is.
enum ListsIndexPage {
    static let fileName = "index.html"

    /// One street on the index: its heading, its files (volumes in order; one file for a street
    /// that needs no volumes) and its totals, as its last page sums them.
    struct Street {
        var heading: String
        var files: [(path: String, first: Int, last: Int)]
        var totals: StreetPage.Totals
        /// Said under the street's name: not one of Bao'an's streets, or no street filled in.
        var note: String?
    }

    static func html(run: RunRecord, streets: [Street], csvPaths: [String], partialNote: String?, rejectedNote: String?) -> String {
        let p = run.provenance
        let all = streets.reduce(StreetPage.Totals()) { $0 + $1.totals }
        var rows = ""
        for street in streets {
            let t = street.totals
            let links: String
            if street.files.count == 1, let file = street.files.first {
                links = link(file.path, "打开清单")
            } else {
                links = street.files.enumerated().map { k, file in
                    "<span class=\"volume\">" + link(file.path, "第 \(k + 1) 册")
                        + "<span class=\"range\"> (\(file.first == file.last ? "\(file.first)" : "\(file.first)–\(file.last)"))</span></span>"
                }.joined(separator: " \n")
            }
            rows += "<tr><td class=\"street\">\(HTML.escape(street.heading))"
                + (street.note.map { "<br><span class=\"note\">\(HTML.escape($0))</span>" } ?? "")
                + "</td><td class=\"n\">\(t.businesses)</td><td class=\"n\">\(t.services)</td>"
                + "<td class=\"n\">\(DecisionFileWriter.groupedMoney(t.amount))</td><td class=\"n\">\(t.withFollowUps)</td>"
                + "<td class=\"n\">\(street.files.count)</td><td class=\"files\">\(links)</td></tr>\n"
        }
        let csv = csvPaths.map { link($0, URL(fileURLWithPath: $0).lastPathComponent) }.joined(separator: "、")
        return """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>一企一单 惠企服务清单 · 目录 · 运行 \(run.id)</title>
        <style>
        @page { size: A4; margin: 14mm 12mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; color: #111; }
        h1 { font-size: 16pt; margin: 0 0 2mm; }
        .meta { color: #555; font-size: 8.5pt; margin-bottom: 4mm; }
        table { width: 100%; border-collapse: collapse; margin-top: 2mm; }
        th, td { border-bottom: 1px solid #ccc; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; font-weight: 600; font-size: 9.5pt; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        tr.total td { font-weight: 600; border-top: 2px solid #999; }
        .files { font-size: 9.5pt; }
        td.street, .volume { white-space: nowrap; }
        .range { color: #555; font-size: 8.5pt; }
        .note { color: #842; font-size: 8.5pt; }
        .partial { border: 2px solid #b00; color: #b00; font-weight: 600; padding: 2mm 3mm; margin-bottom: 5mm; }
        .warn { border: 1px solid #b60; color: #842; padding: 1.5mm 3mm; margin-bottom: 4mm; font-size: 9.5pt; }
        </style>
        </head>
        <body>
        <h1>一企一单 惠企服务清单 · 目录</h1>
        <div class="meta">运行 \(run.id) · 判定日期 \(HTML.escape(p.asOf)) · 规则包 \(HTML.escape(String(p.rulesSHA256.prefix(12)))) · 服务目录版本 \(HTML.escape(p.catalogVersion))</div>
        \(partialNote.map { "<div class=\"partial\">⚠ \(HTML.escape($0))</div>\n" } ?? "")\
        \(rejectedNote.map { "<div class=\"warn\">\(HTML.escape($0))</div>\n" } ?? "")\
        <div class="meta">各街道清单按全区街道顺序排列; 企业较多的街道分册, 每册注明所含企业的序号 (与清单上企业卡片的序号一致)。测算金额仅供参考, 以主管部门审核为准。表格版 (Excel): \(csv)</div>
        <table>
        <thead><tr><th>街道</th><th class="n">企业数</th><th class="n">可享受服务(项)</th><th class="n">测算金额合计(元)</th><th class="n">待补充资料(家)</th><th class="n">册数</th><th>清单文件</th></tr></thead>
        \(rows)<tr class="total"><td class="street">合计</td><td class="n">\(all.businesses)</td><td class="n">\(all.services)</td><td class="n">\(DecisionFileWriter.groupedMoney(all.amount))</td><td class="n">\(all.withFollowUps)</td><td class="n">\(streets.reduce(0) { $0 + $1.files.count })</td><td></td></tr>
        </table>
        </body>
        </html>

        """
    }

    /// A link to a file of the same directory: its name percent-encoded as a URL path segment
    /// ("(未填街道).html", a name with spaces or "#"), the text escaped for HTML.
    private static func link(_ path: String, _ text: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#;:")
        let href = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        return "<a href=\"\(HTML.escape(href))\">\(HTML.escape(text))</a>"
    }
}
