import ArgumentParser
import Foundation
import Huiqi

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain the decisions for one business: every condition, the fields it read, the amount.",
        discussion: """
        Example:
          huiqi explain 91440300MA5G8XQ06W --profiles Samples/profiles.csv --service RENT-02
        """
    )

    @Argument(help: ArgumentHelp("The business's 统一社会信用代码.", valueName: "CREDIT_CODE"))
    var creditCode: String

    @Option(help: ArgumentHelp("Profile file(s) to find the business in.", valueName: "FILE"))
    var profiles: [String] = []

    @Option(help: ArgumentHelp("Only this service.", valueName: "ID"))
    var service: String?

    @OptionGroup var bundle: BundleOptions
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Input encoding: auto, utf-8, gb18030, gbk.", valueName: "E"))
    var encoding: String = "auto"

    func validate() throws {
        guard !profiles.isEmpty else { throw ValidationError("give --profiles FILE") }
    }

    func run() throws {
        do {
            let loaded = try LoadedBundle.load(directory: bundle.rules)
            let code = creditCode.trimmingCharacters(in: .whitespaces).uppercased()
            var stream = try ProfileStream(files: profiles.map { URL(fileURLWithPath: $0) }, schema: loaded.schema,
                                           encoding: InputEncoding(name: encoding) ?? .auto, allowExtra: true)
            let codeIndex = loaded.schema.index(of: Schema.creditCodeField) ?? 0
            while let record = try stream.next() {
                switch record {
                case .profile(let p) where p[codeIndex]?.displayText == code:
                    let runtime = try RuleRuntime(bundle: loaded, asOf: asOf.resolved, limits: bundle.limits)
                    if let service, !runtime.plan.slots.contains(where: { $0.service.id == service }) {
                        throw Diagnostic(.error, "service \(service) is not evaluated on \(asOf.resolved) (unknown, inactive or without a rule)")
                    }
                    print(Explanation(runtime: runtime, profile: p, serviceFilter: service).render())
                    return
                case .rejected(let r) where r.creditCode?.uppercased() == code:
                    print("\(code): rejected at \(r.file):\(r.line) — \(r.reason) (未评估)")
                    throw ExitCode(1)
                default:
                    continue
                }
            }
            Console.error("\(code): not found in \(profiles.joined(separator: ", "))")
            throw ExitCode(1)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }
}
