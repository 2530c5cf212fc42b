import Foundation
import SPC
import Testing

@testable import OpenQI

/// Reading a many-measure CSV and the API's points, without a database.
@Suite("Reading bulk data")
struct BulkDataImportTests {
    let falls = MeasureBrief(
        id: UUID(), key: "willow.falls", name: "Falls", unitID: UUID(), projectID: nil, options: SPCOptions(chart: .i))
    let harm = MeasureBrief(
        id: UUID(), key: "willow.harm-free", name: "Harm-free care", unitID: UUID(), projectID: nil,
        options: SPCOptions(chart: .p))
    var targets: [String: MeasureBrief] { ["willow.falls": falls, "willow.harm-free": harm] }

    func check(_ csv: String) -> BulkDataImport.Checked {
        BulkDataImport.csv(csv).checked(against: targets, scope: "Adult Mental Health")
    }

    @Test("rows go to their measures by key, in any column order and case, with quoted notes")
    func goodRows() {
        let checked = check(
            """
            Period,Measure,Value,Denominator,Note
            2026-01-05,willow.falls,3,,
            2026-01-12,WILLOW.FALLS,4,,"new rota, week 1"
            2026-01,willow.harm-free,90,100,
            """)
        #expect(checked.errors.isEmpty)
        #expect(checked.rows[falls.id]?.map(\.value) == [3, 4])
        #expect(checked.rows[falls.id]?.last?.note == "new rota, week 1")
        #expect(checked.rows[harm.id]?.first?.denominator == 100)
        #expect(checked.pointCount == 3)
    }

    @Test("wrong columns are reported once, naming what the first line must say")
    func wrongColumns() {
        let checked = check("ward,week,count\nwillow,2026-01-05,3")
        #expect(checked.errors.count == 1)
        let message = checked.errors[0].message
        #expect(message.contains("no measure, period, value column"))
        #expect(message.contains("“ward”, “week”, “count” is not a column"))
        #expect(checked.rows.isEmpty)
        #expect(check("").errors.first?.message.contains("empty") == true)
        #expect(check("measure,period,value\n\n").errors.first?.message.contains("no rows") == true)
    }

    @Test("every bad row is listed with its line and reason, and no row of a bad file is kept aside")
    func badRows() {
        let checked = check(
            """
            measure,period,value,denominator
            willow.falls,2026-01-05,3,
            willow.fals,2026-01-12,4,
            willow.falls,2026-13-01,4,
            willow.falls,2026-01-19,three,
            willow.harm-free,2026-01-05,90,-100
            willow.harm-free,2026-01-12,120,100
            willow.harm-free,2026-01-19,90,
            willow.falls,05/01/2026,5,
            ,2026-01-26,1,
            willow.falls,2062-01-26,1,
            """)
        let messages = Dictionary(checked.errors.map { ($0.line, $0.message) }) { first, _ in first }
        #expect(messages.keys.sorted() == [3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(messages[3]?.contains("no measure in Adult Mental Health has the key “willow.fals”") == true)
        #expect(messages[4]?.contains("“2026-13-01” is not a date") == true)
        #expect(messages[5]?.contains("“three” is not a number") == true)
        #expect(messages[6]?.contains("denominator -100 is negative") == true)
        #expect(messages[7]?.contains("cannot exceed 1") == true)
        #expect(messages[8]?.contains("needs a denominator") == true)
        #expect(messages[9]?.contains("the period 05/01/2026 of “willow.falls” is already on row 2") == true)
        #expect(messages[10]?.contains("measure column is empty") == true)
        #expect(messages[11]?.contains("26 January 2062 is in the future") == true, "no value before its period")
        #expect(checked.rows[falls.id]?.count == 1, "only the good row, which the caller will not apply")
    }

