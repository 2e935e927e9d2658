import GRDB

/// Several `ShardRows` walked together in row order (`ShardMerge`): a min-heap of the streams by
/// their next row, so a row costs O(log N) comparisons however many shards there are (up to
/// `RunShard.maxCount`), and a row two streams both have is found when it comes up.
struct ShardRowOrder {
    /// Two streams hold the same row.
    struct Overlap: Error {
        var row: Int64
        var first: Int, second: Int
    }

    private let streams: [ShardRows]
    /// Streams with rows left, by their next row (ties by stream): `heap[0]` is the lowest.
    private var heap: [(row: Int64, stream: Int)] = []

    init(_ streams: [ShardRows]) throws {
        self.streams = streams
        for (i, stream) in streams.enumerated() {
            guard let head = try stream.head() else { continue }
            heap.append((head[0], i))
            siftUp(heap.count - 1)
        }
    }

    /// The lowest next row of all streams, with its stream and values; nil when all are done.
    /// Throws `Overlap` when another stream's next row is the same. (Any entry equal to the
    /// lowest has only equal ones above it, so one is a child of the top.)
    func next() throws -> (stream: Int, row: Int64, values: Row)? {
        guard let top = heap.first else { return nil }
        for child in [1, 2] where child < heap.count && heap[child].row == top.row {
            throw Overlap(row: top.row, first: min(top.stream, heap[child].stream), second: max(top.stream, heap[child].stream))
        }
        guard let values = try streams[top.stream].head() else { return nil }
        return (top.stream, top.row, values)
    }

    /// Moves past the row `next()` gave.
    mutating func advance() throws {
        guard let top = heap.first else { return }
        streams[top.stream].advance()
        if let head = try streams[top.stream].head() {
            heap[0] = (head[0], top.stream)
        } else {
            let last = heap.removeLast()
            guard !heap.isEmpty else { return }
            heap[0] = last
        }
        siftDown(0)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].row < heap[b].row || (heap[a].row == heap[b].row && heap[a].stream < heap[b].stream)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            var lowest = i
            for child in [2 * i + 1, 2 * i + 2] where child < heap.count && less(child, lowest) { lowest = child }
            guard lowest != i else { return }
            heap.swapAt(i, lowest)
            i = lowest
        }
    }
}
