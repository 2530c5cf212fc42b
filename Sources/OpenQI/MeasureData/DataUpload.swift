import Fluent
import Foundation

/// An uploaded CSV waiting for its uploader to look at the check and import it or cancel. Kept in
/// the database rather than in the browser, so a large file is sent once; importing or cancelling
/// deletes it, and uploads nobody acted on are cleared after a day.
final class DataUpload: Model, @unchecked Sendable {
    static let schema = "data_uploads"
    /// Uploads left this long are cleared (`Housekeeping`).
    static let lifetime: TimeInterval = 24 * 3600

    @ID(key: .id) var id: UUID?
    /// The unit whose measures (it and everything below it) the rows may name.
    @Parent(key: "unit_id") var unit: Unit
    @Parent(key: "person_id") var person: Person
    @Field(key: "filename") var filename: String
    @Field(key: "content") var content: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(unitID: UUID, personID: UUID, filename: String, content: String) {
        self.$unit.id = unitID
        self.$person.id = personID
        self.filename = filename
        self.content = content
    }
}

extension DataUpload {
    /// Deletes the uploads left longer than their lifetime.
    static func clearExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$createdAt < now.addingTimeInterval(-lifetime)).delete()
    }
}

struct CreateDataUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DataUpload.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("filename", .string, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DataUpload.schema).delete()
    }
}
