extension Array {
    /// The array in consecutive slices of at most `size`: for statements with a bounded number of
    /// bound values (SQLite takes 32,766, PostgreSQL 65,535).
    package func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Sequence where Element: Hashable {
    /// The element that occurs most often; of those that occur equally often, the first. Nil when empty.
    var mostCommon: Element? {
        var counts: [Element: Int] = [:]
        var order: [Element] = []
        for element in self {
            if counts[element] == nil { order.append(element) }
            counts[element, default: 0] += 1
        }
        return order.max { counts[$0]! < counts[$1]! }
    }
}
