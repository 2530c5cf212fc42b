import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Driver diagrams")
struct DriverDiagramTests {
    /// Adds a driver through the editor and returns it.
    static func addDriver(
        _ browser: TestBrowser, _ app: Application, project path: String, level: DriverLevel, text: String,
        primaries: [Driver] = []
    ) async throws -> Driver {
        let page = try await browser.post(
            path + "/drivers",
            fields: [("level", level.rawValue), ("text", text)]
                + primaries.map { ("primary_ids[]", $0.id!.uuidString) })
        #expect(page.status == .seeOther, "\(text): \(page.body.prefix(300))")
        return try #require(try await Driver.query(on: app.db).filter(\.$text == text).first())
    }

    static func addIdea(
        _ browser: TestBrowser, _ app: Application, project path: String, title: String, drivers: [Driver]
    ) async throws -> ChangeIdea {
        let page = try await browser.post(
            path + "/change-ideas",
            fields: [("title", title), ("description", "")] + drivers.map { ("driver_ids[]", $0.id!.uuidString) })
        #expect(page.status == .seeOther, "\(title): \(page.body.prefix(300))")
        return try #require(try await ChangeIdea.query(on: app.db).filter(\.$title == title).first())
    }

    /// A second project's proposal in the same ward as `MeasureTests.project`'s.
    static func secondProposal(_ app: Application) async throws -> [String: String] {
        let ward = try #require(try await Unit.query(on: app.db).filter(\.$name == "Willow Ward").first())
        return [
            "title": "Quicker discharge from Willow Ward", "unit_id": ward.id!.uuidString,
            "what_matters": "People want to go home when they are ready.",
            "problem": "Nine delayed discharges a month.",
            "aim_what": "Reduce delayed discharges", "aim_how_much": "by 30%", "aim_by_when": "2030-03-31",
        ]
    }

