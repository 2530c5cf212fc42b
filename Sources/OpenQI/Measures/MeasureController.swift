import Charts
import Fluent
import Foundation
import SPC
import Vapor

/// The measure pages: define a measure, enter data (pasted or uploaded, checked before anything is
/// saved), annotate the chart, start a new phase, and export the chart and data.
enum MeasureController {
    /// Who a new measure belongs to: a project (its team defines it) or a unit (its administrators
    /// and QI team define ward indicators, directorate performance, the board's measures).
    private struct Owner {
        let projectID: UUID?
        let unitID: UUID
        let name: String
        let formURL: String
        let cancelURL: String
        /// The new-measure form's own address, to start it again from a standard measure.
        let newURL: String
    }

    /// The owner named by the route, after checking the viewer may add measures to it.
    private static func owner(_ req: Request, policy: Policy) async throws -> Owner {
        if req.parameters.get("projectID") != nil {
            let project = try await req.project()
            try policy.require(.editProject(project.access))
            let id = try project.requireID()
            return Owner(
                projectID: id, unitID: project.$unit.id, name: "“\(project.title)”",
                formURL: SiteURL.projects(.addMeasure(.value(id))).relativeURL(),
                cancelURL: SiteURL.projects(.show(.value(id))).relativeURL(),
                newURL: SiteURL.projects(.newMeasure(.value(id))).relativeURL())
        }
        let (unitID, _) = try await req.unitForMeasures()
        return Owner(
            projectID: nil, unitID: unitID, name: policy.tree.path(of: unitID),
            formURL: SiteURL.units(.addMeasure(.value(unitID))).relativeURL(),
            cancelURL: SiteURL.units(.measures(.value(unitID))).relativeURL(),
            newURL: SiteURL.units(.newMeasure(.value(unitID))).relativeURL())
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let owner = try await owner(req, policy: try await req.policy())
        // Chosen from the list of standard measures: the form of a measure made from it.
        if let id = req.query[String.self, at: "standard"].flatMap(UUID.init(uuidString:)),
            let standard = try await StandardMeasure.find(id, on: req.db), !standard.isArchived
        {
            return try await formPage(
                req, owner: owner, state: FormState(values: ["name": standard.name]), following: standard)
        }
        let state = FormState(values: [
            "kind": "outcome", "frequency": "weekly", "chart_type": "run", "rules": "anhoej", "direction": "up",
        ])
        return try await formPage(req, owner: owner, state: state)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let owner = try await owner(req, policy: policy)
        let input = try req.content.decode(MeasureInput.self)
        let standard = try await standardNamed(by: input, on: req.db)
        return try await req.saveForm(typed: FormState(values: input.formValues)) {
            if input.standard_id?.isEmpty == false, standard == nil || standard?.isArchived == true {
                throw ValidationFailure(
                    field: "name",
                    message:
                        "The standard measure this form was made from is archived or gone. Go back to choose another, or define the measure yourself."
                )
            }
            let valid = try (standard.map(input.following) ?? input).validate()
            try await requireFreeKey(valid.key, on: req.db)
            let measure = Measure()
            measure.$project.id = owner.projectID
            measure.$unit.id = owner.unitID
            measure.apply(valid)
            measure.$standard.id = standard?.id
            measure.standardVersion = standard?.definitionVersion
            try await measure.saveAudited(.create, by: policy.viewer.actor, on: req.db) { db in
                try await measure.refreshSummary(on: db)
            }
            return req.redirect(
                to: SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL(),
                notice: "“\(measure.name)” was added. Now add its data.")
        } redraw: { state in
            try await formPage(req, owner: owner, state: state, following: standard)
        }
    }

    /// The standard measure a new measure's form names, if it names one that exists.
    private static func standardNamed(by input: MeasureInput, on db: any Database) async throws -> StandardMeasure? {
        guard let id = input.standard_id.flatMap(UUID.init(uuidString:)) else { return nil }
        return try await StandardMeasure.find(id, on: db)
    }

