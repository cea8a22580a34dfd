// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "EventflowDB",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventflowDB", targets: ["EventflowDB"]),
        .library(name: "EventflowDBInMemory", targets: ["EventflowDBInMemory"]),
        .library(name: "EventflowDBMariaDB", targets: ["EventflowDBMariaDB"]),
        .library(name: "EventflowDBTesting", targets: ["EventflowDBTesting"]),
        .executable(name: "eventflow-db", targets: ["EventflowDBCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.1.0"),
        // `make docs`: the DocC catalogs of every public module (a command plugin, built only when run).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        // Tests only: property-based checks of the public API's input validation.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Core: model, protocols, errors, validation, JSON value, config, Locator. No I/O.
        .target(
            name: "EventflowDB",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // In-memory fakes with the MariaDB implementation's behaviour, for users' tests.
        .target(name: "EventflowDBInMemory", dependencies: ["EventflowDB", "EventflowDBMigrations"]),
        // The contract every backend is held to, as a library users' tests can run on their own
        // backends or wrappers, with the in-memory backend and a manual clock.
        .target(
            name: "EventflowDBTesting", dependencies: ["EventflowDB", "EventflowDBInMemory", "EventflowDBMigrations"]),
        // The SQL of every migration, embedded in the binary so it is found from any directory.
        .target(
            name: "EventflowDBMigrations",
            path: "Migrations",
            resources: [
                .embedInCode("V0001__baseline.sql"),
                .embedInCode("V0002__event_insertion_order.sql"),
                .embedInCode("V0003__hub_ip_ipv6.sql"),
                .embedInCode("V0004__claim_tokens.sql"),
                .embedInCode("V0005__cpid_domain_across_versions.sql"),
                .embedInCode("V0006__ascii_identifiers.sql"),
                .embedInCode("V0007__unicode_text.sql"),
                .embedInCode("V0008__domain_position_index.sql"),
                .embedInCode("V0009__log_primary_key.sql"),
                .embedInCode("V0010__delivery_attempts.sql"),
                .embedInCode("V0011__stamp_tokens.sql"),
                .embedInCode("V0012__delivery_leases.sql"),
                .embedInCode("V0013__scheduled_lifecycle.sql"),
                .embedInCode("V0014__follow_positions.sql"),
                .embedInCode("V0015__consumer_positions.sql"),
                .embedInCode("V0016__hub_last_seen.sql"),
            ]
        ),
        // MariaDB Connector/C, as Debian's libmariadb-dev ships it.
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"]), .brew(["mariadb-connector-c"])]
        ),
        // The MariaDB driver (connections, pool, statements) and repositories.
        .target(
            name: "EventflowDBMariaDB",
            dependencies: [
                "EventflowDB",
                "EventflowDBMigrations",
                "CMariaDB",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The operators' command: migrate, inspect, archive, revoke, and a narrated demo.
        // Runnable examples against the local server (`make examples`): a spoke that publishes and a
        // hub that delivers.
        .executableTarget(
            name: "example-spoke", dependencies: ["EventflowDB", "EventflowDBMariaDB"], path: "Examples/Spoke"),
        .executableTarget(
            name: "example-hub", dependencies: ["EventflowDB", "EventflowDBMariaDB"], path: "Examples/Hub"),
        .executableTarget(
            name: "EventflowDBCLI",
            dependencies: [
                "EventflowDB",
                "EventflowDBInMemory",
                "EventflowDBMariaDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EventflowDBCLITests",
            dependencies: [
                "EventflowDBCLI", "EventflowDBTestSupport", "EventflowDBTesting", "EventflowDB", "EventflowDBMariaDB",
            ]
        ),
        .testTarget(
            name: "EventflowDBTests",
            dependencies: [
                "EventflowDB", "EventflowDBInMemory", "EventflowDBMariaDB", "EventflowDBMigrations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .testTarget(
            name: "EventflowDBContractTests",
            dependencies: [
                "EventflowDB", "EventflowDBInMemory", "EventflowDBMariaDB", "EventflowDBTestSupport",
                "EventflowDBTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "EventflowDBMariaDBTests",
            dependencies: [
                "EventflowDBMariaDB", "CMariaDB", "EventflowDBTestSupport", "EventflowDBTesting",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Every Swift block of the README, compiled (ReadmeBlocks.swift is generated from
        // README.md by scripts/readme-blocks.py; `make readme-blocks`).
        .testTarget(
            name: "EventflowDBReadmeTests",
            dependencies: [
                "EventflowDB", "EventflowDBInMemory", "EventflowDBMariaDB", "EventflowDBTesting",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // The README's examples bind results they do not use further (`let claimed = …`).
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])]
        ),
        // Needs the cluster `make cluster` starts: run by `make test-cluster`, not `make test`.
        .testTarget(
            name: "EventflowDBClusterTests",
            dependencies: ["EventflowDB", "EventflowDBMariaDB", "EventflowDBTestSupport"]
        ),
        // Test-only helpers: where the test server is, fresh databases per test.
        .target(
            name: "EventflowDBTestSupport",
            dependencies: [
                "EventflowDB", "EventflowDBInMemory", "EventflowDBMariaDB", "EventflowDBMigrations",
                "EventflowDBTesting",
            ],
            path: "Tests/EventflowDBTestSupport"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every library and executable target: imports are internal unless marked `public import`, and
// existential types are spelled `any P`. (Tests keep the SPEC's spelling of the Locator,
// `locate(EventRepository.self)`, as users without the feature write it.)
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("ExistentialAny"),
        ]
}
