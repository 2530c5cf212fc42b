import Fluent
import Foundation
import OpenQI
import SPC
import SyntheticData
import Vapor

/// How big a demo organisation to build. `small` is a trust of about 6 directorates, 60 teams and
/// wards, 500 people and 300 projects; `large` is a large trust as benchmarks need it: 10
/// directorates of 120 teams, services and wards each (about 5,000 measures a directorate), 15,000
/// people, 10,000 projects, about 50,000 measures and 5,000,000 data points.
package enum DemoSize: String, CaseIterable, Sendable {
    case small, large

    var directorates: Int { self == .small ? 6 : 10 }
    var unitsPerDirectorate: Int { self == .small ? 10 : 120 }
    var people: Int { self == .small ? 500 : 15_000 }
    var projects: Int { self == .small ? 300 : 10_000 }
    /// Completed projects whose outcome kept being counted and slid back in the last two months.
    var slippingGains: Int { self == .small ? 2 : 60 }
    /// How long ago projects started, in days: a large trust has years of improvement work behind it.
    var projectStarts: ClosedRange<Int> { self == .small ? 120...720 : 120...1460 }
    /// Weeks of history of each ward indicator.
    var wardWeeks: Int { self == .small ? 52 : 312 }
}

/// A realistic, made-up NHS trust, generated from a seed: directorates with their services, teams
/// and wards; staff, service users, carers and partners; two partner organisations; and one demo
/// sign-in per role, each with the password `demo`.
struct DemoOrganisation: Sendable {
    struct UnitSeed: Sendable {
        let id: UUID
        let name: String
        let kind: UnitKind
        let parentID: UUID?
        let summary: String?
    }

    struct PersonSeed: Sendable {
        let id: UUID
        let fullName: String
        let email: String?
        let kind: PersonKind
        let unitID: UUID
        let jobTitle: String?
    }

    struct SignInSeed: Sendable {
        let personID: UUID
        let email: String
        let role: Role
        let unitID: UUID
        let isAdministrator: Bool
    }

    var units: [UnitSeed] = []
    var people: [PersonSeed] = []
    var signIns: [SignInSeed] = []

    static let password = "demo"

    /// The demo sign-ins, as the sign-in page of a demo instance lists them.
    static let signIns: [DemoSignIn] = Role.allCases.map { DemoSignIn(role: $0.label, email: email(for: $0)) }

    static func email(for role: Role) -> String {
        "\(role.rawValue.replacingOccurrences(of: "_", with: "-"))@example.org"
    }