    /// Keys are unique across the organisation; `measure` may keep its own.
    private static func requireFreeKey(_ key: String?, for measure: Measure? = nil, on db: any Database) async throws {
        guard let key, let other = try await Measure.query(on: db).filter(\.$key == key).first(),
            other.id != measure?.id
        else { return }
        throw ValidationFailure(
            field: "key",
            message:
                "“\(key)” is already the key of “\(other.name)”. Keys are unique across the organisation: add the unit’s name, like ward-7.falls."
        )
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (measure, _) = try await editable(req)
        return try await editPage(req, measure: measure, state: MeasureInput(measure).formState)
    }

    /// Saves a changed definition. Someone who saved it since the form opened is named, with what
    /// they saved beside what this person typed, which is kept to save again knowingly.
    @Sendable static func update(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let typed = try req.content.decode(MeasureInput.self)
        // Made from a standard, its definition changes only by taking the standard's next version:
        // what its form does not show is its own, not something typed to compare with a save.
        let input = measure.$standard.id == nil ? typed : typed.keeping(measure)
        let id = try measure.requireID()
        return try await req.saveEdit(input, of: measure, called: "measure") { version in
            let valid = try input.validate()
            try await requireFreeKey(valid.key, for: measure, on: req.db)
            let before = measure.auditFields
            measure.apply(valid)
            try await measure.saveAudited(
                .update, by: policy.viewer.actor, before: before, expecting: version, on: req.db
            ) { db in
                // The chart type, rules or direction may have changed what the summary says.
                try await measure.refreshSummary(on: db)
            }
            return req.redirect(
                to: SiteURL.measures(.show(.value(id))).relativeURL(), notice: "Your changes were saved.")
        } redraw: { measure, state in
            try await editPage(req, measure: measure, state: state)
        }
    }

    struct FollowInput: Content {
        /// The standard's definition version the page showed, and the measure's version it was read at.
        var standard_version: Int?
        var version: Int?
    }

    /// Takes the standard measure's definition version the page showed, from the measure's page.
    @Sendable static func followStandard(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let page = SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL()
        let input = try req.content.decode(FollowInput.self)
        do {
            try await measure.followStandard(
                version: input.standard_version ?? 0, expecting: input.version ?? measure.version,
                by: policy.viewer.actor, on: req.db)
        } catch let failure as ValidationFailure {
            return req.redirect(to: page, notice: failure.reason)
        } catch is EditConflict<Measure> {
            return req.redirect(
                to: page,
                notice:
                    "Someone changed this measure after you opened it; nothing was taken. Read it again, then take the new version if it is still right."
            )
        }
        return req.redirect(
            to: page,
            notice: "“\(measure.name)” now follows version \(measure.standardVersion ?? 1) of its standard measure.")
    }

    private static func editPage(_ req: Request, measure: Measure, state: FormState) async throws -> Response {
        let id = try measure.requireID()
        let standard = try await measure.$standard.get(on: req.db)
        let model = MeasureForm.Model(
            ownerName: measure.name, action: SiteURL.measures(.update(.value(id))).relativeURL(),
            cancelURL: SiteURL.measures(.show(.value(id))).relativeURL(), form: state, isEdit: true,
            following: standard.map {
                .init(
                    id: $0.id!, name: $0.name, version: measure.standardVersion ?? $0.definitionVersion,
                    definition: measure.definition)
            })
        return MeasureForm.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await MeasureShow.Model.query(id: try req.idParameter("measureID"), policy: policy, on: req.db)
        return MeasureShow.View(context: try await req.pageContext(), model: model).response()
    }

    struct DataInput: Content {
        var data: String?
        var file: File?
    }

