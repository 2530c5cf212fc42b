import Fluent

/// Every schema change, in the order it was made. A shipped migration is never edited;
/// a change is a new migration appended here.
enum OpenQIMigrations {
    static let all: [any Migration] = [
        CreateInstallationSettings(),
        CreateUnits(),
        CreatePeople(),
        CreateRoleGrants(),
        CreateAccounts(),
        CreateAccountSessions(),
        CreateAuditEntries(),
        CreatePriorities(),
        CreateProjects(),
        CreateProjectPriorities(),
        CreateTeamMembers(),
        CreateProgressUpdates(),
        CreateForumMeetings(),
        CreateForumDecisions(),
        CreateMeasures(),
        CreateDataPoints(),
        CreateMeasureAnnotations(),
        CreatePhaseBreaks(),
        CreateDriverDiagrams(),
        CreatePDSACycles(),
        CreateStories(),
        AddProjectToAuditEntries(),
        AddPartnerOrganisationsToProjects(),
        CreateProjectComments(),
        CreateMeasureSummaries(),
        AddKeysToMeasures(),
        CreateDataUploads(),
        CreateAPITokens(),
        CreateBoardReports(),
        KeyDataPointsByMeasureAndPeriod(),
        AddRevisionsToMeasureSummaries(),
        CreateOrganisationRevision(),
        CreateLookupIndexes(),
        AddApprovedAtToProjects(),
        AddCoachingCapacityToPeople(),
        AddMeasureAimsToBoardReports(),
    ]
}
