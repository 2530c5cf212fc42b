import Testing

@testable import SPC

@Suite("Maths")
struct MathsTests {
    @Test("log, exp and pow agree with known values to a few ulps")
    func elementaryFunctions() {
        #expect(isClose(RealFunctions.log(2), 0.6931471805599453, tolerance: 1e-15))
        #expect(isClose(RealFunctions.log(10), 2.302585092994046, tolerance: 1e-15))
        #expect(isClose(RealFunctions.exp(1), 2.718281828459045, tolerance: 1e-15))
        #expect(isClose(RealFunctions.exp(-20), 2.061153622438558e-09, tolerance: 1e-14))
        #expect(isClose(RealFunctions.pow(2, 10), 1024, tolerance: 1e-14))
        #expect(isClose(RealFunctions.pow(100, 1 / 3.6), 3.5938136638046276, tolerance: 1e-14))  // 10^(2/3.6)
        #expect(RealFunctions.pow(-1, 3.6).isNaN)
        #expect(RealFunctions.log(0) == -.infinity)
        #expect(RealFunctions.exp(1000) == .infinity)
        #expect(RealFunctions.exp(-1000) == 0)
        for x in [1e-300, 0.5, 3, 1e5, 1e300] {
            #expect(isClose(RealFunctions.exp(RealFunctions.log(x)), x, tolerance: 1e-13))
        }
    }

    @Test("subgroup constants match Montgomery's appendix table VI")
    func montgomeryConstants() {
        // (n, c4, A3, B3, B4) to the table's 4 decimals.
        let table: [(Double, Double, Double, Double, Double)] = [
            (2, 0.7979, 2.659, 0, 3.267), (5, 0.9400, 1.427, 0, 2.089), (6, 0.9515, 1.287, 0.030, 1.970),
            (10, 0.9727, 0.975, 0.284, 1.716), (25, 0.9896, 0.606, 0.565, 1.435),
        ]
        for (n, c4, a3, b3, b4) in table {
            #expect(abs(SubgroupConstants.c4(n) - c4) < 5e-5, "c4(\(n))")
            #expect(abs(SubgroupConstants.a3(n) - a3) < 5e-4, "A3(\(n))")
            #expect(abs(SubgroupConstants.b3(n) - b3) < 5e-4, "B3(\(n))")
            #expect(abs(SubgroupConstants.b4(n) - b4) < 5e-4, "B4(\(n))")
        }
        #expect(SubgroupConstants.c4(1).isNaN)
        // Beyond the cached sizes the recurrence still approaches 1 as it should: c4 ≈ 1 − 1/(4n).
        #expect(abs(SubgroupConstants.c4(1000) - (1 - 1.0 / 4000)) < 1e-6)
    }

    @Test("rounded log2 is exact around the half-way points 2^(k + ½)")
    func roundedLog2Boundaries() {
        // 2^4.5 = 22.63: 22 rounds to 4, 23 to 5. 2^10.5 = 1448.2: 1448 → 10, 1449 → 11.
        #expect(roundedLog2(22) == 4)
        #expect(roundedLog2(23) == 5)
        #expect(roundedLog2(1448) == 10)
        #expect(roundedLog2(1449) == 11)
        #expect(roundedLog2(1) == 0)
    }
}