    /// Checks pasted or uploaded data and shows what an import would do; saves nothing.
    @Sendable static func previewData(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let input = try req.content.decode(DataInput.self)
        let text = input.file.flatMap { String(buffer: $0.data) }.flatMap { $0.isEmpty ? nil : $0 } ?? input.data ?? ""
        let check = DataImport(text: text, chart: measure.chart)
        var model = try await MeasureShow.Model.query(id: try measure.requireID(), policy: policy, on: req.db)
        let id = try measure.requireID()
        let existing = Set((try await DataPoint.series(of: [id], on: req.db)[id] ?? []).map(\.period))
        let added = check.rows.filter { !existing.contains($0.period) }.count
        model.preview = .init(
            text: text, added: added, replaced: check.rows.count - added, errors: check.errors.map(\.message))
        model.dataForm = FormState(values: ["data": input.file == nil ? text : ""])
        return MeasureShow.View(context: try await req.pageContext(), model: model)
            .response(status: check.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// Imports checked data: every row or, if any is bad, none.
    @Sendable static func importData(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let input = try req.content.decode(DataInput.self)
        let check = DataImport(text: input.data ?? "", chart: measure.chart)
        let url = SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL()
        guard check.errors.isEmpty else {
            return req.redirect(
                to: url, notice: "Nothing was imported: \(check.errors.count) rows need fixing. Check the data again.")
        }
        let (added, replaced) = try await measure.upsert(check.rows, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: url, notice: "Imported \(added) new period\(added == 1 ? "" : "s") and changed \(replaced).")
    }

    struct GridInput: Content {
        var period: [String]?
        var value: [String]?
        var denominator: [String]?
        /// What each row showed as recorded when the grid was drawn (`GridRow.shown`).
        var shown: [String]?

        /// The rows as typed, to draw the grid again: each with what it showed, or with what is
        /// `saved` now when given (after a conflict, so that saving again is knowing).
        func rows(shown saved: [String: String]? = nil) -> [MeasureShow.GridRow] {
            let periods = period ?? []
            return periods.indices.map { index in
                let showing: String
                if let saved { showing = saved[day(periods[index])] ?? "" } else { showing = shown?[safe: index] ?? "" }
                return .init(
                    period: periods[index], value: value?[safe: index] ?? "",
                    denominator: denominator?[safe: index] ?? "", shown: showing)
            }
        }

        /// The rows that would overwrite, unseen, what was `saved` after the grid was drawn: a value
        /// typed where what is saved now is neither what the row showed nor what was typed.
        func unseen(_ saved: [String: String]) -> [Int] {
            let periods = period ?? []
            return periods.indices.filter { index in
                let typed = number(value?[safe: index])
                guard let typed else { return false }  // blank: the period is left alone
                let now = saved[day(periods[index])] ?? ""
                let mine = typed + (number(denominator?[safe: index]).map { "/" + $0 } ?? "")
                return now != (shown?[safe: index] ?? "") && now != mine
            }
        }

        private func number(_ text: String?) -> String? {
            let text = text?.trimmingCharacters(in: .whitespaces) ?? ""
            return text.isEmpty ? nil : Double(text).map(Describe.plain) ?? text
        }

        private func day(_ text: String) -> String {
            CalendarDay(parsing: text, as: .spreadsheet)?.text ?? text
        }
    }

    /// Saves the values typed into the grid. Rows become lines of the same check a paste goes
    /// through (a blank value leaves its period alone), so the grid and a paste cannot disagree.
    @Sendable static func enterData(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let input = try req.content.decode(GridInput.self)
        let periods = input.period ?? []
        let lines = periods.indices.map { index -> String in
            let value = input.value?[safe: index]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !value.isEmpty else { return "" }
            return [periods[index], value, input.denominator?[safe: index] ?? ""].joined(separator: "\t")
        }
        let check = DataImport(text: lines.joined(separator: "\n"), chart: measure.chart)
        let url = SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL()
        func redraw(_ errors: [String], shown: [String: String]? = nil, status: HTTPStatus) async throws -> Response {
            var model = try await MeasureShow.Model.query(id: try measure.requireID(), policy: policy, on: req.db)
            model.grid = input.rows(shown: shown)
            model.gridErrors = errors
            return MeasureShow.View(context: try await req.pageContext(), model: model).response(status: status)
        }
        guard check.errors.isEmpty else {
            return try await redraw(
                check.errors.map { $0.line == 0 ? "Type a value for at least one period." : $0.message },
                status: .unprocessableEntity)
        }
        // A period someone saved after this grid was drawn is not overwritten unseen: the grid comes
        // back with this person's values kept, and what was saved named, to save again knowingly.
        // The check and the write are one step: another save of this measure waits for it.
        let actor = policy.viewer.actor
        let outcome = try await req.db.transaction { db -> GridOutcome in
            try await measure.holdForWriting(on: db)
            let saved = try await recordedNow(measure, on: db)
            let unseen = input.unseen(saved)
            guard unseen.isEmpty else { return .unseen(unseen, saved: saved) }
            let (added, replaced) = try await measure.upsert(check.rows, by: actor, on: db)
            return .saved(added: added, replaced: replaced)
        }
        guard case .saved(let added, let replaced) = outcome else {
            guard case .unseen(let rows, let saved) = outcome else { preconditionFailure() }
            return try await redraw(
                rows.map { index in
                    let period = periods[index]
                    let theirs =
                        (CalendarDay(parsing: period, as: .spreadsheet).flatMap { saved[$0.text] })
                        .map { "Someone saved \($0)" } ?? "Someone removed the value"
                    return "\(period): \(theirs) after you opened this page. Your value is kept below; "
                        + "save again to replace theirs, or take theirs instead."
                }, shown: saved, status: .conflict)
        }
        return req.redirect(
            to: url, notice: "Saved \(added) new period\(added == 1 ? "" : "s") and changed \(replaced).")
    }

    /// What a save of the grid came to: the values saved, or the rows that would have overwritten
    /// unseen what was saved meanwhile (with what is saved now).
    private enum GridOutcome: Sendable {
        case saved(added: Int, replaced: Int)
        case unseen([Int], saved: [String: String])
    }

    /// What is recorded now for each period of the measure, as the grid carries it.
    private static func recordedNow(_ measure: Measure, on db: any Database) async throws -> [String: String] {
        let id = try measure.requireID()
        let series = try await DataPoint.series(of: [id], on: db)[id] ?? []
        return Dictionary(series.map { (CalendarDay.text($0.period), $0.recorded) }) { _, last in last }
    }

    struct DatedTextInput: Content {
        var period: String?
        var text: String?
        var label: String?
    }

    @Sendable static func annotate(req: Request) async throws -> Response {
        try await addDated(req, field: "text") { measure, period, text, db in
            try await MeasureAnnotation(measureID: try measure.requireID(), period: period, text: text).create(on: db)
            return "The annotation was added."
        }
    }

    /// Removes a note from the chart (a typo, the wrong date): audited with what it said.
    @Sendable static func removeAnnotation(req: Request) async throws -> Response {
        try await removeMark(req, id: "annotationID", called: "annotation") {
            (measure, note: MeasureAnnotation, actor, db) in
            try await measure.recordChartChange(added: false, annotation: note.said, by: actor, on: db)
            return "The annotation “\(note.text)” was removed."
        }
    }

    /// Removes the value of one period, from the data table: a value recorded against the wrong week.
    @Sendable static func removeDataPoint(req: Request) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let url = SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL()
        guard let text = req.parameters.get("period"), let period = CalendarDay(parsing: text, as: .iso) else {
            throw NotFound("period")
        }
        do {
            try await measure.removeDataPoint(at: period, by: policy.viewer.actor, on: req.db)
        } catch let failure as ValidationFailure {
            return req.redirect(to: url + "#data", notice: failure.reason)
        }
        return req.redirect(to: url + "#data", notice: "The value for \(period.label) was removed.")
    }

    /// Removes a phase: the limits are calculated across it again, and the summary says so.
    @Sendable static func removePhase(req: Request) async throws -> Response {
        try await removeMark(req, id: "phaseID", called: "phase") { (measure, phase: PhaseBreak, actor, db) in
            try await measure.refreshSummary(on: db)
            try await measure.recordChartChange(added: false, phase: phase.said, by: actor, on: db)
            return "The phase “\(phase.label)” was removed; the limits are calculated across it again."
        }
    }

    /// Removes an annotation or a phase of the measure's chart, found by the route's `parameter`;
    /// `record` audits it in the same transaction and says what was done.
    private static func removeMark<Mark: ChartMark>(
        _ req: Request, id parameter: String, called name: String,
        record: @escaping @Sendable (Measure, Mark, Actor, any Database) async throws -> String
    ) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let measureID = try measure.requireID()
        guard let mark = try await Mark.find(req.idParameter(parameter), on: req.db), mark.measureID == measureID
        else { throw NotFound(name) }
        let notice = try await req.db.transaction { db in
            try await mark.delete(on: db)
            return try await record(measure, mark, policy.viewer.actor, db)
        }
        return req.redirect(to: SiteURL.measures(.show(.value(measureID))).relativeURL(), notice: notice)
    }

