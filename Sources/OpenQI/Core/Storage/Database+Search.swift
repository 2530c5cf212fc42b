import Fluent
import FluentSQL
import SQLKit

extension QueryBuilder {
    /// Rows where any of `fields` contains `text`, ignoring case. `%`, `_` and `\` in the text
    /// match themselves: a search for "100%" finds "100% of patients", not every title starting
    /// "100". (SQLite's LIKE ignores ASCII case and has no escape character unless told one;
    /// PostgreSQL needs ILIKE.)
    func containing<each Field: QueryableProperty>(
        _ text: String, inAnyOf fields: repeat KeyPath<Model, each Field>
    ) -> Self {
        let model = Model()
        var columns: [FieldKey] = []
        for field in repeat each fields { columns.append(contentsOf: model[keyPath: field].path) }
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        let pattern = SQLBinaryExpression(
            left: SQLBind("%\(escaped)%"), op: SQLRaw("ESCAPE"), right: SQLLiteral.string("\\"))
        let like = SQLRaw((database as? any SQLDatabase)?.dialect.name == "postgresql" ? "ILIKE" : "LIKE")
        return group(.or) { group in
            for column in columns {
                group.filter(
                    .sql(
                        SQLBinaryExpression(
                            left: SQLColumn(
                                SQLIdentifier(column.description), table: SQLIdentifier(Model.schemaOrAlias)),
                            op: like, right: pattern)))
            }
        }
    }
}