    init(size: DemoSize, seed: UInt64 = 2026) {
        var random = SplitMix64(seed: seed)
        func uuid() -> UUID {
            let a = random.next()
            let b = random.next()
            var bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
            bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
            bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
        }

        let trust = UnitSeed(
            id: uuid(), name: "East Riverside NHS Foundation Trust", kind: .organisation, parentID: nil,
            summary: "Mental health and community health services for 1.5 million people across four boroughs."
        )
        units.append(trust)
        let partners = [
            UnitSeed(
                id: uuid(), name: "Riverside Borough Council", kind: .partner, parentID: nil,
                summary: "Adult social care and package health."),
            UnitSeed(
                id: uuid(), name: "Northfield GP Federation", kind: .partner, parentID: nil,
                summary: "Thirty-one general practices."),
        ]
        units += partners

        var directorates: [UnitSeed] = []
        var frontline: [UnitSeed] = []
        for index in 0..<size.directorates {
            let name =
                Self.directorateNames[index % Self.directorateNames.count]
                + (index >= Self.directorateNames.count ? " \(index / Self.directorateNames.count + 1)" : "")
            let directorate = UnitSeed(id: uuid(), name: name, kind: .directorate, parentID: trust.id, summary: nil)
            directorates.append(directorate)
            units.append(directorate)
            var usedNames: Set<String> = []
            for unitIndex in 0..<size.unitsPerDirectorate {
                let kind: UnitKind = unitIndex % 3 == 0 ? .ward : (unitIndex % 3 == 1 ? .team : .service)
                var name: String
                repeat {
                    name = Self.unitName(kind: kind, using: &random)
                } while !usedNames.insert(name).inserted
                let unit = UnitSeed(id: uuid(), name: name, kind: kind, parentID: directorate.id, summary: nil)
                frontline.append(unit)
                units.append(unit)
            }
        }

        var usedEmails: Set<String> = []
        for index in 0..<size.people {
            let first = Self.firstNames.randomElement(using: &random)!
            let last = Self.lastNames.randomElement(using: &random)!
            let roll = Int.random(in: 0..<100, using: &random)
            let kind: PersonKind = roll < 70 ? .staff : roll < 85 ? .serviceUser : roll < 93 ? .carer : .partner
            let unit =
                kind == .partner ? partners.randomElement(using: &random)! : frontline.randomElement(using: &random)!
            var email: String? = nil
            if kind == .staff || kind == .partner {
                let base = "\(first).\(last)".lowercased().replacingOccurrences(of: "'", with: "")
                let candidate =
                    usedEmails.contains("\(base)@example.nhs.uk")
                    ? "\(base)\(index)@example.nhs.uk" : "\(base)@example.nhs.uk"
                usedEmails.insert(candidate)
                email = candidate
            }
            let jobTitle: String? =
                switch kind {
                case .staff: Self.jobTitles.randomElement(using: &random)
                case .serviceUser: "Service user and QI team member"
                case .carer: "Carer representative"
                case .partner: "Partner organisation lead"
                }
            people.append(
                PersonSeed(
                    id: uuid(), fullName: "\(first) \(last)", email: email, kind: kind, unitID: unit.id,
                    jobTitle: jobTitle))
        }

        // One sign-in per role, each with a scope that shows what the role sees.
        let firstDirectorate = directorates[0]
        let firstWard = frontline.first { $0.parentID == firstDirectorate.id }!
        let demoPeople: [(Role, String, PersonKind, UnitSeed, String)] = [
            (.admin, "Alex Morgan", .staff, trust, "QI systems administrator"),
            (.qiTeam, "Priya Raman", .staff, trust, "Improvement advisor"),
            (.forumChair, "Tendai Moyo", .serviceUser, firstDirectorate, "Service user co-chair of the QI forum"),
            (.sponsor, "Helen Osei", .staff, firstDirectorate, "Borough director"),
            (.coach, "Sam Whitfield", .staff, firstDirectorate, "QI coach"),
            (.member, "Jordan Ellis", .staff, firstWard, "Ward manager"),
            (.viewer, "Chris Byrne", .staff, trust, "Non-executive director"),
            (.improvementAdvisor, "Nadia Haddad", .staff, trust, "Improvement advisor"),
            (.capabilityLead, "Grace Adeyemi", .staff, trust, "Head of improvement capability"),
            (.executive, "Amara Okafor", .staff, trust, "Chief nurse"),
        ]
        for (role, name, kind, scope, job) in demoPeople {
            let email = Self.email(for: role)
            let home = scope.kind == .organisation ? trust : (role == .member ? firstWard : firstDirectorate)
            let person = PersonSeed(
                id: uuid(), fullName: name, email: email, kind: kind, unitID: home.id, jobTitle: job)
            people.append(person)
            signIns.append(
                SignInSeed(
                    personID: person.id, email: email, role: role, unitID: scope.id, isAdministrator: role == .admin))
        }
    }

