// swift-tools-version: 6.1
import PackageDescription

// The benchmarks (`make bench`), in a package of their own so that the product's manifest lists
// only what users get. They use EventflowDB through its public products, as a user would.
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eventflow-db-bench", targets: ["EventflowDBBench"]),
        .executable(name: "eventflow-db-floor", targets: ["EventflowDBFloor"]),
    ],
    dependencies: [
        .package(name: "EventflowDB", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        // Each workload on the repositories, against the floor slice by slice.
        .executableTarget(
            name: "EventflowDBBench",
            dependencies: [
                .product(name: "EventflowDB", package: "EventflowDB"),
                .product(name: "EventflowDBInMemory", package: "EventflowDB"),
                .product(name: "EventflowDBMariaDB", package: "EventflowDB"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("ExistentialAny"),
            ]
        ),
        // The C floor in a process of its own, which the benchmark drives over a pipe; it is looked
        // for beside the benchmark's executable.
        .executableTarget(name: "EventflowDBFloor", dependencies: ["CEventflowBaseline"]),
        // The same prepared statements as the repositories, issued by plain C on Connector/C.
        .target(name: "CEventflowBaseline", dependencies: ["CMariaDBBench"]),
        // Connector/C for the two C targets above. The root package's CMariaDB is not a product,
        // and a module of another name keeps the two apart: no Swift file imports this one.
        .systemLibrary(
            name: "CMariaDBBench",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"]), .brew(["mariadb-connector-c"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
