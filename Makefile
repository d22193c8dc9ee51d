# lutforge: `make demo` and `make test` are all a new user needs; both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_TSX := node --import tsx

.PHONY: help setup demo check test typecheck regress fuzz bench paper clean

help:
	@echo "make demo     set up, then generate, lint, synthesize and simulate the example designs"
	@echo "make check    the fast loop: type-check and the tests that need no simulator or synthesizer (under a minute)"
	@echo "make test     set up, type-check, run the whole test suite (real Verilator, Icarus, Yosys); the CI gate"
	@echo "make regress  make test plus the slow cases (large sizes)"
	@echo "make fuzz     random configs and vectors of every generator against golden [N=200 CONFIGS=20 SEED= JOBS=1 GENERATORS=]"
	@echo "make bench    benchmarks (scripts/bench-*)"
	@echo "make paper    reproduce the papers' experiments: reports/paper/ and its copy docs/paper/"
	@echo "make clean    remove generated output and caches"

setup:
	@bash scripts/setup.sh

demo: setup
	@$(NODE_TSX) scripts/demo.ts

typecheck: setup
	@npx --no-install tsc --noEmit

# The fast tier (tb/test-tiers.ts): no simulator, no synthesizer; tb/fast-tier-guard.ts fails a test that starts one.
check: setup typecheck
	@LUTFORGE_TIER=fast npx --no-install vitest run

# vitest's JSON report gives the closing `N passed, N failed` line that CI reads.
test: setup typecheck
	@mkdir -p .cache; rc=0; \
	npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-report.json || rc=$$?; \
	node scripts/test-summary.mjs .cache/test-report.json; exit $$rc

# LUTFORGE_REGRESS=1 turns on the slow cases (large sizes, long sweeps) that tests guard with it.
regress: setup
	@LUTFORGE_REGRESS=1 npx --no-install vitest run

# Differential fuzzing (scripts/fuzz.ts): N vectors over CONFIGS random configurations of every
# generator, in Verilator against golden; a failure is shrunk and printed with its replay command.
# SEED replays a run (a random one is printed first otherwise); GENERATORS=lut-llm-block,fifo
# draws only those (a decoder block case is a minute's build, the others seconds).
N ?= 200
CONFIGS ?= 20
JOBS ?= 1
fuzz: setup
	@$(NODE_TSX) scripts/fuzz.ts --vectors $(N) --configs $(CONFIGS) --jobs $(JOBS) $(if $(SEED),--seed $(SEED)) $(if $(GENERATORS),--generators $(GENERATORS))

# Every scripts/bench-*.ts, one after the other (each prints its own measured ratios).
bench: setup
	@for script in scripts/bench-*.ts; do echo "== $$script"; $(NODE_TSX) $$script || exit 1; done

# The paper-reproduction report (scripts/paper.ts): explores scripts/paper/spaces/*.json through the
# explore cache, writes reports/paper/ and refreshes the checked-in copy in docs/paper/.
paper: setup
	@$(NODE_TSX) scripts/paper.ts

clean:
	rm -rf .cache rtl-out/*/ rtl-out/*.v
