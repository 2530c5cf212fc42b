import Charts
import Fluent
import Foundation
import OpenQI
import SPC
import SyntheticData

/// The measures units own in the demo: six weekly safety and staffing indicators on every ward
/// (some wards drifting the wrong way lately, as an early-warning view should catch) and the
/// board's monthly Whole System Measures at the top of the trust.
enum DemoUnitMeasures {
    struct Indicator {
        let name: String
        let unitOfMeasure: String
        let baseline: Double
        let spread: Double
        let direction: ImprovementDirection
        let target: Double?
        let definition: String
        /// Counted against occupied bed days and charted per 1,000 (a u chart), so wards of
        /// different sizes can be compared on a funnel plot.
        var perThousandBedDays = false
    }

    static let wardIndicators = [
        Indicator(
            name: "Falls", unitOfMeasure: "per 1,000 occupied bed days", baseline: 3, spread: 1.2, direction: .down,
            target: nil,
            definition: "Falls recorded on the incident system, Monday to Sunday, per 1,000 occupied bed days.",
            perThousandBedDays: true),
        Indicator(
            name: "Violent incidents", unitOfMeasure: "per 1,000 occupied bed days", baseline: 4, spread: 1.5,
            direction: .down, target: nil,
            definition:
                "Physical violence towards people, recorded on the incident system, per 1,000 occupied bed days.",
            perThousandBedDays: true),
        Indicator(
            name: "Restraints", unitOfMeasure: "restraints a week", baseline: 2.5, spread: 1.1, direction: .down,
            target: nil, definition: "Every use of physical restraint, however brief."),
        Indicator(
            name: "Medication errors", unitOfMeasure: "errors a week", baseline: 1.5, spread: 0.9, direction: .down,
            target: nil,
            definition: "Errors in prescribing, dispensing or giving medicines, reaching the patient or not."),
        Indicator(
            name: "Staff sickness", unitOfMeasure: "% of hours", baseline: 4.5, spread: 0.7, direction: .down,
            target: 4, definition: "Hours lost to sickness as a share of contracted hours."),
        Indicator(
            name: "Shifts filled as planned", unitOfMeasure: "% of shifts", baseline: 92, spread: 2.5,
            direction: .up, target: 95, definition: "Shifts staffed to the planned numbers and skill mix."),
        Indicator(
            name: "Self-harm incidents", unitOfMeasure: "per 1,000 occupied bed days", baseline: 2, spread: 1,
            direction: .down, target: nil,
            definition: "Acts of self-harm recorded on the incident system, per 1,000 occupied bed days.",
            perThousandBedDays: true),
        Indicator(
            name: "Patients who feel safe", unitOfMeasure: "% of responses", baseline: 78, spread: 4, direction: .up,
            target: 85, definition: "Patients answering yes to “Do you feel safe on the ward?” in the weekly survey."),
    ]

    static let wholeSystemMeasures = [
        Indicator(
            name: "Emergency readmissions within 30 days", unitOfMeasure: "% of discharges", baseline: 9, spread: 0.8,
            direction: .down, target: 8, definition: "Readmissions to any inpatient unit within 30 days of discharge."),
        Indicator(
            name: "Serious incidents", unitOfMeasure: "a month", baseline: 6, spread: 2, direction: .down, target: nil,
            definition: "Incidents declared serious under the national framework."),
        Indicator(
            name: "Service users who would recommend us", unitOfMeasure: "% of responses", baseline: 84,
            spread: 2, direction: .up, target: 90, definition: "Friends and Family Test: likely or extremely likely."),
        Indicator(
            name: "Waiting over 18 weeks", unitOfMeasure: "people", baseline: 420, spread: 35, direction: .down,
            target: 300, definition: "People waiting more than 18 weeks for a first appointment, at month end."),
        Indicator(
            name: "Staff who would recommend us as a place to work", unitOfMeasure: "% of responses", baseline: 61,
            spread: 2.5, direction: .up, target: 70, definition: "Staff Friends and Family Test."),
        Indicator(
            name: "Cost per occupied bed day", unitOfMeasure: "£", baseline: 512, spread: 14, direction: .down,
            target: nil, definition: "Inpatient costs divided by occupied bed days."),
    ]