    @Sendable static func phaseBreak(req: Request) async throws -> Response {
        try await addDated(req, field: "label") { measure, period, label, db in
            let id = try measure.requireID()
            if try await PhaseBreak.query(on: db).filter(\.$measure.$id == id).filter(\.$period == period).first()
                != nil
            {
                throw ValidationFailure(field: "period", message: "A phase already starts on this date.")
            }
            try await PhaseBreak(measureID: id, period: period, label: label).create(on: db)
            try await measure.refreshSummary(on: db)
            return "Limits are recalculated from \(CalendarDay.label(period))."
        }
    }

    /// Both the annotation and the phase-break forms: a date and a short text, saved with an audit entry.
    private static func addDated(
        _ req: Request, field: String,
        save: @escaping @Sendable (Measure, Date, String, any Database) async throws -> String
    ) async throws -> Response {
        let (measure, policy) = try await editable(req)
        let input = try req.content.decode(DatedTextInput.self)
        let raw = field == "text" ? input.text : input.label
        return try await req.saveForm {
            var validator = Validator()
            let text = validator.requiredText(
                raw, field: field, label: field == "text" ? "the note" : "the phase name", maxLength: 120)
            let period = input.period.flatMap { CalendarDay(parsing: $0, as: .spreadsheet)?.date }
            if period == nil { validator.fail("period", "Enter the date, like 2026-03-31.") }
            try validator.check()
            let notice = try await req.db.transaction { db in
                let notice = try await save(measure, period!, text, db)
                let said = "\(CalendarDay.label(period!)): \(text)"
                try await measure.recordChartChange(
                    added: true, annotation: field == "text" ? said : nil, phase: field == "text" ? nil : said,
                    by: policy.viewer.actor, on: db)
                return notice
            }
            return req.redirect(
                to: SiteURL.measures(.show(.value(try measure.requireID()))).relativeURL(), notice: notice)
        } redraw: { errors in
            var model = try await MeasureShow.Model.query(id: try measure.requireID(), policy: policy, on: req.db)
            let state = FormState(values: ["period": input.period ?? "", field: raw ?? ""], errors: errors)
            if field == "text" { model.annotationForm = state } else { model.phaseForm = state }
            return MeasureShow.View(context: try await req.pageContext(), model: model).response()
        }
    }

