import Foundation

/// Finds existing projects like the one being proposed, so a team builds on what others learned.
/// Texts are compared by TF-IDF cosine similarity (Salton & Buckley, "Term-weighting approaches in
/// automatic text retrieval", 1988) over titles, problems and aims: simple, explainable, and fast
/// enough for thousands of projects without a search engine.
struct SimilarProjects: Sendable {
    struct Document: Sendable {
        let id: UUID
        let text: String
    }

    struct Match: Sendable, Equatable {
        let id: UUID
        let score: Double
    }

    private let vectors: [(id: UUID, weights: [String: Double])]
    private let inverseFrequency: [String: Double]

    init(_ documents: [Document]) {
        let tokenised = documents.map { ($0.id, Self.terms($0.text)) }
        var frequency: [String: Int] = [:]
        for (_, terms) in tokenised { for term in Set(terms) { frequency[term, default: 0] += 1 } }
        let count = Double(max(documents.count, 1))
        let idf = frequency.mapValues { log((1 + count) / (1 + Double($0))) + 1 }
        inverseFrequency = idf
        vectors = tokenised.map { id, terms in (id, Self.weights(terms, idf: idf)) }
    }

    /// The closest projects to `text`, best first, above a floor that keeps out chance overlaps.
    func matches(for text: String, excluding excluded: UUID? = nil, limit: Int = 5, minimumScore: Double = 0.12)
        -> [Match]
    {
        let query = Self.weights(Self.terms(text), idf: inverseFrequency)
        guard !query.isEmpty else { return [] }
        return vectors.compactMap { id, weights -> Match? in
            guard id != excluded else { return nil }
            var dot = 0.0
            for (term, weight) in query { dot += weight * (weights[term] ?? 0) }
            return dot >= minimumScore ? Match(id: id, score: dot) : nil
        }
        .sorted { $0.score > $1.score }
        .prefix(limit).map { $0 }
    }

    /// Unit-length TF-IDF weights.
    private static func weights(_ terms: [String], idf: [String: Double]) -> [String: Double] {
        var counts: [String: Double] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        var weights = counts.reduce(into: [String: Double]()) { result, entry in
            result[entry.key] = entry.value * (idf[entry.key] ?? 1)
        }
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [:] }
        for key in weights.keys { weights[key]! /= norm }
        return weights
    }

    /// Lower-cased words without common words, with plurals and -ing/-ed endings folded, so
    /// "falls", "falling" and "fall" meet.
    static func terms(_ text: String) -> [String] {
        text.lowercased()
            .split { !$0.isLetter && !$0.isNumber }
            .map(String.init)
            .filter { $0.count > 2 && !stopWords.contains($0) }
            .map(stem)
    }

    static func stem(_ word: String) -> String {
        for suffix in ["ing", "ed", "es", "s"] where word.count > suffix.count + 3 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "will", "into", "our", "their",
        "they", "have", "has", "not", "but", "all", "can", "more", "less", "per", "who", "what", "when", "how", "which",
        "within", "over", "than", "reduce", "increase", "improve", "improving", "reducing", "increasing", "number",
        "by",
    ]
}
