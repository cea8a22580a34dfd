/// Every migration of `Migrations/`, in order. A test checks that this list and the folder agree.
public enum MigrationFiles {
    public static let all: [MigrationFile] = [
        MigrationFile(version: 1, name: "baseline", bytes: PackageResources.V0001__baseline_sql),
        MigrationFile(
            version: 2, name: "event_insertion_order", bytes: PackageResources.V0002__event_insertion_order_sql),
        MigrationFile(version: 3, name: "hub_ip_ipv6", bytes: PackageResources.V0003__hub_ip_ipv6_sql),
        MigrationFile(version: 4, name: "claim_tokens", bytes: PackageResources.V0004__claim_tokens_sql),
        MigrationFile(
            version: 5, name: "cpid_domain_across_versions",
            bytes: PackageResources.V0005__cpid_domain_across_versions_sql),
        MigrationFile(version: 6, name: "ascii_identifiers", bytes: PackageResources.V0006__ascii_identifiers_sql),
        MigrationFile(version: 7, name: "unicode_text", bytes: PackageResources.V0007__unicode_text_sql),
        MigrationFile(
            version: 8, name: "domain_position_index", bytes: PackageResources.V0008__domain_position_index_sql),
        MigrationFile(version: 9, name: "log_primary_key", bytes: PackageResources.V0009__log_primary_key_sql),
        MigrationFile(
            version: 10, name: "delivery_attempts", bytes: PackageResources.V0010__delivery_attempts_sql),
        MigrationFile(version: 11, name: "stamp_tokens", bytes: PackageResources.V0011__stamp_tokens_sql),
        MigrationFile(version: 12, name: "delivery_leases", bytes: PackageResources.V0012__delivery_leases_sql),
        MigrationFile(
            version: 13, name: "scheduled_lifecycle", bytes: PackageResources.V0013__scheduled_lifecycle_sql),
        MigrationFile(version: 14, name: "follow_positions", bytes: PackageResources.V0014__follow_positions_sql),
        MigrationFile(version: 15, name: "consumer_positions", bytes: PackageResources.V0015__consumer_positions_sql),
        MigrationFile(version: 16, name: "hub_last_seen", bytes: PackageResources.V0016__hub_last_seen_sql),
    ]
}
