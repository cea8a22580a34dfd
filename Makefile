# Every set-up step of EventflowDB. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DB := scripts/db.sh
# The EVENTFLOW_MYSQL_* variables that reach the project's own MariaDB server.
DB_ENV = eval "$$($(DB) env)"
SWIFT_TEST_FLAGS ?=

CLUSTER := scripts/cluster.sh
CLUSTER_ENV = eval "$$($(CLUSTER) env)"

.PHONY: help deps db db-stop db-status cluster cluster-stop cluster-status build test test-tsan test-cluster run examples bench docs readme-blocks format lint clean

help:
	@echo "make run      install what is missing, start MariaDB, migrate, run the demo"
	@echo "make test     install what is missing, start MariaDB, run the whole test suite"
	@echo "make test-tsan  the whole suite under ThreadSanitizer; fails on any report"
	@echo "make test-cluster  start the Galera cluster, run the contract and cluster tests on it"
	@echo "make bench    run the benchmarks (release build) against the local MariaDB"
	@echo "make db       start the project's MariaDB server (.db/, port 33061)"
	@echo "make db-stop  stop it"
	@echo "make cluster  start a 3-node Galera cluster of the project's own (.cluster/, ports 23071-23073)"
	@echo "make cluster-stop  stop it"
	@echo "make build    build everything (debug)"
	@echo "make docs     build the DocC documentation of every public module (.build/docs/), warnings as errors"

deps:
	@$(DB) deps

db:
	@$(DB) start

db-stop:
	@$(DB) stop

db-status:
	@$(DB) status

cluster:
	@$(CLUSTER) start

cluster-stop:
	@$(CLUSTER) stop

cluster-status:
	@$(CLUSTER) status

build: deps
	swift build

# The lock-loss tests run on their own after the rest: beside the whole parallel suite, the kill
# of a lock's session was not always noticed within the test's 30 s (an open question, written
# down in the issue notes), so they would fail for the load, not for the code under test.
test: db
	$(DB_ENV) && swift test --disable-xctest --skip EventflowDBClusterTests --skip LockConnectionTests $(SWIFT_TEST_FLAGS)
	$(DB_ENV) && swift test --disable-xctest --filter LockConnectionTests $(SWIFT_TEST_FLAGS)

# The contract suite against the 3-node cluster (each repository's connections spread over the
# nodes), then the cluster's own tests: claim races across nodes, the lock, migrations from
# three nodes, and a node killed under load.
test-cluster: cluster
	$(CLUSTER_ENV) && swift test --disable-xctest --filter EventflowDBClusterTests
	$(CLUSTER_ENV) && swift test --disable-xctest --filter EventflowDBContractTests

test-tsan: db
	$(DB_ENV) && scripts/test-tsan.sh

run: db
	swift build --product eventflow-db
	$(DB_ENV) && .build/debug/eventflow-db migrate && .build/debug/eventflow-db demo

# The runnable examples against the local server: a spoke publishes 10 events, a hub delivers them.
examples: db
	swift build --product example-spoke --product example-hub
	$(DB_ENV) && .build/debug/example-spoke 10 && .build/debug/example-hub example-hub 10

# The benchmarks are a package of their own (Benchmarks/Package.swift); the bench finds the floor
# beside itself, in Benchmarks/.build/release/.
BENCH_BIN := Benchmarks/.build/release
bench: db cluster
	swift build -c release --package-path Benchmarks --product eventflow-db-bench
	swift build -c release --package-path Benchmarks --product eventflow-db-floor
	$(DB_ENV) && EVENTFLOW_BENCH_CLUSTER_HOSTS="$$($(CLUSTER) env | sed -n 's/^export EVENTFLOW_MYSQL_HOSTS=//p')" \
	  $(BENCH_BIN)/eventflow-db-bench $(BENCH_FLAGS)
	$(DB_ENV) && $(BENCH_BIN)/eventflow-db-bench --only W6

# The DocC catalogs of the public modules, built together (so they link to each other, as
# ``/EventflowDB/Event``) into .build/docs/; any DocC warning (a broken symbol link, an
# undocumented parameter) fails the target.
DOC_MODULES := EventflowDB EventflowDBMariaDB EventflowDBInMemory EventflowDBTesting
docs: deps
	@mkdir -p .build/docs
	swift package --allow-writing-to-directory .build/docs generate-documentation \
	  $(addprefix --target ,$(DOC_MODULES)) --enable-experimental-combined-documentation \
	  --warnings-as-errors --output-path .build/docs/EventflowDB.doccarchive

# Every Swift block of the README as code the tests compile (Tests/EventflowDBReadmeTests).
readme-blocks:
	scripts/readme-blocks.py

format:
	swift format --in-place --recursive --parallel Sources Tests Examples Package.swift Migrations/*.swift Benchmarks/Sources Benchmarks/Package.swift

lint:
	swift format lint --recursive --parallel Sources Tests Examples Package.swift Migrations/*.swift Benchmarks/Sources Benchmarks/Package.swift

clean:
	rm -rf .build .build-tsan Benchmarks/.build
