// swift-tools-version:6.1
import PackageDescription

// Release builds skip Swift's run-time exclusivity checks in the two libraries on the hot path:
// swift_beginAccess/endAccess were ~6% of the samples of `perf record` on `huiqi-bench --only host`,
// and callgrind counts 3% fewer instructions without them. Debug builds, which the tests use, keep
// them. (Unsafe flags are fine here: huiqi is an application, not a package others depend on.)
let releaseSpeed: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "huiqi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "huiqi", targets: ["huiqi"]),
        .library(name: "Huiqi", targets: ["Huiqi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // Lua 5.4 from Debian's liblua5.4-dev; shim.h wraps the C macros Swift cannot call.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The Swift bridge: one lua_State per LuaState, values, sandbox and limits.
        .target(name: "HuiqiLua", dependencies: ["CLua"], swiftSettings: releaseSpeed),
        // The domain: schema, profiles, catalog, rules, engine, decision log.
        .target(
            name: "Huiqi",
            dependencies: [
                "HuiqiLua",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLiteRawStatement binds rows through SQLite's C API for bulk inserts.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: releaseSpeed
        ),
        // The thin command-line shell.
        .executableTarget(
            name: "huiqi",
            dependencies: [
                "Huiqi",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The §8 benchmark: `swift build -c release && .build/release/huiqi-bench`.
        .executableTarget(name: "huiqi-bench", dependencies: ["Huiqi", "HuiqiLua"], path: "Benchmarks/HuiqiBench"),
        .target(name: "TestSupport", dependencies: ["Huiqi"], path: "Tests/TestSupport"),
        .testTarget(name: "HuiqiLuaTests", dependencies: ["HuiqiLua"]),
        .testTarget(name: "HuiqiTests", dependencies: ["Huiqi", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Huiqi", "TestSupport"]),
    ]
)
