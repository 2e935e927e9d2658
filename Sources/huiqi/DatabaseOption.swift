import ArgumentParser
import Huiqi

/// `--db FILE`: the decision log every logging and log-reading command shares.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The decision log (SQLite).", valueName: "FILE"))
    var db: String = "huiqi.db"

    /// Opens the log; `create` false refuses a missing file instead of making an empty log.
    func open(create: Bool) throws -> DecisionStore {
        try SQLiteDecisionStore(path: db, create: create)
    }
}