    /// Writes the organisation in one transaction and marks the installation as a demo.
    func load(size: DemoSize, on db: any Database, passwordHash: String) async throws {
        try await db.transaction { db in
            // Parents first, in batches: the insert order keeps foreign keys satisfied.
            for batch in units.chunked(into: 200) {
                try await batch.map {
                    Unit(id: $0.id, name: $0.name, kind: $0.kind, parentID: $0.parentID, summary: $0.summary)
                }.create(on: db)
            }
            // Staff started on days spread over fourteen years, a few in the last months: taken from
            // their place in the list, so the rest of the demo draws the same numbers as before.
            let today = AppClock.today
            for batch in Array(people.enumerated()).chunked(into: 200) {
                try await batch.map { index, seed in
                    let person = Person(
                        id: seed.id, fullName: seed.fullName, email: seed.email, kind: seed.kind, unitID: seed.unitID,
                        jobTitle: seed.jobTitle)
                    if seed.kind == .staff { person.startedOn = today.adding(days: -(20 + index * 7919 % 5000)).date }
                    return person
                }.create(on: db)
            }
            try await signIns.map {
                Account(
                    personID: $0.personID, email: $0.email, passwordHash: passwordHash,
                    isAdministrator: $0.isAdministrator, mustChangePassword: false)
            }.create(on: db)
            try await signIns.map { RoleGrant(personID: $0.personID, unitID: $0.unitID, role: $0.role) }.create(on: db)
            try await Self.loadStrategy(on: db)
            try await DemoPortfolio.load(self, size: size, on: db)
            try await DemoUnitMeasures.load(self, size: size, on: db)
            try await Self.trackObjectives(on: db)
            try await Self.defineStandardMeasures(on: db)
            try await DemoProgrammes.load(self, size: size, on: db)
            try await DemoPlans.load(self, on: db)
            try await DemoTraining.load(self, size: size, on: db)
            try await DemoHuddles.load(self, on: db)
            try await DemoWalkRounds.load(self, on: db)
            // Every chart summarised once, as new data would do, so the summaries list them at once.
            try await MeasureSummary.refresh(try await Measure.query(on: db).all(), on: db)
            try await InstallationSetting.markDemo(signIns: Self.signIns, on: db)
        }
    }

    private static func unitName(kind: UnitKind, using random: inout SplitMix64) -> String {
        switch kind {
        case .ward: "\(wardNames.randomElement(using: &random)!) Ward"
        case .team: "\(teamKinds.randomElement(using: &random)!) (\(boroughs.randomElement(using: &random)!))"
        default: "\(serviceKinds.randomElement(using: &random)!) (\(boroughs.randomElement(using: &random)!))"
        }
    }

    /// The trust's strategy: the Triple Aim and staff experience as its objectives, each delivered
    /// through three priorities.
    static let strategy: [(objective: (String, String), priorities: [(String, String)])] = [
        (
            ("Improved population health outcomes", "Healthier lives for the communities we serve."),
            [
                ("Tackling health inequalities", "Closing the gaps in access, experience and outcomes."),
                ("Physical health in serious mental illness", "Health checks and what follows from them."),
                ("Employment and housing", "Work and a home as part of recovery."),
            ]
        ),
        (
            ("Improved experience of care", "Care that service users and carers say is right for them."),
            [
                ("Reducing violence and restrictive practice", "Safer wards for everyone on them."),
                ("Timely access to care", "Shorter waits, and fewer people lost while they wait."),
                ("Co-produced care", "Service users and carers as partners in planning care."),
            ]
        ),
        (
            ("Improved staff experience", "Joy in work, and time to improve it."),
            [
                ("Joy in work", "What matters to staff, asked and acted on."),
                ("Belonging and inclusion", "Fair chances for every member of staff."),
                ("Healthy and flexible working", "Rotas and rest that keep people well."),
            ]
        ),
        (
            ("Improved value", "The best outcomes for the money we spend."),
            [
                ("Reducing waste in care pathways", "Time and money spent only where they help."),
                ("Reducing agency staffing", "Our own staff on our own wards."),
                ("Towards net zero", "Care with a smaller carbon footprint."),
            ]
        ),
    ]

    static let strategyAim = "The best quality of life for all the communities we serve"

    /// The board's Whole System Measures (`DemoUnitMeasures.wholeSystemMeasures`) tracking each objective.
    static let objectiveMeasures: [(objective: String, measures: [String])] = [
        ("Improved population health outcomes", ["Emergency readmissions within 30 days"]),
        (
            "Improved experience of care",
            ["Serious incidents", "Service users who would recommend us", "Waiting over 18 weeks"]
        ),
        ("Improved staff experience", ["Staff who would recommend us as a place to work"]),
        ("Improved value", ["Cost per occupied bed day"]),
    ]

