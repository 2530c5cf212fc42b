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
}

extension ResultCacheTests {
    @Test("a search is never a key: the measures summary of a search is drawn afresh")
    func noFreeText() {
        var filter = MeasureSummaryPage.Filter.everything
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) != nil)
        filter.search = "Falls"
        #expect(MeasureSummaryPage.PageKey(unit: UUID(), filter: filter, canAdd: false) == nil)
    }
}

actor Counter {
    private(set) var count = 0
    func increment() { count += 1 }
}