    @Test("a team builds aim → primary → secondary → change ideas; an idea may act on several drivers")
    func build() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, project) = try await MeasureTests.project(app, browser)
            let mobility = try await Self.addDriver(browser, app, project: path, level: .primary, text: "Safe mobility")
            let risk = try await Self.addDriver(
                browser, app, project: path, level: .primary, text: "Reliable risk assessment")
            let aids = try await Self.addDriver(
                browser, app, project: path, level: .secondary, text: "Access to walking aids",
                primaries: [mobility, risk])
            let huddle = try await Self.addIdea(
                browser, app, project: path, title: "Falls huddle at handover", drivers: [aids, risk])

            let diagram = try await DriverDiagram.load(for: project, on: app.db)
            #expect(diagram.primaries.map(\.text) == ["Safe mobility", "Reliable risk assessment"])
            #expect(Set(diagram.secondaries[0].primaryIDs) == [mobility.id!, risk.id!])
            #expect(Set(diagram.ideas[0].driverIDs) == [aids.id!, risk.id!])

            let page = try await browser.get(path + "/driver-diagram")
            #expect(page.status == .ok)
            #expect(page.body.contains("data-id=\"\(huddle.id!.uuidString)\""), "the idea is drawn")
            #expect(page.body.contains("Aim: </strong>Reduce falls on Willow Ward by 30%"))
            // The outline lists the idea under each driver it acts on.
            #expect(page.body.components(separatedBy: "> Falls huddle at handover").count - 1 == 3)
            let projectPage = try await browser.get(path)
            #expect(projectPage.body.contains("id=\"project-driver-diagram-title\""))
            #expect(projectPage.body.contains("Falls huddle at handover"))
            // The project's own audit trail lists the diagram's changes, newest first.
            let trail = try #require(projectPage.body.components(separatedBy: "id=\"audit-trail\"").last)
            #expect(trail.contains("created change idea Falls huddle at handover — Fewer falls on Willow Ward"))
            #expect(trail.contains("created driver Safe mobility"))
            #expect(trail.contains("created project"))
            #expect(
                trail.range(of: "created change idea")!.lowerBound < trail.range(of: "created driver Safe")!.lowerBound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "driver").count() == 3)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "change_idea").count() == 1)
        }
    }

    @Test("mistakes are explained beside the field and nothing is saved")
    func validation() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await MeasureTests.project(app, browser)
            let early = try await browser.post(path + "/drivers", fields: [("level", "secondary"), ("text", "Aids")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.contains("Add a primary driver first"))
            let noIdea = try await browser.post(path + "/change-ideas", fields: [("title", "Huddle")])
            #expect(noIdea.body.contains("Add a driver first"))

            let blank = try await browser.post(path + "/drivers", fields: [("level", "primary"), ("text", " ")])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.contains("Enter what drives the aim."))
            let mobility = try await Self.addDriver(browser, app, project: path, level: .primary, text: "Safe mobility")
            let orphan = try await browser.post(
                path + "/drivers", fields: [("level", "secondary"), ("text", "Walking aids")])
            #expect(orphan.body.contains("Choose at least one primary driver this secondary driver moves."))
            #expect(orphan.body.contains("value=\"Walking aids\""), "what was typed is kept")

            // A driver of another project cannot be linked.
            let otherPath = try #require(
                try await browser.post("/projects", form: try await Self.secondProposal(app)).location)
            let foreign = try await Self.addDriver(browser, app, project: otherPath, level: .primary, text: "Theirs")
            let crossed = try await browser.post(
                path + "/change-ideas",
                fields: [("title", "Huddle"), ("driver_ids[]", foreign.id!.uuidString)])
            #expect(crossed.status == .unprocessableEntity)
            #expect(crossed.body.contains("Choose drivers of this diagram."))
            let levelLess = try await browser.post(path + "/drivers", fields: [("level", "tertiary"), ("text", "X")])
            #expect(levelLess.body.contains("“tertiary” is not a valid choice"))
            #expect(try await Driver.query(on: app.db).count() == 2)
            #expect(try await ChangeIdea.query(on: app.db).count() == 0)
            _ = mobility
        }
    }

    @Test("a driver that others hang from only is kept, with the reason; edits relink boxes")
    func removeAndEdit() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, project) = try await MeasureTests.project(app, browser)
            let mobility = try await Self.addDriver(browser, app, project: path, level: .primary, text: "Safe mobility")
            let risk = try await Self.addDriver(browser, app, project: path, level: .primary, text: "Risk assessment")
            let aids = try await Self.addDriver(
                browser, app, project: path, level: .secondary, text: "Walking aids", primaries: [mobility])
            let refused = try await browser.post(path + "/drivers/\(mobility.id!.uuidString)/remove")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("“Safe mobility” cannot be removed while “Walking aids” hang only from it."))
            #expect(try await Driver.find(mobility.id, on: app.db) != nil)

            let moved = try await browser.post(
                path + "/drivers/\(aids.id!.uuidString)",
                fields: [("text", "Walking aids in reach"), ("primary_ids[]", risk.id!.uuidString), ("version", "1")])
            #expect(moved.status == .seeOther)
            let diagram = try await DriverDiagram.load(for: project, on: app.db)
            #expect(diagram.secondaries.first?.primaryIDs == [risk.id!])
            #expect(diagram.secondaries.first?.text == "Walking aids in reach")

            let removed = try await browser.post(path + "/drivers/\(mobility.id!.uuidString)/remove")
            #expect(removed.status == .seeOther)
            #expect(try await Driver.find(mobility.id, on: app.db) == nil)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "driver").filter(
                    \.$action == AuditAction.remove.rawValue
                )
                .count() == 1)
        }
    }

    @Test("those who work on a project comment on it; an empty comment is explained; others read")
    func comments() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await MeasureTests.project(app, browser)
            let empty = try await browser.post(path + "/comments", form: ["text": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("Enter your comment."))
            let added = try await browser.post(path + "/comments", form: ["text": "Could nights join the huddle?"])
            #expect(added.status == .seeOther)
            try await Fixtures(app: app).signIn("reader@test.example")
            let reader = TestBrowser(app: app)
            _ = try await reader.signIn("reader@test.example")
            let page = try await reader.get(path)
            #expect(page.body.contains("Could nights join the huddle?"))
            #expect(!page.body.contains("Add a comment"))
            #expect(try await reader.post(path + "/comments", form: ["text": "Me too"]).status == .forbidden)
            #expect(try await ProjectComment.query(on: app.db).count() == 1)
        }
    }

    @Test("only the team, coach and sponsor change the diagram; everyone reads it")
    func rights() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await MeasureTests.project(app, browser)
            try await Fixtures(app: app).signIn("reader@test.example")
            let reader = TestBrowser(app: app)
            _ = try await reader.signIn("reader@test.example")
            let page = try await reader.get(path + "/driver-diagram")
            #expect(page.status == .ok)
            #expect(!page.body.contains("Add a primary driver"))
            let denied = try await reader.post(path + "/drivers", fields: [("level", "primary"), ("text", "Mine")])
            #expect(denied.status == .forbidden)
            #expect(try await Driver.query(on: app.db).count() == 0)
        }
    }
}
