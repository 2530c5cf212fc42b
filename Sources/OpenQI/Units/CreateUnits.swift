import Fluent

struct CreateUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let kind = try await database.enum("unit_kind")
            .case("organisation").case("directorate").case("service").case("team").case("ward").case("partner")
            .create()
        try await database.schema(Unit.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", kind, .required)
            .field("parent_id", .uuid, .references(Unit.schema, "id", onDelete: .restrict))
            .field("description", .string)
            .field("archived_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Unit.schema).delete()
        try await database.enum("unit_kind").delete()
    }
}