    static func load(_ organisation: DemoOrganisation, size: DemoSize, on db: any Database, now: Date = AppClock.now)
        async throws
    {
        var random = SplitMix64(seed: 7)
        let day: TimeInterval = 24 * 3600
        let calendar = Calendar(identifier: .gregorian)
        let thisMonday = calendar.startOfDay(
            for: now.addingTimeInterval(-Double((calendar.component(.weekday, from: now) + 5) % 7) * day))
        var measures: [Measure] = []
        var points: [DataPoint] = []
        func noise() -> Double {
            var sum = -6.0
            for _ in 0..<12 { sum += Double(random.next() >> 11) * 0x1p-53 }
            return sum
        }
        // Keys as a trust's warehouse might name them: directorate.ward.indicator, made unique.
        let unitsByID = Dictionary(organisation.units.map { ($0.id, $0) }) { first, _ in first }
        var usedKeys: Set<String> = []
        func slug(_ text: String) -> String {
            text.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
        }
        func key(_ indicator: Indicator, unit: UUID) -> String {
            let ward = unitsByID[unit]
            let parent = ward?.parentID.flatMap { unitsByID[$0] }
            let base = ([parent?.name, ward?.name].compactMap { $0 }.map(slug) + [slug(indicator.name)])
                .joined(separator: ".")
            var key = base
            var number = 2
            while !usedKeys.insert(key).inserted {
                key = "\(base)-\(number)"
                number += 1
            }
            return key
        }
        func measure(_ indicator: Indicator, unit: UUID, frequency: DataFrequency) -> Measure {
            let measure = Measure()
            measure.id = UUID()
            measure.key = key(indicator, unit: unit)
            measure.$unit.id = unit
            measure.name = indicator.name
            measure.kind = .outcome
            measure.definition = indicator.definition
            measure.unitOfMeasure = indicator.unitOfMeasure
            measure.frequency = frequency
            measure.chartType = (indicator.perThousandBedDays ? ChartType.u : ChartType.i).rawValue
            measure.rules = RuleSet.mdc.rawValue
            measure.direction = indicator.direction.rawValue
            measure.target = indicator.target
            measure.multiply = indicator.perThousandBedDays ? 1000 : 1
            return measure
        }
        // One ward in five has drifted the wrong way on several indicators in the last eight weeks.
        let weeks = size.wardWeeks
        for (index, ward) in organisation.units.filter({ $0.kind == .ward }).enumerated() {
            let troubled = index % 5 == 1
            let beds = 12 + Int(random.next() % 13)
            for (number, indicator) in wardIndicators.enumerated() {
                let measure = measure(indicator, unit: ward.id, frequency: .weekly)
                measures.append(measure)
                let worse = troubled && number % 2 == 0
                for week in 0..<weeks {
                    let drift =
                        worse && week >= weeks - 8
                        ? (indicator.direction == .down ? 1 : -1) * indicator.spread * 2.5 : 0
                    let value = max(0, indicator.baseline + drift + noise() * indicator.spread)
                    let bedDays = (Double(beds * 7) * (0.85 + 0.15 * Double(random.next() >> 11) * 0x1p-53)).rounded()
                    points.append(
                        DataPoint(
                            measureID: measure.id!,
                            period: thisMonday.addingTimeInterval(Double(week - weeks) * 7 * day),
                            value: indicator.unitOfMeasure.hasPrefix("%")
                                ? (value * 10).rounded() / 10 : value.rounded(),
                            denominator: indicator.perThousandBedDays ? bedDays : nil, note: nil))
                }
            }
        }
        // The board's Whole System Measures: three years of months, most improving in the last year.
        if let trust = organisation.units.first(where: { $0.parentID == nil && $0.kind == .organisation }) {
            let firstOfMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
            for (number, indicator) in wholeSystemMeasures.enumerated() {
                let measure = measure(indicator, unit: trust.id, frequency: .monthly)
                measure.tripleAim = boardAims[number]
                measures.append(measure)
                for month in 0..<36 {
                    let better =
                        number != 1 && month >= 24
                        ? (indicator.direction == .down ? -1 : 1) * indicator.spread * 1.8 : 0
                    let value = indicator.baseline + better + noise() * indicator.spread
                    points.append(
                        DataPoint(
                            measureID: measure.id!,
                            period: calendar.date(byAdding: .month, value: month - 36, to: firstOfMonth)!,
                            value: (value * 10).rounded() / 10, denominator: nil, note: nil))
                }
            }
        }
        for batch in measures.chunked(into: 500) { try await Array(batch).create(on: db) }
        try await DataPoint.upsert(points, on: db)
        if let trust = organisation.units.first(where: { $0.parentID == nil && $0.kind == .organisation }) {
            try await boardReport(
                unitID: trust.id, measures: measures.filter { $0.$unit.id == trust.id }, now: now, on: db)
        }
    }

