import ArgumentParser
import Foundation
import SPC
import Testing

@testable import openqi

@Suite("openqi spc")
struct SPCCommandTests {
    func command(_ arguments: [String]) throws -> SPCCommand {
        try #require(try OpenQICommand.parseAsRoot(["spc"] + arguments + ["input.csv"]) as? SPCCommand)
    }

    func json(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("prints the SPC.md document: options, points with lines and signals, phases and icons")
    func document() throws {
        let csv = "note,y,x\n,1,a\n,3,b\n,2,c\nstarted,4,d\n"
        let output = try command(["--chart", "i", "--rules", "mdc", "--direction", "up", "--target", "2"]).render(csv)
        #expect(output.json.count == 1)
        #expect(output.svg == nil)
        let document = try json(output.json[0])
        #expect(document["chart"] as? String == "i")
        #expect(document["rules"] as? String == "mdc")
        #expect(document["direction"] as? String == "up")
        #expect(document["target"] as? Double == 2)
        let points = try #require(document["points"] as? [[String: Any]])
        #expect(points.map { $0["x"] as? String } == ["a", "b", "c", "d"])
        // mdc: mean 2.5, mean moving range 5/3, limits 2.5 ± 2.66·5/3.
        let ucl = try #require(points[0]["ucl"] as? Double)
        #expect(abs(ucl - (2.5 + 2.66 * 5 / 3)) < 1e-12)
        #expect(points[3]["note"] as? String == "started")
        #expect(points[0]["n"] is NSNull, "missing values are explicit nulls")
        for key in ["cl", "lcl", "lcl2", "ucl2", "signals", "class", "phase", "excluded"] {
            #expect(points[0][key] != nil, "\(key)")
        }
        let phases = try #require(document["phases"] as? [[String: Any]])
        #expect(phases.first?["trial"] as? Bool == true)
        #expect(document["variation"] as? String == "common_cause")
        #expect(document["assurance"] as? String == "hit_and_miss")
    }

    @Test("--by series prints one line per series, in input order")
    func bySeries() throws {
        let csv = "series,x,y\nward-7,1,3\nward-7,2,4\nward-7,3,5\nward-2,1,9\nward-2,2,9\n"
        let lines = try command(["--by", "series", "--chart", "c"]).render(csv).json
        #expect(lines.count == 2)
        #expect(try json(lines[0])["series"] as? String == "ward-7")
        #expect(try json(lines[1])["series"] as? String == "ward-2")
        #expect(try json(lines[0])["points"] as? Int == 3)
        #expect(try json(lines[1])["counts"] is [String: Any])
    }

    @Test("bad input names the row, the column and the reason")
    func badInput() throws {
        #expect(throws: SPCInputError.self) { try command(["--chart", "p"]).render("x,y,n\n1,3,10\n2,abc,10\n") }
        do {
            _ = try command(["--chart", "p"]).render("x,y,n\n1,3,10\n2,4,-5\n")
            Issue.record("a negative denominator should be refused")
        } catch let error as SPCInputError {
            #expect(error.message.contains("Row 3"))
            #expect(error.message.contains("n"))
        }
        #expect(throws: (any Error).self) { try OpenQICommand.parseAsRoot(["spc", "--chart", "zz", "a.csv"]) }
    }

    @Test("--svg draws the chart, with the CSV's notes as flags")
    func svg() throws {
        let output = try command(["--chart", "run", "--svg", "out.svg", "--title", "Falls"]).render(
            "x,y,note\n1,4,\n2,5,PDSA 1\n3,6,\n")
        let drawing = try #require(output.svg)
        #expect(drawing.contains("<title id=\"chart-title\">Falls</title>"))
        #expect(drawing.contains("PDSA 1"))
    }
}
