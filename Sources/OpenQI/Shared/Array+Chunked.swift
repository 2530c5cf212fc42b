extension Array {
    /// The array in consecutive slices of at most `size`: for statements with a bounded number of
    /// bound values (SQLite takes 32,766, PostgreSQL 65,535).
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
