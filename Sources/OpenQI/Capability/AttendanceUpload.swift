import Fluent
import Foundation

/// A file of past attendance waiting for the capability lead who uploaded it to look at the check
/// and import it or cancel. Kept in the database, so a long file is sent once; importing or
/// cancelling deletes it, and uploads nobody acted on are cleared after a day (`Housekeeping`).
final class AttendanceUpload: Model, @unchecked Sendable {
    static let schema = "attendance_uploads"
    static let lifetime: TimeInterval = 24 * 3600

    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "filename") var filename: String
    @Field(key: "content") var content: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(personID: UUID, filename: String, content: String) {
        self.$person.id = personID
        self.filename = filename
        self.content = content
    }

    /// Deletes the uploads left longer than their lifetime.
    static func clearExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$createdAt < now.addingTimeInterval(-lifetime)).delete()
    }
}

struct CreateAttendanceUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AttendanceUpload.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("filename", .string, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AttendanceUpload.schema).delete()
    }
}
