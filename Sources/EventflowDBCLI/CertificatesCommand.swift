import ArgumentParser
import EventflowDB

struct CertificatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificates",
        abstract: "Show a certificate (never its key or pass material), or revoke the expired ones.",
        subcommands: [Show.self, RevokeExpired.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show the active certificate of an id.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The certificate's id.")
        var id: String

        func run() async throws {
            let certificate = try await database.withDatabase { try await $0.certificates.readCertificate(id: id) }
            print("id:        \(certificate.id)")
            print("validity:  \(Output.time(certificate.validity))")
            let firstLine = certificate.cert.split(separator: "\n").first.map(String.init) ?? ""
            print("cert:      \(certificate.cert.utf8.count) bytes, begins \(Output.clip(firstLine, 40))")
            print("key:       \(certificate.key.count) bytes (encrypted, not shown)")
            print("pass:      \(certificate.pass.count) bytes (encrypted, not shown)")
        }
    }

    struct RevokeExpired: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-expired", abstract: "Revoke every active certificate whose validity has passed.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print("Revoking certificates past their validity…")
            let count = try await database.withDatabase {
                try await $0.certificates.revokeCertificatesPastValidityPeriod()
            }
            print("Revoked \(count) certificate\(count == 1 ? "" : "s").")
        }
    }
}
