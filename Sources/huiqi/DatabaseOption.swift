import ArgumentParser
import Huiqi

/// `--db FILE`: the decision log every logging and log-reading command shares.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The decision log (SQLite).", valueName: "FILE"))
    var db: String = "huiqi.db"

    /// Opens the log to write it (`run`, `review`); `create` false refuses a missing file instead
    /// of making an empty log.
    func openForWriting(create: Bool) throws -> DecisionStore {
        try SQLiteDecisionStore(path: db, create: create)
    }

    /// Opens an existing log read-only (`log`, `explain`, `lists`): works without write access to
    /// the file or its directory, and never creates, migrates or converts a file (see
    /// `SQLiteDecisionStore.init(readOnly:)` for a log an older huiqi wrote).
    func openForReading() throws -> DecisionStore {
        try SQLiteDecisionStore(readOnly: db)
    }
}