    @Sendable static func chartSVG(req: Request) async throws -> Response {
        try await req.policy().require(.readOrganisation)
        let measure = try await find(req)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        let svg = try await MeasureSeries.load(measure, on: req.db).chart(
            title: measure.name, subtitle: measure.unitOfMeasure
        ).svg()
        return Response(status: .ok, headers: headers, body: .init(string: svg))
    }

    @Sendable static func dataCSV(req: Request) async throws -> Response {
        try await req.policy().require(.readOrganisation)
        let measure = try await find(req)
        let series = try await MeasureSeries.load(measure, on: req.db)
        let result = series.shownResult
        var csv = "period,value,denominator,plotted,cl,lcl,ucl,class,note\n"
        for (period, point) in zip(series.periods, result.points) {
            let cells: [String] = [
                CalendarDay.text(period.period), "\(period.value)", period.denominator.map { "\($0)" } ?? "",
                point.y.map { "\($0)" } ?? "", point.cl.map { "\($0)" } ?? "", point.lcl.map { "\($0)" } ?? "",
                point.ucl.map { "\($0)" } ?? "", point.pointClass.rawValue, period.note.map(CSVText.cell) ?? "",
            ]
            csv += cells.joined(separator: ",") + "\n"
        }
        return .csv(csv, filename: "measure-data.csv")
    }

