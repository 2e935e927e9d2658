/// The files a `lists` run has named so far, compared as a case-insensitive file system compares
/// them: a district's lists are copied to USB sticks (FAT, exFAT) and shared folders (NTFS, macOS),
/// where "Index.html" is "index.html", and streets "Abc" and "ABC" would write one file.
struct UsedFileNames: ExpressibleByArrayLiteral {
    private var folded: Set<String> = []

    init(_ paths: [String] = []) {
        for path in paths { insert(path) }
    }

    init(arrayLiteral paths: String...) {
        self.init(paths)
    }

    mutating func insert(_ path: String) {
        folded.insert(path.lowercased())
    }

    func contains(_ path: String) -> Bool {
        folded.contains(path.lowercased())
    }
}
