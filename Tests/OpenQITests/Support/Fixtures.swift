import Fluent
import Foundation
import Vapor

@testable import OpenQI

/// Builds the records tests need, straight into the database.
struct Fixtures {
    let app: Application
    var db: any Database { app.db }

    static let password = "correct horse battery"

    @discardableResult
    func unit(_ name: String, kind: UnitKind, parent: Unit? = nil) async throws -> Unit {
        let unit = Unit(name: name, kind: kind, parentID: parent?.id)
        try await unit.create(on: db)
        return unit
    }

    @discardableResult
    func person(_ name: String, kind: PersonKind = .staff, unit: Unit?, email: String? = nil) async throws -> Person {
        let person = Person(fullName: name, email: email, kind: kind, unitID: unit?.id)
        try await person.create(on: db)
        return person
    }

    /// A person who can sign in, with an optional role at a unit.
    @discardableResult
    func signIn(
        _ email: String, role: Role? = nil, at unit: Unit? = nil, administrator: Bool = false,
        mustChangePassword: Bool = false
    ) async throws -> Person {
        let person = try await self.person(email.split(separator: "@")[0].capitalized, unit: unit, email: email)
        let hash = try await app.password.async.hash(Self.password).get()
        try await Account(
            personID: try person.requireID(), email: email, passwordHash: hash,
            isAdministrator: administrator, mustChangePassword: mustChangePassword
        ).create(on: db)
        if let role, let unit {
            try await RoleGrant(personID: try person.requireID(), unitID: try unit.requireID(), role: role).create(
                on: db)
        }
        return person
    }
}

/// Foundation has a `Unit` too (for measurements); in the tests, `Unit` is OpenQI's organisation unit.
typealias Unit = OpenQI.Unit

extension Application {
    /// Every stored data point, by measure and then period.
    func storedDataPoints() async throws -> [DataPoint] {
        let ids = try await Measure.query(on: db).all().compactMap(\.id).sorted { $0.uuidString < $1.uuidString }
        let series = try await DataPoint.series(of: ids, on: db)
        return ids.flatMap { id in
            (series[id] ?? []).map {
                DataPoint(measureID: id, period: $0.period, value: $0.value, denominator: $0.denominator, note: $0.note)
            }
        }
    }
}
