import ArgumentParser
import Foundation
import Huiqi

/// `huiqi lists`: the 一企一单 service lists cadres take on visits.
struct Lists: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "生成一企一单走访清单 — Write a run's lists: one printable HTML per street, plus a CSV.",
        discussion: """
        Each business gets the services it is eligible for, ranked by score, \
        with reasons, estimated amount, mode, provider and policy source, and \
        the data to collect for services pending for missing data (待补充资料; \
        a business with only those gets a list too). lists.csv holds the \
        eligible services. Decisions a reviewer rejected are left out.

        Streets go in the district's order (新安, 西乡, 航城, …), grouped as \
        the rules read them (新安, 新安街道, 深圳市宝安区新安街道办事处, xinan are \
        one street); a street that is not one of Bao'an's ten is flagged on its \
        page. Each file ends with its totals. index.html (目录) links every \
        street's files in that order, with each street's totals: open it first. \
        Open a street's HTML in a browser and print it (A4); lists.csv \
        opens in Excel. A street with more than 500 businesses (--per-volume) is split into \
        volumes (新安-第001册.html, 新安-第002册.html, …), numbered on; each \
        says which of how many it is (第 2 册, 共 5 册) and which businesses \
        it holds of the street's. For a run that did not complete, every page says so \
        and the CSV is lists-未完成.csv (for a run still going, make them \
        again when it completes).

        Writing into a directory again first removes the files the last \
        `huiqi lists` wrote there (named in DIR/.huiqi-lists); other files stay. \
        A --street the run does not have, or nothing to list (for the street or the \
        whole run), exits 1 and changes nothing.

        Examples:
          huiqi lists 3 --out out/lists
          huiqi lists 3 --street 新安街道 --out out/xinan
          huiqi lists 3 --street 新安街道 --per-volume 100 --out out/xinan
        """
    )

    @Argument(help: ArgumentHelp("The run id (see `huiqi log runs`).", valueName: "RUN"))
    var runID: Int64

    @Option(help: ArgumentHelp("Only this street: 新安街道, 新安, xinan, … as the rules read it; \"(未填街道)\" for businesses without one.", valueName: "S"))
    var street: String?

    @Option(help: ArgumentHelp("Output directory.", valueName: "DIR"))
    var out: String

    @Option(help: ArgumentHelp("Businesses per printable file: a street with more is split into volumes of this many, "
                               + "e.g. one a cadre takes out on a round of visits.", valueName: "N"))
    var perVolume: Int = ServiceLists.businessesPerFile

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        // A blank --street matched no business and still replaced the earlier lists (code review).
        if let street, StreetName.key(street).isEmpty {
            throw ValidationError("--street is blank: give a street (新安 or 新安街道), or \"\(StreetName.unfilled)\" for businesses without one "
                                  + "(街道为空: 请写街道名, 如 新安 或 新安街道; 未填街道的企业写 \"\(StreetName.unfilled)\")")
        }
        // `--out out/新安.html` made a directory of that name holding every street's pages
        // (first-day review): a name with a file's extension is taken for a file, unless such a
        // directory is there already.
        var isDirectory: ObjCBool = false
        let ext = (out as NSString).pathExtension.lowercased()
        if ["html", "htm", "csv", "pdf", "xlsx", "xls"].contains(ext),
           !(FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("--out is the directory the lists are written into, one file per street: '\(out)' looks like a file name "
                                  + "(--out 是清单的输出目录, 不是文件名, 如 --out out/lists)")
        }
        guard (1...1_000_000).contains(perVolume) else {
            throw ValidationError("--per-volume must be between 1 and 1000000 businesses, got \(perVolume) (每册企业数)")
        }
    }

    func run() throws {
        let interrupt = InterruptSignal()
        defer { interrupt.restore() }
        do {
            let store = try database.openForReading()
            let record = try store.requireRun(runID)
            if let note = ServiceLists.partialRunNote(record, logPath: database.db) { Console.error("warning: " + note) }
            // A street the run does not have (a typo) writes nothing and keeps the earlier lists:
            // it used to remove them and leave a header-only CSV, with exit 0 (street-cadre review).
            if let street {
                if try !store.streets(run: runID).contains(StreetName.key(street)) {  // (a blank one is refused by validate)
                    Console.error("no street '\(street)' in run \(runID): nothing written, \(out) is unchanged (运行中没有这个街道, 未生成清单)")
                    Console.error(try Console.streetsNote(store, run: runID))
                    throw ExitCode(1)
                }
            }
            let result = try ServiceLists.write(run: record, store: store, street: street, to: URL(fileURLWithPath: out),
                                                logPath: database.db, interrupt: interrupt, businessesPerFile: perVolume)
            if result.removedEarlier > 0 {
                print("已删除此目录中上次生成的清单 removed \(result.removedEarlier) files an earlier `huiqi lists` wrote to \(out)")
            }
            // One line a street; a street in volumes shows how many and its first and last file.
            var byStreet: [(street: String, paths: [String])] = []
            for file in result.files {
                if byStreet.last?.street == file.street { byStreet[byStreet.count - 1].paths.append(file.path) } else { byStreet.append((file.street, [file.path])) }
            }
            for (street, paths) in byStreet {
                if paths.count == 1 {
                    print(TerminalText.visible("\(street): \(paths[0])"))
                } else {
                    print(TerminalText.visible("\(street): \(paths.count) 册 volumes of \(perVolume) businesses, \(paths[0]) … \(paths[paths.count - 1])"))
                }
            }
            print("\(result.businesses) 家企业, \(result.services) 项服务 → \(Console.csvFiles(result.csvPaths))")
            if let kept = result.indexKept {
                Console.error(TerminalText.visible("warning: \(kept) is not one huiqi wrote: left as it is, and the lists' index not written "
                                                   + "(已有同名文件, 目录页未写入; write the lists into a directory of their own for it)"))
            } else {
                print(TerminalText.visible("目录 index of the streets' files (先打开此页): \(result.indexPath)"))
            }
            if result.withFollowUps > 0 {
                print("其中 \(result.withFollowUps) 家有待补充资料 (\(result.followUpsOnly) 家暂无已确定的服务, 只列待补充资料) with data to collect on the visit")
            }
            if result.rejectedPendingByReview > 0 {
                print("已驳回而未列入 left out as rejected by review: \(result.rejectedByReview) eligible, "
                      + "\(result.rejectedPendingByReview) pending for data (待补充资料)")
            } else if result.rejectedByReview > 0 {
                print("已驳回而未列入 left out as rejected by review: \(result.rejectedByReview)")
            }
            if let rejected = record.rejected, rejected > 0 {
                print("另有 \(rejected) 行输入被拒收, 不在任何清单中 rows rejected, on no list: huiqi log rejects \(runID)\(database.db == "huiqi.db" ? "" : " --db \(ShellWord.quoted(database.db))")")
            }
        } catch let nothing as ServiceLists.NothingToList {
            Console.error("\(nothing): \(out) is unchanged")
            throw ExitCode(1)
        } catch let stop as ServiceLists.ListsInterrupted {
            Console.error("interrupted: no lists were written, the files begun are removed (已中断, 清单未生成)")
            throw ExitCode(InterruptSignal.exitStatus(for: stop.signal))
        } catch let code as ExitCode {
            throw code
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }
}