    /// `GET /api/v1/measures/:id/chart`: the SPC JSON of SPC.md, phases and annotations applied.
    @Sendable static func chartJSON(req: Request) async throws -> Response {
        try await req.policy().require(.readOrganisation)
        let measure = try await find(req)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        let data = try encoder.encode(ChartDocument(try await MeasureSeries.load(measure, on: req.db)))
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// A measure's chart as the API returns it: SPC.md's JSON, and the notes on the chart at their periods.
    struct ChartDocument: Encodable {
        struct Annotation: Encodable {
            let x: String
            let text: String
        }
        let result: SPCResult
        let annotations: [Annotation]

        init(_ series: MeasureSeries) {
            result = series.result
            annotations = series.annotations.map { Annotation(x: CalendarDay.text($0.period), text: $0.text) }
        }

        private enum CodingKeys: String, CodingKey { case annotations }

        func encode(to encoder: any Encoder) throws {
            try result.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(annotations, forKey: .annotations)
        }
    }

    static func find(_ req: Request) async throws -> Measure {
        guard let measure = try await Measure.find(try req.idParameter("measureID"), on: req.db) else {
            throw NotFound("measure")
        }
        return measure
    }

    private static func editable(_ req: Request) async throws -> (Measure, Policy) {
        let policy = try await req.policy()
        let measure = try await find(req)
        guard try await measure.canEdit(policy: policy, on: req.db) else {
            throw Abort(
                .forbidden,
                reason: measure.$project.id == nil
                    ? "Only the unit’s administrators and QI team can change its measures."
                    : "Only the project’s team, coach and sponsor can change its measures.")
        }
        return (measure, policy)
    }

    private static func formPage(
        _ req: Request, owner: Owner, state: FormState, following standard: StandardMeasure? = nil
    ) async throws -> Response {
        let standards =
            standard == nil
            ? try await StandardMeasure.query(on: req.db).filter(\.$archivedAt == nil).sort(\.$name).all() : []
        let model = MeasureForm.Model(
            ownerName: owner.name, action: owner.formURL, cancelURL: owner.cancelURL, form: state,
            following: standard.map {
                .init(id: $0.id!, name: $0.name, version: $0.definitionVersion, definition: $0.definition, isNew: true)
            },
            standards: standards.map {
                .init(label: $0.name, url: owner.newURL + "?standard=" + ($0.id?.uuidString ?? ""))
            })
        return MeasureForm.View(context: try await req.pageContext(), model: model).response()
    }
}

extension Array {
    /// The element at `index`, or nil past the end: form arrays may arrive shorter than each other.
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension Request {
    /// The unit the route's `unitID` names, once the policy lets the viewer manage its measures:
    /// add them, load their data, write its board report. 404 when there is no such unit.
    func unitForMeasures() async throws -> (UUID, Policy) {
        let policy = try await policy()
        let unitID = try idParameter("unitID")
        guard policy.tree.nodes[unitID] != nil else { throw NotFound("unit") }
        try policy.require(.manageUnitMeasures(unitID))
        return (unitID, policy)
    }
}
