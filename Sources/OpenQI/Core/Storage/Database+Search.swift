import Fluent
import SQLKit

extension Database {
    /// Case-insensitive LIKE on both databases: SQLite's LIKE already ignores ASCII case, PostgreSQL needs ILIKE.
    var caseInsensitiveLike: DatabaseQuery.Filter.Method {
        (self as? any SQLDatabase)?.dialect.name == "postgresql" ? .custom("ILIKE") : .custom("LIKE")
    }
}
