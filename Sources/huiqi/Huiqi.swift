import ArgumentParser
import Huiqi

@main
struct HuiqiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huiqi",
        abstract: "惠企 huiqi — match businesses with government services using Lua eligibility rules.",
        discussion: """
        Analysts write rules in Lua under Rules/; operators run them over business profiles; every
        decision comes with its reasons.

        Examples:
          huiqi check                                   validate the rules bundle in ./Rules
          huiqi test --filter RENT                      run the rule tests mentioning RENT
          huiqi run Samples/profiles.csv --out out/decisions.csv
          huiqi explain 91440300MA5G8XQ06W --profiles Samples/profiles.csv
          huiqi log runs                                runs in ./huiqi.db
          huiqi log show 1 --outcome eligible           decisions of run 1
          huiqi explain 91440300MA5G8XQ06W --run 1      why, in run 1
          huiqi review 1000000000012 --confirm --by 张三  a reviewer confirms
        """,
        version: HuiqiVersion.current,
        subcommands: [Check.self, Test.self, Run.self, Explain.self, Log.self, ReviewCommand.self, Lists.self, Sample.self]
    )
}