    @Test("files as spreadsheets save them: a byte order mark, CRLF, empty columns at the right, line breaks in quotes")
    func spreadsheetFiles() {
        let checked = check(
            "\u{FEFF}measure,period,value,denominator,note,,\r\n"
                + "willow.falls,2026-01-05,3,,\"night shift,\r\nthen days\",,\r\n"
                + "willow.falls,2026-01-12,4,,,,\r\n")
        #expect(checked.errors.isEmpty, "\(checked.errors)")
        #expect(checked.rows[falls.id]?.map(\.value) == [3, 4])
        #expect(checked.rows[falls.id]?.first?.note == "night shift,\r\nthen days")
        // A quote inside a cell is a character, not the start of a quoted cell.
        let inches = check("measure,period,value,note\nwillow.falls,2026-01-05,3,a 5\" gap\nwillow.falls,2026-01-12,4,")
        #expect(inches.errors.isEmpty && inches.rows[falls.id]?.first?.note == "a 5\" gap")
    }

    @Test("a European file: semicolons, decimal commas, and dates with a time and an offset")
    func europeanFile() {
        let checked = check(
            """
            measure;period;value;denominator
            willow.falls;2026-01-05T09:00:00-05:00;3,5;
            willow.harm-free;05/01/2026 09:00;90;100
            """)
        #expect(checked.errors.isEmpty, "\(checked.errors)")
        #expect(checked.rows[falls.id]?.first?.value == 3.5)
        #expect(checked.rows[falls.id]?.first?.period == CalendarDay.date("2026-01-05"))
        #expect(checked.rows[harm.id]?.first?.period == CalendarDay.date("2026-01-05"))
        for bad in ["2026-03-310", "2026-03-31xyz", "2026-03-31T", "2026-03-31 late", "31/03/2026x"] {
            #expect(CalendarDay.date(bad) == nil, "\(bad)")
        }
    }

    @Test("a quote that never closes is refused on its row, and the rows after it are still read")
    func unclosedQuote() {
        let checked = check(
            """
            measure,period,value,note
            willow.falls,2026-01-05,3,"the new rota
            willow.falls,2026-01-12,4,
            willow.falls,2026-01-19,five,
            """)
        #expect(checked.errors.map(\.line) == [2, 4])
        #expect(checked.errors.first?.message.contains("a double quote that is never closed") == true)
        #expect(checked.rows[falls.id]?.map(\.value) == [4], "the row after it is read, not swallowed")
        let pasted = DataImport(text: "2026-01-05\t3\t\t\"note\n2026-01-12\t4", chart: .i)
        #expect(pasted.errors.map(\.line) == [1] && pasted.rows.map(\.value) == [4])
    }

    @Test("a paste of European data without a header: semicolons between cells, commas in the numbers")
    func europeanPaste() {
        let pasted = DataImport(text: "2026-03-02;3,5\n2026-03-09;4", chart: .i)
        #expect(pasted.errors.isEmpty, "\(pasted.errors)")
        #expect(pasted.rows.map(\.value) == [3.5, 4])
        // A comma that is not a decimal comma still separates.
        #expect(DelimitedText.separator("Falls, weekly;3") == ",")
        #expect(DelimitedText.separator("period;value") == ";")
        // A tab before a quoted cell, as a spreadsheet may write, still opens it.
        let tabbed = check("measure,period,value,note\nwillow.falls,2026-01-05,3,\t\"a, b\nc\"")
        #expect(tabbed.errors.isEmpty && tabbed.rows[falls.id]?.first?.note == "a, b\nc")
    }

    @Test("a row with more cells than named columns is refused: an unquoted comma in a note would lose text")
    func extraCells() {
        let checked = check(
            """
            measure,period,value,denominator,note
            willow.falls,2026-01-05,3,,new rota, week 1
            willow.falls,2026-01-12,4,,,
            """)
        #expect(checked.errors.map(\.line) == [2])
        #expect(checked.errors.first?.message.contains("has 6 cells but the first line names 5 columns") == true)
        #expect(checked.errors.first?.message.contains("needs double quotes") == true)
        let pasted = DataImport(text: "2026-01-05\t3\t\tnote\textra", chart: .i)
        #expect(pasted.errors.first?.message.contains("four at most") == true)
    }