    /// The ward indicators every ward counts alike, made standard measures that the wards' own
    /// measures follow.
    static let standardWardIndicators = ["Falls", "Violent incidents", "Restraints"]

    private static func defineStandardMeasures(on db: any Database) async throws {
        for name in standardWardIndicators {
            let followers = try await Measure.query(on: db).filter(\.$name == name).filter(\.$project.$id == nil).all()
            guard let model = followers.first else { continue }
            let standard = StandardMeasure()
            (standard.name, standard.kind, standard.definition, standard.unitOfMeasure) =
                (name, model.kind, model.definition, model.unitOfMeasure)
            (standard.frequency, standard.chartType, standard.rules, standard.direction) =
                (model.frequency, model.chartType, model.rules, model.direction)
            (standard.target, standard.multiply) = (model.target, model.multiply)
            try await standard.create(on: db)
            try await Measure.query(on: db).filter(\.$id ~~ followers.compactMap(\.id))
                .set(\.$standard.$id, to: standard.id).set(\.$standardVersion, to: 1).update()
        }
    }

    private static func trackObjectives(on db: any Database) async throws {
        guard
            let trust = try await Unit.query(on: db).filter(\.$kind == .organisation).filter(\.$parent.$id == nil)
                .first()
        else { return }
        let boardMeasures = try await Measure.query(on: db).filter(\.$unit.$id == trust.requireID())
            .filter(\.$project.$id == nil).all()
        let objectives = try await StrategicObjective.query(on: db).all()
        for (name, measures) in objectiveMeasures {
            guard let objective = objectives.first(where: { $0.name == name }) else { continue }
            try await objective.$measures.attach(boardMeasures.filter { measures.contains($0.name) }, on: db)
        }
    }

    private static func loadStrategy(on db: any Database) async throws {
        for (objective, priorities) in strategy {
            let saved = StrategicObjective(name: objective.0, summary: objective.1)
            try await saved.create(on: db)
            try await priorities.map { Priority(name: $0.0, summary: $0.1, objectiveID: saved.id) }.create(on: db)
        }
        try await InstallationSetting(key: StrategyAim.settingKey, value: strategyAim).create(on: db)
    }

    static let directorateNames = [
        "Adult Mental Health", "Community Health Services", "Forensic Services",
        "Child and Adolescent Mental Health", "Primary Care", "Specialist and Learning Disability Services",
        "Older People’s Services", "Urgent and Emergency Care", "Rehabilitation and Recovery",
        "Perinatal and Women’s Services",
    ]
    static let wardNames = [
        "Bevan", "Brunel", "Cedar", "Clissold", "Conolly", "Ruby", "Sapphire", "Emerald", "Willow", "Rosewood",
        "Hawthorn", "Juniper", "Larch", "Maple", "Poplar", "Rowan", "Seacole", "Nightingale", "Fleming", "Garrod",
        "Thames", "Lea", "Roding", "Ingrebourne", "Beam", "Wren", "Heron", "Kingfisher", "Ash", "Elm",
        "Alder", "Birch", "Cherry", "Holly", "Hazel", "Linden", "Oak", "Pine", "Yew", "Sycamore", "Amber",
        "Coral", "Jade", "Opal", "Pearl",
    ]
    static let teamKinds = [
        "Community Mental Health Team", "Home Treatment Team", "Early Intervention in Psychosis Team",
        "District Nursing Team", "Perinatal Mental Health Team", "Crisis Resolution Team", "Memory Service Team",
        "Talking Therapies Team", "Rapid Response Team", "Diabetes Specialist Nursing Team",
    ]
    static let serviceKinds = [
        "Psychological Therapies Service", "Specialist Addictions Service", "Speech and Language Therapy Service",
        "Podiatry Service", "Health Visiting Service", "Tissue Viability Service", "Community Rehabilitation Service",
        "Eating Disorders Service", "Homeless Health Service", "Continence Service",
    ]
    static let boroughs = [
        "Riverside North", "Riverside South", "Eastmarsh", "Kingsford", "Northfield", "Westbrook", "Millbank",
    ]
    static let firstNames = [
        "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Farah", "George", "Hannah", "Ibrahim", "Jade", "Kwame", "Laura",
        "Mohammed", "Nadia", "Oliver", "Precious", "Qasim", "Rachel", "Samir", "Tariq", "Uchenna", "Vanessa", "William",
        "Xin", "Yusuf", "Zara", "Amelia", "Bilal", "Chidi", "Deborah", "Emeka", "Fatima", "Grace", "Hassan", "Isla",
        "James", "Kemi", "Liam", "Mei", "Niamh", "Oluwaseun", "Patrick", "Rosa", "Sophie", "Tom", "Yasmin",
    ]
    static let lastNames = [
        "Adeyemi", "Ahmed", "Begum", "Campbell", "Chowdhury", "Clarke", "Davies", "Evans", "Fernandes", "Green",
        "Hussain", "Islam", "Johnson", "Kaur", "Khan", "Lewis", "Mensah", "Miah", "Nowak", "O'Brien", "Okafor",
        "Patel", "Quinn", "Rahman", "Robinson", "Singh", "Smith", "Taylor", "Uddin", "Walker", "Williams", "Wright",
        "Yilmaz", "Zhang", "Murphy", "Kowalski", "Hughes", "Bello", "Costa", "Ali",
    ]
    static let jobTitles = [
        "Staff nurse", "Ward manager", "Consultant psychiatrist", "Clinical psychologist", "Occupational therapist",
        "Healthcare assistant", "Team administrator", "Peer support worker", "Social worker", "Pharmacist",
        "Physiotherapist", "Junior doctor", "Service manager", "Health visitor", "District nurse", "Dietitian",
    ]
}

