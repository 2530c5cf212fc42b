import Foundation
import Testing

@testable import OpenQI

@Suite("Results kept per revision")
struct ResultCacheTests {
    struct PageKey: ResultKey {
        let unit: Int
        let canEdit: Bool
    }

    struct OtherKey: ResultKey {
        let unit: Int
        let canEdit: Bool
    }

    @Test("a result is shared only by equal keys of one type, and computed once per revision")
    func keys() async throws {
        let cache = ResultCache()
        let computed = Counter()
        func value(_ key: some ResultKey, revision: Int) async throws -> String {
            try await cache.value(key, revision: revision) {
                await computed.increment()
                return "\(key) at \(revision)"
            }
        }
        #expect(
            try await value(PageKey(unit: 1, canEdit: false), revision: 1) == "PageKey(unit: 1, canEdit: false) at 1")
        #expect(
            try await value(PageKey(unit: 1, canEdit: false), revision: 1) == "PageKey(unit: 1, canEdit: false) at 1")
        #expect(await computed.count == 1)
        // What a viewer may do is part of the key: an editor never gets a reader's page, nor the reverse.
        #expect(try await value(PageKey(unit: 1, canEdit: true), revision: 1) == "PageKey(unit: 1, canEdit: true) at 1")
        // Another kind of result with the same fields is another result.
        #expect(
            try await value(OtherKey(unit: 1, canEdit: false), revision: 1) == "OtherKey(unit: 1, canEdit: false) at 1")
        #expect(await computed.count == 3)
        #expect(cache.usage.entries == 3)
    }

    @Test("a newer revision drops every result of older ones, and a late result of an old one is not kept")
    func revisions() async throws {
        let cache = ResultCache()
        _ = try await cache.value(PageKey(unit: 1, canEdit: false), revision: 1) { "one" }
        _ = try await cache.value(PageKey(unit: 2, canEdit: false), revision: 1) { "two" }
        #expect(cache.usage.entries == 2)
        _ = try await cache.value(PageKey(unit: 1, canEdit: false), revision: 2) { "one again" }
        #expect(cache.usage.entries == 1)
        _ = try await cache.value(PageKey(unit: 3, canEdit: false), revision: 1) { "late" }
        #expect(cache.usage.entries == 1)
        #expect(try await cache.value(PageKey(unit: 1, canEdit: false), revision: 2) { "recomputed" } == "one again")
    }

    @Test("the cache holds no more bytes than its capacity, and never a result larger than it")
    func bytes() async throws {
        let cache = ResultCache(capacityInBytes: 10_000)
        for unit in 0..<100 {
            _ = try await cache.value(PageKey(unit: unit, canEdit: false), revision: 1) {
                String(repeating: "x", count: 1_000)
            }
            #expect(cache.usage.bytes <= 10_000)
        }
        _ = try await cache.value(PageKey(unit: -1, canEdit: false), revision: 1) {
            String(repeating: "y", count: 20_000)
        }
        #expect(cache.usage.bytes <= 10_000)
        #expect(cache.usage.entries <= 10)
    }

    /// A board report's chart was kept as a pair of SVG and rows, which said nothing of its size and
    /// counted as 4 KB whatever it held: any month of 300 years asked for filled memory far past the bound.
    @Test("a result that does not say its size is counted by what it holds")
    func resultsWithoutASize() async throws {
        struct Drawn: Sendable {
            let svg: String
            let rows: [[String]]
        }
        let cache = ResultCache(capacityInBytes: 100_000)
        for month in 0..<50 {
            _ = try await cache.value(PageKey(unit: month, canEdit: false), revision: 1) {
                Drawn(
                    svg: String(repeating: "<path/>", count: 3_000),
                    rows: Array(repeating: ["2026-01", "7"], count: 100))
            }
            #expect(cache.usage.bytes <= 100_000)
        }
        #expect(cache.usage.entries <= 4, "each is over 21 KB: \(cache.usage.entries) kept")
        #expect(ResultCache.estimatedBytes(of: Drawn(svg: String(repeating: "x", count: 5_000), rows: [])) >= 5_000)
    }
}

extension ResultCacheTests {
    @Test("a search is never a key: the measures summary of a search is drawn afresh")
    func noFreeText() {
        var filter = MeasureSummaryPage.Filter.everything
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) != nil)
        filter.search = "Falls"
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) == nil)
        // Nor is a page number past any trust's list: each would keep a copy of the last page.
        filter.search = ""
        filter.page = MeasureSummaryPage.PageKey.lastKeptPage
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) != nil)
        filter.page = MeasureSummaryPage.PageKey.lastKeptPage + 1
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) == nil)
    }
}

actor Counter {
    private(set) var count = 0
    func increment() { count += 1 }
}

@Suite("A kept page's pieces")
struct PagePiecesTests {
    @Test("a page is cut at every stand-in, byte for byte, whatever the text around it")
    func pieces() {
        let mark = "⟦csrf⟧"
        let cases: [(String, [String])] = [
            ("no stand-in", ["no stand-in"]),
            ("", [""]),
            ("\(mark)", ["", ""]),
            ("a\(mark)b", ["a", "b"]),
            ("\(mark)a\(mark)\(mark)b\(mark)", ["", "a", "", "b", ""]),
            ("Café “quoted” — 東京\(mark)naïve", ["Café “quoted” — 東京", "naïve"]),
            ("⟦csrf", ["⟦csrf"]),
        ]
        for (text, expected) in cases {
            #expect(text.pieces(between: mark) == expected, "\(text)")
            #expect(text.pieces(between: mark).joined(separator: mark) == text)
            #expect(text.pieces(between: mark) == text.components(separatedBy: mark), "as Foundation cuts it")
        }
    }
}
