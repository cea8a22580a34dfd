import Foundation
import Testing

/// Every Swift block of the README is compiled: `scripts/readme-blocks.py` copies each into
/// `ReadmeBlocks.swift` (as a method of ``ReadmeContext``, or as a file of its own), which this
/// target compiles. This test fails when the README changed and that file was not written anew.
@Suite("README blocks")
struct ReadmeBlocksTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The README's Swift blocks that are compiled: their lines (imports left out) and how far
    /// the generator indents them.
    static func compiledBlocks() throws -> [(line: Int, lines: [String], indent: String)] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
            .components(separatedBy: "\n")
        var blocks: [(Int, [String], String)] = []
        var index = 0
        while index < readme.count {
            defer { index += 1 }
            guard readme[index].trimmingCharacters(in: .whitespaces) == "```swift" else { continue }
            let directive = index > 0 ? readme[index - 1] : ""
            let end = try #require(
                readme[(index + 1)...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "```" })
            defer { index = end }
            if directive.hasPrefix("<!-- readme-test: skip") { continue }
            let indent = directive.hasPrefix("<!-- readme-test: top-level") ? "" : "        "
            let lines = readme[(index + 1)..<end].filter { !$0.hasPrefix("import ") }
            blocks.append((index + 2, Array(lines), indent))
        }
        return blocks
    }

    @Test("every Swift block of the README is in the compiled file, as the README has it")
    func blocksAreCompiled() throws {
        let generated = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/EventflowDBReadmeTests/ReadmeBlocks.swift"),
            encoding: .utf8)
        let blocks = try Self.compiledBlocks()
        #expect(blocks.count >= 8)
        for block in blocks {
            let text = block.lines.map { $0.isEmpty ? "" : block.indent + $0 }.joined(separator: "\n")
            let isCompiled = generated.contains(text)
            #expect(
                isCompiled,
                "README.md's block at line \(block.line) is not compiled as written: run `make readme-blocks`")
        }
    }
}
