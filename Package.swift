// swift-tools-version: 6.1
import PackageDescription

// The layout is the architecture: SPC (pure statistics) ← Charts (SVG) ← OpenQI (web app) ← openqi (CLI).
// SPC and Charts stay free of Vapor so they build in seconds and can be benchmarked alone.
let package = Package(
    name: "OpenQI",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "openqi", targets: ["openqi"]),
        .library(name: "SPC", targets: ["SPC"]),
        .library(name: "Charts", targets: ["Charts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
    ],
    targets: [
        .target(name: "SPC"),
        .target(name: "Charts", dependencies: ["SPC"]),
        // Made-up but realistic series, for the demo, benchmarks and tests.
        .target(name: "SyntheticData", dependencies: ["SPC"]),
        .target(
            name: "OpenQI",
            dependencies: [
                "SPC",
                "Charts",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Public"), .copy("Core/App/openapi.json")]
        ),
        // The demo organisation and the benchmarks: built on the app's package-level surface, never shipped in it.
        .target(
            name: "OpenQIDemo",
            dependencies: [
                "OpenQI",
                "Charts",
                "SPC",
                "SyntheticData",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        .executableTarget(
            name: "openqi",
            dependencies: [
                "OpenQI",
                "OpenQIDemo",
                "SPC",
                "SyntheticData",
                "Charts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SPCTests",
            dependencies: ["SPC", "SyntheticData", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "SPC"], exclude: ["Snapshots"]),
        .testTarget(name: "openqiTests", dependencies: ["openqi"]),
        .testTarget(
            name: "OpenQITests",
            dependencies: [
                "OpenQI",
                "Charts",
                "OpenQIDemo",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["Pages/__Snapshots__"]
        ),
    ]
)