/// The demo was asked for on a database that holds an organisation of its own.
package struct DemoRefused: Error, CustomStringConvertible {
    package let accounts: Int
    package let units: Int

    package var description: String {
        "This database already holds \(accounts) sign-in\(accounts == 1 ? "" : "s") and \(units) unit\(units == 1 ? "" : "s") "
            + "of its own, so the demo organisation (whose administrator's password is public) was not added. "
            + "Run without --demo, or point OpenQI at an empty database."
    }
}

extension Application {
    /// Fills an empty database with the demo organisation. Returns false, changing nothing, when
    /// the database already holds the demo; throws `DemoRefused` when it holds anything else, so
    /// the demo's well-known sign-ins never reach a real installation.
    package func loadDemoOrganisation(size: DemoSize) async throws -> Bool {
        if try await InstallationSetting.isDemo(on: db) { return false }
        let accounts = try await Account.query(on: db).count()
        let units = try await Unit.query(on: db).count()
        guard accounts == 0, units == 0 else { throw DemoRefused(accounts: accounts, units: units) }
        let hash = try await password.async.hash(DemoOrganisation.password).get()
        try await DemoOrganisation(size: size).load(size: size, on: db, passwordHash: hash)
        return true
    }
}

/// How much an organisation holds, as `openqi demo` reports it and benchmarks record it.
package struct OrganisationSize: Sendable, Equatable, CustomStringConvertible {
    package let units: Int
    package let people: Int
    package let projects: Int
    package let measures: Int
    package let dataPoints: Int
    /// Lines of training registers.
    package let attendance: Int

    package var description: String {
        let figures = [
            (units, "units"), (people, "people"), (projects, "projects"), (measures, "measures"),
            (dataPoints, "data points"), (attendance, "attendance records"),
        ]
        return figures.map { "\($0.0.formatted(.number.grouping(.automatic))) \($0.1)" }.joined(separator: ", ")
    }
}

extension Application {
    package func organisationSize() async throws -> OrganisationSize {
        OrganisationSize(
            units: try await Unit.query(on: db).count(), people: try await Person.query(on: db).count(),
            projects: try await Project.query(on: db).count(), measures: try await Measure.query(on: db).count(),
            dataPoints: try await DataPoint.count(on: db), attendance: try await AttendanceMark.query(on: db).count())
    }
}
