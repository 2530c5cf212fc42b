import Charts
import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Calendar and clock")
struct CalendarTests {
    @Test("a date input takes yyyy-mm-dd only; a spreadsheet's cell also takes months, UK days and times")
    func inputFormats() {
        #expect(CalendarDay(parsing: "2026-03-31", as: .iso)?.text == "2026-03-31")
        for notISO in ["2026-3-31", "31/03/2026", "2026-03", "2026-03-31T09:00", "20260331", "2026-02-30", ""] {
            #expect(CalendarDay(parsing: notISO, as: .iso) == nil, "\(notISO)")
        }
        #expect(CalendarDay(parsing: "2999-01-01", as: .iso)?.year == 2999, "a date input may be far ahead")
        let spreadsheet = ["2026-03-31", "31/03/2026", "2026-03-31T23:30:00-05:00", "31/03/2026 09:00"]
        for cell in spreadsheet {
            #expect(CalendarDay(parsing: cell, as: .spreadsheet)?.text == "2026-03-31", "\(cell)")
        }
        #expect(CalendarDay(parsing: "2026-03", as: .spreadsheet)?.text == "2026-03-01")
        #expect(CalendarDay(parsing: "2999-01-01", as: .spreadsheet) == nil, "a typing mistake in a spreadsheet")
    }

    @Test("days are written in UTC, in words and for machines, whatever the server's time zone")
    func writing() throws {
        let moment = try #require(CalendarDay(year: 2026, month: 3, day: 31)).date.addingTimeInterval(
            14 * 3600 + 5 * 60)
        #expect(CalendarDay.text(moment) == "2026-03-31")
        #expect(CalendarDay.label(moment) == "31 March 2026")
        #expect(CalendarDay(containing: moment).shortLabel == "31 Mar 2026")
        #expect(CalendarDay(containing: moment).dayAndMonth == "31 March")
        #expect(CalendarDay.moment(moment) == "31 Mar 2026, 14:05 UTC")
        #expect(CalendarDay.time(moment.addingTimeInterval(-14 * 3600)) == "00:05")
        #expect(CalendarMonth(containing: moment).label == "March 2026")
        #expect(CalendarMonth(containing: moment).text == "2026-03")
        #expect(CalendarMonth(year: 2026, month: 12).end == CalendarDay(year: 2027, month: 1, day: 1)?.date)
    }

    @Test("a month after the 31st is the month's last day; periods step by their frequency")
    func arithmetic() throws {
        let january31 = try #require(CalendarDay(year: 2026, month: 1, day: 31))
        #expect(january31.adding(months: 1).text == "2026-02-28")
        #expect(try #require(CalendarDay(year: 2024, month: 1, day: 31)).adding(months: 1).text == "2024-02-29")
        #expect(january31.adding(months: -2).text == "2025-11-30")
        #expect(CalendarDay.text(DataFrequency.quarterly.period(after: january31.date)) == "2026-04-30")
        #expect(CalendarDay.text(DataFrequency.weekly.period(before: january31.date)) == "2026-01-24")
        #expect(try #require(CalendarDay(year: 2026, month: 12, day: 7)).weekday == 0, "a Monday")
    }

    @Test("a request reads the application's clock: a test sets today")
    func clock() async throws {
        try await withOpenQI { app in
            let fixed = try #require(CalendarDay(year: 2020, month: 2, day: 29)).date.addingTimeInterval(3600)
            app.clock = .fixed(fixed)
            try await Fixtures(app: app).signIn("root@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            #expect(try await browser.signIn("root@test.example").status == .seeOther)
            let created = try await browser.post("/units", form: ["name": "Leap Day Trust", "kind": "organisation"])
            #expect(created.status == .seeOther)
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectName == "Leap Day Trust").first())
            #expect(entry.occurredAt == fixed)
            #expect(try await browser.get("/audit").body.contains("29 Feb 2020, 01:00 UTC"))
        }
    }

    @Test(
        "an organisation chooses how dates are written: pages and charts follow OPENQI_DATE_FORMAT; machines keep yyyy-mm-dd"
    )
    func dateOrder() async throws {
        let day = try #require(CalendarDay(year: 2027, month: 1, day: 4))
        let expected: [(DateOrder, String, String, String)] = [
            (.dayMonthYear, "4 January 2027", "4 Jan 2027", "4 January"),
            (.monthDayYear, "January 4, 2027", "Jan 4, 2027", "January 4"),
            (.yearMonthDay, "2027-01-04", "2027-01-04", "01-04"),
        ]
        for (order, label, short, dayAndMonth) in expected {
            DateOrder.$current.withValue(order) {
                #expect([day.label, day.shortLabel, day.dayAndMonth] == [label, short, dayAndMonth], "\(order)")
                #expect(day.text == "2027-01-04")
            }
        }
        #expect(try OpenQIConfiguration.dateOrderFromEnvironment([:]) == .dayMonthYear)
        #expect(
            try OpenQIConfiguration.dateOrderFromEnvironment(["OPENQI_DATE_FORMAT": "Month-Day-Year"]) == .monthDayYear)
        #expect(throws: ConfigurationError.self) {
            try OpenQIConfiguration.dateOrderFromEnvironment(["OPENQI_DATE_FORMAT": "dd/mm/yyyy"])
        }
        try await withOpenQI(dateOrder: .monthDayYear) { app in
            let world = try await TestWorld.make(app)
            try await Fixtures(app: app).signIn("nurse@test.example", role: .member, at: world.willow)
            let course = try await CohortTests.pocketQI(on: app.db)
            let cohort = try await CohortTests.oneSession(
                "New year", of: course, on: day, capacity: 5, open: true, db: app.db)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")
            let page = try await browser.get("/cohorts/\(cohort.id!)").body
            #expect(page.contains("January 4, 2027") && !page.contains("4 January 2027"))
        }
    }
}
