import SPC
import Testing

@testable import openqi

@Suite("CSV input")
struct CSVTests {
    @Test("columns in any order, optional columns, empty and NA values missing")
    func readsColumns() throws {
        let text =
            "note,y,x,n,exclude,phase\nstart,12,2024-01-01,100,,before\n,NA,2024-02-01,,yes,before\n,3.5,2024-03-01,90,0,after\n"
        let points = try SPCCSV.points(from: text)
        #expect(
            points == [
                SPCPoint(x: "2024-01-01", y: 12, n: 100, phase: "before", excluded: false, note: "start"),
                SPCPoint(x: "2024-02-01", y: nil, n: nil, phase: "before", excluded: true, note: nil),
                SPCPoint(x: "2024-03-01", y: 3.5, n: 90, phase: "after", excluded: false, note: nil),
            ])
    }

    @Test("RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes; CRLF; BOM; blank lines")
    func quoting() throws {
        let text = "\u{FEFF}x,y,note\r\n\"Jan, week 1\",1,\"said \"\"hello\"\"\"\r\n\r\nFeb,2,\"two\nlines\"\r\n"
        let points = try SPCCSV.points(from: text)
        #expect(points.map(\.x) == ["Jan, week 1", "Feb"])
        #expect(points.map(\.note) == ["said \"hello\"", "two\nlines"])
        #expect(points.map(\.y) == [1, 2])
    }

    @Test("spaces around unquoted fields are trimmed; header names are case-insensitive")
    func trimming() throws {
        let points = try SPCCSV.points(from: " X , Y \n a , 1 \n")
        #expect(points == [SPCPoint(x: "a", y: 1)])
    }

    @Test(
        "bad input throws an error naming row, column and reason",
        arguments: [
            ("x,y,colour\na,1,red\n", SPCInputError.unknownColumn(name: "colour", allowed: SPCCSV.columns)),
            ("x,n\na,1\n", .missingColumn(name: "y")),
            ("x,y\na,1\nb,twelve\n", .notANumber(row: 3, column: "y", value: "twelve")),
            ("x,y,n\na,1,-4\n", .negativeDenominator(row: 2, value: -4)),
            ("x,y\na,1,2\n", .wrongFieldCount(row: 2, expected: 2, found: 3)),
            ("x,y\n\"a,1\n", .unterminatedQuote(row: 2)),
            ("x,y,exclude\na,1,maybe\n", .notAFlag(row: 2, column: "exclude", value: "maybe")),
            ("x,y\na,inf\n", .notANumber(row: 2, column: "y", value: "inf")),
            ("x,y,x\na,1,b\n", .duplicateColumn(name: "x")),
            ("", .emptyInput),
        ])
    func badInput(_ text: String, _ expected: SPCInputError) {
        #expect(throws: expected) { try SPCCSV.points(from: text) }
    }

    @Test("error messages are one line and name the place")
    func messages() {
        let error = SPCInputError.notANumber(row: 3, column: "y", value: "twelve")
        #expect(error.message == "Row 3, y: “twelve” is not a number. Use digits, e.g. 12 or 3.5, or leave it empty.")
        let all: [SPCInputError] = [
            .emptyInput, .missingColumn(name: "y"), .unknownColumn(name: "z", allowed: ["x"]),
            .duplicateColumn(name: "x"),
            .wrongFieldCount(row: 2, expected: 2, found: 3), .unterminatedQuote(row: 2),
            .notAFlag(row: 2, column: "exclude", value: "?"),
            .negativeDenominator(row: 2, value: -1.5), .invalidValue(row: 2, column: "y", value: 0, reason: "r"),
            .missingValue(row: 2, column: "n", reason: "r"), .seriesNotContiguous(row: 9, series: "a"),
            .invalidOption(name: "freeze", value: "0", reason: "must be at least 1"),
            .unknownChoice(option: "--chart", value: "q", allowed: ChartType.allCases.map(\.rawValue)),
        ]
        for error in all {
            #expect(!error.message.contains("\n"))
            #expect(!error.message.isEmpty)
        }
        #expect(SPCInputError.negativeDenominator(row: 2, value: -4).message.contains("Row 2, n: -4"))
    }

    @Test("a long table splits into contiguous series in input order")
    func series() throws {
        let text = "series,x,y\nfalls,1,3\nfalls,2,4\nsepsis,1,9\n"
        let series = try SPCCSV.series(from: text)
        #expect(series.map(\.name) == ["falls", "sepsis"])
        #expect(series.map(\.firstRow) == [2, 4])
        #expect(series[0].points == [SPCPoint(x: "1", y: 3), SPCPoint(x: "2", y: 4)])
    }

    @Test("a series that comes back after another is an error; a long table needs a series column")
    func seriesErrors() {
        #expect(throws: SPCInputError.seriesNotContiguous(row: 4, series: "a")) {
            try SPCCSV.series(from: "series,x,y\na,1,1\nb,1,1\na,2,2\n")
        }
        #expect(throws: SPCInputError.missingColumn(name: "series")) { try SPCCSV.series(from: "x,y\n1,1\n") }
        #expect(throws: SPCInputError.unknownColumn(name: "series", allowed: SPCCSV.columns)) {
            try SPCCSV.points(from: "series,x,y\na,1,1\n")
        }
    }
}

@Suite("Option values")
struct ChoiceTests {
    @Test("chart types, rule sets and directions parse by name, case-insensitively")
    func parses() throws {
        #expect(try ChartType(parsing: "XBAR") == .xbar)
        #expect(try RuleSet(parsing: "we") == .we)
        #expect(try ImprovementDirection(parsing: "Down") == .down)
    }

    @Test("an unknown name lists the allowed ones")
    func unknown() {
        #expect(
            throws: SPCInputError.unknownChoice(
                option: "--chart", value: "pie", allowed: ChartType.allCases.map(\.rawValue))
        ) {
            try ChartType(parsing: "pie")
        }
        let message = SPCInputError.unknownChoice(option: "--chart", value: "pie", allowed: ["run", "i"]).message
        #expect(message == "Option --chart: “pie” is unknown. Use one of run, i.")
    }
}
