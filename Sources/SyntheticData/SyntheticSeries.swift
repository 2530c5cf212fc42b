import SPC

/// Deterministic made-up series for benchmarks, demos and tests: the same seed and index always
/// give the same numbers, on every platform, with no Foundation random source.
///
/// Values are weekly-looking: individuals around 50 with σ 5 (Irwin–Hall: the sum of 12
/// uniforms minus 6 is close to normal), and proportions of about 0.3 of denominators between 80
/// and 120. One series in four has a step change of 1.5σ after its middle, so dashboards
/// and benchmarks see signals as well as common cause variation.
package struct SyntheticSeries: Sendable {
    package var seed: UInt64

    package init(seed: UInt64 = 0x5EED) { self.seed = seed }

    /// Fills `values` (and `denominators` for charts that use them) with series `index` of
    /// `points` points, reusing the arrays' storage.
    package func fill(
        values: inout [Double], denominators: inout [Double], index: Int, points: Int, chart: ChartType
    ) {
        var random = SplitMix64(state: seed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        values.removeAll(keepingCapacity: true)
        denominators.removeAll(keepingCapacity: true)
        let stepped = index % 4 == 3
        for k in 0..<points {
            let shift = stepped && k >= points / 2 ? 1.5 : 0
            var normal = -6.0
            for _ in 0..<12 { normal += random.nextUnit() }
            switch chart {
            case .p, .pp, .u, .up:
                let n = 80 + (random.nextUnit() * 41).rounded(.down)
                let p = 0.3 + 0.05 * shift
                let expected = n * p
                let count = (expected + normal * (expected * (1 - p)).squareRoot()).rounded()
                values.append(min(max(count, 0), n))
                denominators.append(n)
            case .c, .g, .t:
                values.append(max(1, (10 + (normal + shift) * 10.0.squareRoot()).rounded()))
            default:
                values.append(50 + 5 * (normal + shift))
            }
        }
    }

    /// Series `index` as input points, with x labelled 1, 2, 3, … .
    package func points(index: Int, count: Int, chart: ChartType) -> [SPCPoint] {
        var values: [Double] = []
        var denominators: [Double] = []
        fill(values: &values, denominators: &denominators, index: index, points: count, chart: chart)
        return values.indices.map { k in
            SPCPoint(x: String(k + 1), y: values[k], n: denominators.isEmpty ? nil : denominators[k])
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and fully specified, so sequences are
/// reproducible everywhere.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    package init(state: UInt64) { self.state = state }

    /// A generator whose sequence is fixed by `seed`: the demo organisation uses it too.
    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    package mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
