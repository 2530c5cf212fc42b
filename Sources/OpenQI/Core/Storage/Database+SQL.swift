import Fluent
import SQLKit

extension Database {
    /// The database as SQL, for the few queries Fluent's query builder cannot say well (bulk
    /// upserts, grouped reads). Both drivers OpenQI runs on, SQLite and PostgreSQL, are SQL databases.
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
