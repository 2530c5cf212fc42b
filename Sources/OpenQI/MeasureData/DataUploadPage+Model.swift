import Fluent
import Foundation
import Vapor

/// Uploading data for many measures of a unit at once: the form, and the check of an upload
/// (what importing it would do, and every bad row) with "Import" and "Cancel".
enum DataUploadPage {
    /// The upload form.
    struct FormModel: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// A few measures below the unit, to show what rows for several measures look like, each
        /// with a denominator if its chart needs one (so the example is a file that would import).
        var examples: [ExampleMeasure]
        var keyedMeasures: Int
        var form: FormState
    }

    struct ExampleMeasure: Sendable, Equatable {
        let key: String
        let usesDenominator: Bool
    }

    /// One measure the upload names, and what importing would do to it.
    struct MeasureLine: Sendable, Equatable {
        let measureID: UUID
        let name: String
        let key: String
        let owner: String
        let counts: DataLoad.Counts
    }

    /// The check of an upload.
    struct Model: Sendable, Equatable {
        var uploadID: UUID
        var unitID: UUID
        var unitPath: String
        var filename: String
        var rows: Int
        var counts: DataLoad.Counts
        var measures: [MeasureLine]
        /// The first bad rows; `errorCount` says how many there are in all.
        var errors: [DataImport.RowError]
        var errorCount: Int
        var isReady: Bool { errorCount == 0 && !measures.isEmpty }
    }

    /// Bad rows shown on the page; the full list is the report's CSV.
    static let errorsShown = 200
    /// The largest upload, about 600,000 rows: larger files go in parts, or through the API.
    static let maximumSize: ByteCount = "20mb"
}

/// An upload read and checked against the measures the uploader may fill.
struct CheckedUpload: Sendable {
    let upload: DataUpload
    let file: BulkDataImport
    let targets: [String: MeasureBrief]
    let checked: BulkDataImport.Checked

    static func load(_ upload: DataUpload, policy: Policy, on db: any Database) async throws -> CheckedUpload {
        let tree = policy.tree
        let unitID = upload.$unit.id
        let file = BulkDataImport.csv(upload.content)
        let targets = try await BulkDataImport.targets(keys: file.keys, in: tree.subtree(of: unitID), on: db)
        return CheckedUpload(
            upload: upload, file: file, targets: targets,
            checked: file.checked(against: targets, scope: tree.path(of: unitID)))
    }
}

extension DataUploadPage.FormModel {
    static func query(unitID: UUID, policy: Policy, form: FormState = FormState(), on db: any Database) async throws
        -> Self
    {
        let units = Array(policy.tree.subtree(of: unitID))
        let keyed = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$key != nil)
            .filter(\.$archivedAt == nil).sort(\.$key).range(..<3).all()
        let count = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$key != nil)
            .filter(\.$archivedAt == nil).count()
        return .init(
            unitID: unitID, unitPath: policy.tree.path(of: unitID),
            examples: keyed.compactMap { measure in
                measure.key.map { .init(key: $0, usesDenominator: measure.chart.usesDenominator) }
            },
            keyedMeasures: count, form: form)
    }
}

extension DataUploadPage.Model {
    static func query(_ checkedUpload: CheckedUpload, policy: Policy, on db: any Database) async throws -> Self {
        let upload = checkedUpload.upload
        let checked = checkedUpload.checked
        let load = try await DataLoad.plan(checked.rows, measures: checkedUpload.targets.values, on: db)
        let byID = Dictionary(checkedUpload.targets.map { ($0.value.id, ($0.key, $0.value)) }) { first, _ in first }
        let measures = checked.rows.keys.compactMap { id -> DataUploadPage.MeasureLine? in
            guard let (key, target) = byID[id] else { return nil }
            return .init(
                measureID: id, name: target.name, key: key,
                owner: policy.tree.path(of: target.unitID, below: upload.$unit.id), counts: load.counts[id] ?? .init())
        }.sorted { ($0.owner, $0.name) < ($1.owner, $1.name) }
        return .init(
            uploadID: try upload.requireID(), unitID: upload.$unit.id, unitPath: policy.tree.path(of: upload.$unit.id),
            filename: upload.filename, rows: checkedUpload.file.lines.count, counts: load.total, measures: measures,
            errors: Array(checked.errors.prefix(DataUploadPage.errorsShown)), errorCount: checked.errors.count)
    }
}
