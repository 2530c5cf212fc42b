import Fluent
import Foundation
import Plot
import Vapor

/// Importing past attendance: the form, and the check of an uploaded file (what importing would do
/// to each cohort, and every bad row) with "Import" and "Cancel".
enum AttendanceImportPage {
    /// Bad rows shown on the page.
    static let errorsShown = 200
    /// About 150,000 rows.
    static let maximumSize: ByteCount = "16mb"

    struct FormModel: Sendable, Equatable {
        /// A course name or two for the example, so it is a file that would import.
        var courseNames: [String]
        var form: FormState
    }

    struct Model: Sendable, Equatable {
        var uploadID: UUID
        var filename: String
        var rows: Int
        var counts: AttendanceImport.Counts
        var cohorts: [AttendanceImport.CohortLine]
        var errors: [FileRowError]
        var errorCount: Int
        var changesSomething: Bool
        /// What the import would do that the lead may not mean (see `AttendanceImport.warnings`).
        var warnings: [String] = []
        var isReady: Bool { errorCount == 0 && changesSomething }
    }

    final class FormView: ModelPage<FormModel> {
        override func pageTitle() -> String { "Import past attendance" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Capability", url: SiteURL.capability(.dashboard).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            let first = model.courseNames.first ?? "Pocket QI"
            let example = """
                person,course,cohort,date,attendance
                amara.okafor@trust.example,\(CSVText.cell(first)),Wave 1,2019-03-12,attended
                amara.okafor@trust.example,\(CSVText.cell(first)),Wave 1,2019-04-09,apologies
                9b2c6a1e-3f4d-4c1a-9e8b-2d5f6a7b8c9d,\(CSVText.cell(first)),Wave 1,2019-03-12,attended
                """
            return .div(
                .class("narrow"),
                .heading(
                    "Import past attendance",
                    lead:
                        "Registers kept before OpenQI, from a spreadsheet. Nothing is saved until you have seen the check and chosen to import."
                ),
                .p(
                    .text(
                        "The first line names the columns, in any order; each row after it is one person at one session:"
                    )),
                .pre(
                    .class("example"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "aria-label", value: "An example file"), .text(example)),
                .ul(
                    .li(
                        .text(
                            "person: their email, or for someone without one (a partner organisation’s staff, a service user) the id on their page. Add anyone missing on the People page first."
                        )),
                    .li(.text("course: its name as OpenQI has it. cohort: the wave’s name, such as Wave 1.")),
                    .li(.text("date: the session’s day, as 2019-03-12 or 12/03/2019.")),
                    .li(.text("attendance: attended, apologies or absent (yes and no read as attended and absent).")),
                    .li(
                        .text(
                            "A cohort OpenQI does not have yet is made from its rows: a session on each day they name (an optional place column says where), everyone named on it. Put all of a cohort’s rows in one file."
                        )),
                    .li(
                        .text(
                            "A line taken on a register’s page is kept as it is; importing the same file again changes nothing. The course’s completion rule then gives each person their completion."
                        )),
                    .li(
                        .text(
                            "A place given by the import needs no approved project, even on a course that asks for one: the project was judged when the place was given."
                        )),
                    .li(.text("A cohort’s registers download in these columns from its page."))
                ),
                .uploadForm(
                    action: SiteURL.capability(.attendanceUpload).relativeURL(), csrfToken: context.csrfToken,
                    state: model.form, fileLabel: "CSV file", buttonLabel: "Check the file",
                    pasteHint: "Or paste the same columns from a spreadsheet, with the header line.")
            )
        }
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Check the attendance file" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Capability", url: SiteURL.capability(.dashboard).relativeURL()),
                .init(label: "Import past attendance", url: SiteURL.capability(.attendanceUpload).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let counts = model.counts
            let changes = counts.added + counts.changed
            return .group(
                .heading(
                    "Check the attendance file",
                    lead:
                        "\(model.filename): \(model.rows) row\(model.rows == 1 ? "" : "s") for \(model.cohorts.count) cohort\(model.cohorts.count == 1 ? "" : "s")."
                ),
                UploadCheck(
                    errors: model.errors, errorCount: model.errorCount,
                    summary: model.changesSomething
                        ? "Every row is good. Importing adds \(counts.added) register line\(counts.added == 1 ? "" : "s"), changes \(counts.changed), leaves \(counts.unchanged) as they are and keeps \(counts.kept) taken on a register’s page."
                        : "Every row is good, and every line is already in OpenQI: importing would change nothing.",
                    importLabel: model.isReady ? "Import \(changes) register line\(changes == 1 ? "" : "s")" : nil,
                    importURL: SiteURL.capability(.importAttendance(.value(model.uploadID))).relativeURL(),
                    cancelURL: SiteURL.capability(.cancelAttendance(.value(model.uploadID))).relativeURL(),
                    more: .p(.text("The first \(model.errors.count) are shown; fix them and upload the file again.")),
                    warnings: model.warnings
                ).node(csrfToken: context.csrfToken),
                model.cohorts.isEmpty
                    ? .empty
                    : .scrollingTable(
                        .class("data-table"),
                        .caption(.text("What importing does to each cohort")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Course")), .th(.scope("col"), .text("Cohort")),
                                .th(.scope("col"), .class("number"), .text("Sessions")),
                                .th(.scope("col"), .class("number"), .text("People")),
                                .th(.scope("col"), .class("number"), .text("New places")),
                                .th(.scope("col"), .class("number"), .text("New lines")),
                                .th(.scope("col"), .class("number"), .text("Changed")),
                                .th(.scope("col"), .class("number"), .text("Unchanged")),
                                .th(.scope("col"), .class("number"), .text("Kept")))),
                        .tbody(
                            .forEach(model.cohorts) { line in
                                .tr(
                                    .td(.text(line.courseName)),
                                    .th(
                                        .scope("row"),
                                        line.cohortID.map {
                                            .a(
                                                .href(SiteURL.cohorts(.show(.value($0))).relativeURL()),
                                                .text(line.cohortName))
                                        } ?? .group(.text(line.cohortName + " "), .span(.class("tag"), .text("New")))),
                                    .td(.class("number"), .text("\(line.days.count)")),
                                    .td(.class("number"), .text("\(line.people.count)")),
                                    .td(.class("number"), .text("\(line.newPlaces)")),
                                    .td(.class("number"), .text("\(line.counts.added)")),
                                    .td(.class("number"), .text("\(line.counts.changed)")),
                                    .td(.class("number"), .text("\(line.counts.unchanged)")),
                                    .td(.class("number"), .text("\(line.counts.kept)")))
                            })
                    )
            )
        }
    }
}

extension AttendanceImportPage.FormModel {
    static func query(form: FormState = FormState(), on db: any Database) async throws -> Self {
        let courses = try await Course.query(on: db).filter(\.$archivedAt == nil).sort(\.$name).range(..<2).all()
        return .init(courseNames: courses.map(\.name), form: form)
    }
}

extension AttendanceImportPage.Model {
    /// The check of `upload` as of `today`.
    static func query(_ upload: AttendanceUpload, today: CalendarDay, on db: any Database) async throws -> Self {
        let file = AttendanceFile(text: upload.content)
        let plan = try await AttendanceImport.check(file, today: today, on: db)
        return .init(
            uploadID: try upload.requireID(), filename: upload.filename, rows: file.rows.count + file.errors.count,
            counts: plan.total, cohorts: plan.cohorts,
            errors: Array(plan.errors.prefix(AttendanceImportPage.errorsShown)),
            errorCount: plan.errors.count, changesSomething: plan.changesSomething, warnings: plan.warnings)
    }
}
