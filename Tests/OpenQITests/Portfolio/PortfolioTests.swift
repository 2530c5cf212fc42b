import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Portfolio dashboard")
struct PortfolioTests {
    /// The figures' links, with the count each shows: `<a href="…"><strong>12</strong>…` or a table cell.
    static func figures(in html: String) -> [(url: String, count: Int)] {
        let pattern = #/<a href="(/projects\?[^"]+)">(?:<strong>)?(\d+)</#
        return html.matches(of: pattern).compactMap { match in
            Int(match.2).map { (String(match.1).replacingOccurrences(of: "&amp;", with: "&"), $0) }
        }
    }

    @Test("every figure of the trust's portfolio links to a list of exactly that many projects")
    func figuresMatchTheirLists() async throws {
        try await withOpenQI { app in
            #expect(try await app.loadDemoOrganisation(size: .small))
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@example.org", password: DemoOrganisation.password)
            let trust = try #require(
                try await Unit.query(on: app.db).filter(\.$parent.$id == nil)
                    .filter(\.$kind == .organisation).first())
            let page = try await browser.get("/units/\(trust.id!.uuidString)/portfolio")
            #expect(page.status == .ok)
            #expect(page.body.contains("Active projects"))
            #expect(page.body.contains("class=\"spc-chart\""), "counts over time are run charts")
            let figures = Self.figures(in: page.body)
            #expect(figures.count > 25)
            let total = try await Project.query(on: app.db).count()
            #expect(figures.first?.count == total)
            for figure in figures where figure.count <= ProjectIndex.Model.limit {
                let list = try await browser.get(figure.url)
                let shown =
                    list.body.components(separatedBy: "<tbody>").last?.components(separatedBy: "<tr>").count
                    ?? 1
                #expect(
                    list.body.contains(figure.count == 1 ? "1 project<" : "\(figure.count) projects<"),
                    "\(figure.url) should list \(figure.count) projects")
                #expect(figure.count == 0 || shown - 1 == figure.count, "\(figure.url)")
            }
            // A focused list says what it shows and offers the way back.
            let stalled = try #require(figures.first { $0.url.contains("stalled=yes") })
            let list = try await browser.get(stalled.url)
            #expect(list.body.contains("Showing projects active with no update for six weeks."))
        }
    }
}

@Suite("Ward early warning")
struct EarlyWarningTests {
    @Test("wards drifting the wrong way on several indicators come first, each cell linking to its chart")
    func troubledWardsStandOut() async throws {
        try await withOpenQI { app in
            #expect(try await app.loadDemoOrganisation(size: .small))
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@example.org", password: DemoOrganisation.password)
            let trust = try #require(
                try await Unit.query(on: app.db).filter(\.$parent.$id == nil).filter(\.$kind == .organisation).first())
            let page = try await browser.get("/units/\(trust.id!.uuidString)/early-warning")
            #expect(page.status == .ok)
            let body = try #require(page.body.components(separatedBy: "<tbody>").last)
            let rows = body.components(separatedBy: "<tr").dropFirst()
            #expect(rows.count == (try await Unit.query(on: app.db).filter(\.$kind == .ward).count()))
            #expect(rows.first?.hasPrefix(" class=\"stands-out\"") == true, "the most troubled ward leads")
            #expect(rows.last?.contains("stands-out") == false)
            #expect(page.body.contains("<th scope=\"col\">Shifts filled as planned</th>"))
            // A concern cell is a concern on the measure's own chart.
            let cell = try #require(body.firstMatch(of: #/class="cell concern"><a href="/measures/([0-9A-F-]{36})"/#))
            let summary = try #require(
                try await MeasureSummary.query(on: app.db).filter(\.$measure.$id == UUID(uuidString: String(cell.1))!)
                    .first())
            #expect(summary.variationIcon.isConcern)
        }
    }
}