    @Test("values a chart would drop are refused on their row: zero denominators, negative counts, t not above 0")
    func valuesTheChartDrops() {
        let rate = SPCOptions(chart: .u)
        let wards = MeasureBrief(
            id: UUID(), key: "willow.violence", name: "Violence", unitID: UUID(), projectID: nil, options: rate)
        let checked = BulkDataImport.csv(
            """
            measure,period,value,denominator
            willow.violence,2026-01-05,5,0
            willow.violence,2026-01-12,-1,300
            willow.harm-free,2026-01-05,90,0
            willow.violence,2026-01-19,2,310
            """
        ).checked(against: ["willow.violence": wards, "willow.harm-free": harm], scope: "the trust")
        #expect(checked.errors.map(\.line) == [2, 3, 4])
        #expect(checked.errors[0].message.contains("the denominator is 0, so there is no rate"))
        #expect(checked.errors[1].message.contains("a count cannot be below 0"))
        #expect(checked.errors[2].message.contains("no proportion"))
        #expect(
            DataImport(text: "2026-01-05\t0", chart: .t).errors.first?.message.contains("time between events") == true)
        #expect(DataImport(text: "2026-01-05\t-2", chart: .i).errors.isEmpty, "an i chart takes any number")
    }

    @Test("the API's JSON points are checked by the same rules, numbered from 1")
    func points() {
        let file = BulkDataImport.points([
            .init(measure: "willow.falls", period: "2026-01-05", value: 3),
            .init(measure: "willow.falls", period: "2026-01-12", value: nil),
            .init(measure: "willow.harm-free", period: "2026-01", value: 9, denominator: 10, note: "audit"),
        ])
        #expect(file.keys == ["willow.falls", "willow.harm-free"])
        let checked = file.checked(against: targets, scope: "the trust")
        #expect(checked.errors.map(\.line) == [2])
        #expect(checked.errors.first?.message.contains("is not a number in the value column") == true)
        #expect(checked.rows[harm.id]?.first?.note == "audit")
        #expect(BulkDataImport.points([]).errors.first?.message == "Send at least one point.")
    }

    @Test("JSON numbers may come as text; text that is not a number is reported on its own row")
    func pointsWithNumbersAsText() throws {
        let json = #"""
            {"points": [
              {"measure": "willow.harm-free", "period": "2026-01-05", "value": "9", "denominator": "10"},
              {"measure": "willow.harm-free", "period": "2026-01-12", "value": "one", "denominator": 10}
            ]}
            """#
        struct Batch: Decodable { let points: [BulkDataImport.Point] }
        let points = try JSONDecoder().decode(Batch.self, from: Data(json.utf8)).points
        let checked = BulkDataImport.points(points).checked(against: targets, scope: "the trust")
        #expect(checked.rows[harm.id]?.map(\.value) == [9])
        #expect(checked.rows[harm.id]?.map(\.denominator) == [10])
        #expect(checked.errors.map(\.message) == ["Row 2: “one” is not a number in the value column."])
    }

    @Test("too many bad rows stop the check with a message rather than a report nobody can read")
    func errorCap() {
        let lines = (0..<(BulkDataImport.maximumErrors + 50)).map { "nobody.\($0),2026-01-05,1" }
        let checked = check("measure,period,value\n" + lines.joined(separator: "\n"))
        #expect(checked.errors.count == BulkDataImport.maximumErrors + 1)
        #expect(checked.errors.last?.message.contains("Stopped checking") == true)
    }

    @Test("dates are read and written without Calendar and agree with it on every day from 1900 to 2200")
    func datesAgreeWithCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var day = try #require(calendar.date(from: DateComponents(year: 1900, month: 1, day: 1)))
        let end = try #require(calendar.date(from: DateComponents(year: 2200, month: 12, day: 31)))
        var checked = 0
        while day <= end {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            #expect(CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)?.date == day)
            // And back: the label charts give a period is the day Foundation formats.
            #expect(CalendarDay.text(day) == day.formatted(.iso8601.year().month().day()))
            day = day.addingTimeInterval(86_400 * 7 + 86_400)  // every eighth day: all weekdays and months
            checked += 1
        }
        #expect(checked > 13_000)
        #expect(CalendarDay.date("2024-02-29") != nil && CalendarDay.date("2023-02-29") == nil)
        #expect(CalendarDay.date("2100-02-29") == nil && CalendarDay.date("2000-02-29") != nil)
        #expect(
            CalendarDay.date("31/04/2026") == nil && CalendarDay.date("30/04/2026") == CalendarDay.date("2026-04-30"))
    }
}