    /// What an analyst writes under a Whole System Measure: what the chart shows, in Making Data
    /// Count's words, its latest point, and what the committee makes of it, so each reads differently.
    static func narrative(_ measure: Measure, _ series: MeasureSeries, month: CalendarMonth, firstReport: Bool)
        -> String
    {
        let result = series.result
        guard let latest = zip(series.periods, result.points).reversed().first(where: { $0.1.y != nil }) else {
            return "No data yet for \(month.label)."
        }
        var text =
            "Latest figure, for \(CalendarMonth(containing: latest.0.period).label): \(Describe.plain(latest.1.y!))"
            + (measure.unitOfMeasure.map { " (\($0))" } ?? "") + ". \(Describe.variation(result.variation))"
        if let assurance = result.assurance { text += " " + Describe.assurance(assurance) }
        text += "\n\n"
        switch result.variation {
        case .improvementHigh, .improvementLow:
            text +=
                firstReport
                ? "The committee asked what explains the shift. "
                : "The shift has held; we will recalculate the limits once the new level has lasted a year. "
        case .concernHigh, .concernLow:
            text += "A signal of concern: the committee has asked the directorate leads for a deep dive. "
        case .neutralHigh, .neutralLow:
            text += "An unusual run of points, neither better nor worse; we are checking how the data are collected. "
        case .commonCause:
            text +=
                result.assurance == nil
                ? "No change: only a change to the system will move this measure. "
                : "No change: the target will be met only by changing the system. "
        }
        text += boardContext[measure.name] ?? ""
        return text
    }

    /// What the quality committee knows about each Whole System Measure, beyond its chart.
    static let boardContext = [
        "Emergency readmissions within 30 days":
            "Discharge planning with families, spread from two wards last year, is the likeliest cause.",
        "Serious incidents":
            "The patient safety programme’s work on restrictive practice has not yet shown here; we expect it to take two more quarters.",
        "Service users who would recommend us":
            "This month’s comments were mostly about noise at night; two wards are testing protected quiet hours.",
        "Waiting over 18 weeks":
            "The single point of access began triaging by telephone in the spring, and the list has shortened since.",
        "Staff who would recommend us as a place to work":
            "The survey’s comments point to rota changes at short notice; the workforce team takes this to the people committee.",
        "Cost per occupied bed day":
            "Agency spend fell with the bank staff programme, but the cost of a bed day has not yet moved with it.",
    ]

    /// Where the board report shows each Whole System Measure, in the order of `wholeSystemMeasures`.
    static let boardAims: [TripleAim] = [
        .populationHealth, .experienceAndQuality, .experienceAndQuality, .populationHealth, .value, .value,
    ]

    /// This month's board report, written as a trust's analyst would, and last month's before it.
    static func boardReport(unitID: UUID, measures: [Measure], now: Date, on db: any Database) async throws {
        let month = CalendarMonth(containing: now)
        let aims = BoardReport.stored(BoardReport.measureAims(nil, unitMeasures: measures))
        let lastMonth = BoardReport(unitID: unitID, month: month.advanced(by: -1).start)
        lastMonth.measureAims = aims
        let report = BoardReport(unitID: unitID, month: month.start)
        report.measureAims = aims
        for measure in measures {
            guard let id = measure.id else { continue }
            let series = try await MeasureSeries.load(measure, on: db)
            for (written, ending) in [(lastMonth, month.advanced(by: -1)), (report, month)] {
                written.narratives[id.uuidString] = narrative(
                    measure, series.before(ending.end), month: ending, firstReport: written === lastMonth)
            }
        }
        try await lastMonth.create(on: db)
        report.patientStoryTitle = "“They asked what mattered to me”"
        report.patientStory = """
            When I came onto the ward I had been in hospital three times that year. This time a nurse sat down with me on the first day and asked what mattered to me, and wrote it on the board by my bed.

            The thing that mattered was my dog, and who was looking after her. That sounds small. It was the reason I kept asking to go home. Once the team knew, they called my neighbour, and I could stop worrying and start working with them.

            I have been well at home for seven months now. I am part of the ward’s QI project team, helping other people say what matters to them.
            """
        report.$improvementStory.id = try await Story.query(on: db).filter(\.$isPublishable == true).first()?.id
        try await report.create(on: db)
    }
}
