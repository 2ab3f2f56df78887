# echo-roots: `make build` for a warehouse, `make test` for the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# One variable names the warehouse file for the loader and for profiles.yml.
export ECHO_ROOTS_DB ?= warehouse/echo_roots.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
# dbt must not phone home: the machines that run this have no general network.
export DO_NOT_TRACK := 1

.DEFAULT_GOAL := help
.PHONY: help install build publish export test lint docs bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

build: install ## load the embedded sample, run dbt build into $ECHO_ROOTS_DB, publish it
	$(BIN)/echo-roots-load sample
	$(BIN)/dbt build --target dev
	$(BIN)/echo-roots-load summary
	$(BIN)/echo-roots-load publish

publish: install ## copy the built warehouse to warehouse/published/ for analysts (read-only)
	$(BIN)/echo-roots-load publish

export: install ## write the published release for integrators into dist/ (Parquet, CSV, JSON Lines)
	$(BIN)/echo-roots-load export --out dist

lint: install ## ruff on the Python code, dbt parse on the project
	$(BIN)/ruff check loader scripts tests bench
	$(BIN)/ruff format --check loader scripts tests bench
	$(BIN)/dbt parse --target ci --quiet --warn-error

test: lint ## lint, dbt parse and pytest (pytest builds into a temporary DuckDB file)
	$(BIN)/pytest

bench: install ## loader benchmark at 1M and 4M items against a bare read_json insert -> BENCHMARKS.md
	$(BIN)/python bench/bench_loader.py --sizes 1000000 4000000 --markdown BENCHMARKS.md
	cat BENCHMARKS.md

DOCS_PORT ?= 8080
docs: install ## generate the dbt docs site from the warehouse and serve it on localhost:8080
	@test -f "$(ECHO_ROOTS_DB)" || { echo "no warehouse at $(ECHO_ROOTS_DB): run make build first" >&2; exit 2; }
	$(BIN)/dbt docs generate --target dev
	$(BIN)/dbt docs serve --target dev --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

clean: ## remove build output, the published copy and dist/ (keeps .venv)
	rm -rf target logs warehouse/*.duckdb warehouse/*.wal warehouse/published dist
