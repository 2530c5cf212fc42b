import Foundation
import SnapshotTesting
import Testing

@testable import OpenQI

/// Every page drawn from its model's `.mock`, compared line by line with the HTML recorded in
/// `__Snapshots__`: a change to what a page shows is seen in review as a change to its snapshot.
/// To record a page anew, delete its file and run the tests (or set `SNAPSHOT_TESTING_RECORD=all`).
@Suite("Pages drawn from mocks")
struct PageSnapshotTests {
    /// The page's HTML, one element a line, so a snapshot's diff reads as the page's.
    static func html(_ page: Layout) -> String {
        page.render().replacingOccurrences(of: "><", with: ">\n<") + "\n"
    }

    @Test func errorPage() {
        assertSnapshot(of: Self.html(ErrorPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func signIn() { assertSnapshot(of: Self.html(SignIn.View(context: Mock.context, model: .mock)), as: .lines) }
    @Test func changePassword() {
        assertSnapshot(of: Self.html(ChangePassword.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func home() { assertSnapshot(of: Self.html(Home.View(context: Mock.context, model: .mock)), as: .lines) }
    @Test func unitIndex() {
        assertSnapshot(of: Self.html(UnitIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func unitShow() {
        assertSnapshot(of: Self.html(UnitShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func personIndex() {
        assertSnapshot(of: Self.html(PersonIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func forumIndex() {
        assertSnapshot(of: Self.html(ForumIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func auditLog() {
        assertSnapshot(of: Self.html(AuditLog.View(context: Mock.context, model: .mock)), as: .lines)
    }
}
