import Foundation
import Testing

/// The floors of docs/architecture.md, checked on the source: a rule broken by a new file fails
/// here rather than in a reviewer's memory.
@Suite struct ArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file below a folder, with its path relative to that folder.
    static func swiftFiles(in folder: URL) throws -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var files: [(String, String)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.path.dropFirst(folder.path.count + 1))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static func words(in text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }

    /// The names of the types a file declares at the top level (nested ones are reached through these).
    static func declaredTypes(in text: String) -> Set<String> {
        let pattern =
            /(?m)^(?:(?:package|public|internal|fileprivate|private|final)\s+)*(?:struct|enum|class|actor|protocol|typealias)\s+([A-Z][A-Za-z0-9]*)/
        return Set(text.matches(of: pattern).map { String($0.output.1) })
    }

    /// The code of a file without its comments and string literals, which may name anything.
    static func code(of text: String) -> String {
        text.replacing(/\/\/[^\n]*/, with: "").replacing(/"(?:[^"\\\n]|\\.)*"/, with: "\"\"")
    }

    /// The composition root: the files that put the capabilities together, and so name them
    /// (the configuration gathers each capability's settings, such as single sign-on's).
    static let compositionRoot: Set<String> = [
        "Core/App/configure.swift", "Core/App/routes.swift", "Core/App/Migrations.swift",
        "Core/App/OpenQIConfiguration.swift",
    ]

    @Test func coreNamesNoTypeOfACapability() throws {
        let app = Self.sources.appendingPathComponent("OpenQI")
        let files = try Self.swiftFiles(in: app)
        #expect(files.count > 100, "the sources were not found at \(app.path)")
        let capabilityTypes = files.filter { !$0.path.hasPrefix("Core/") }
            .reduce(into: Set<String>()) { $0.formUnion(Self.declaredTypes(in: $1.text)) }
            .subtracting(
                files.filter { $0.path.hasPrefix("Core/") }
                    .reduce(into: Set<String>()) { $0.formUnion(Self.declaredTypes(in: $1.text)) })
        #expect(capabilityTypes.contains("Viewer") && capabilityTypes.contains("Project"))
        for file in files where file.path.hasPrefix("Core/") && !Self.compositionRoot.contains(file.path) {
            let reached = Self.words(in: Self.code(of: file.text)).intersection(capabilityTypes)
            #expect(reached.isEmpty, "\(file.path) names \(reached.sorted()), which a capability declares")
        }
    }

    @Test func lowerFloorsImportNothingAbove() throws {
        let allowed: [String: Set<String>] = [
            "SPC": ["Foundation"],
            "Charts": ["Foundation", "SPC"],
        ]
        for (target, imports) in allowed {
            for file in try Self.swiftFiles(in: Self.sources.appendingPathComponent(target)) {
                let used = Set(file.text.matches(of: /(?m)^\s*(?:@\w+\s+)?import\s+(\w+)/).map { String($0.output.1) })
                #expect(
                    used.isSubset(of: imports), "\(target)/\(file.path) imports \(used.subtracting(imports).sorted())")
            }
        }
    }

    @Test func onlyTheClockReadsTheTime() throws {
        for target in ["OpenQI", "OpenQIDemo", "Charts", "SPC"] {
            for file in try Self.swiftFiles(in: Self.sources.appendingPathComponent(target))
            where file.path != "Core/Calendar/AppClock.swift" {
                #expect(!file.text.contains("Date()"), "\(target)/\(file.path) reads the time without AppClock")
            }
        }
    }
}
