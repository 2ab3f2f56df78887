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
.PHONY: help install install-spark build build-spark rebuild refresh publish export test lint docs bench quality clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

$(VENV)/.installed-spark: $(VENV)/.installed
	@command -v java >/dev/null || { echo "Spark needs Java 17 (Debian: apt install openjdk-17-jre-headless)" >&2; exit 2; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,spark]'
	touch $@

install-spark: $(VENV)/.installed-spark ## install the spark target's packages too (pyspark, 493 MB; Java 17)

build: install ## load the embedded sample, run dbt build into $ECHO_ROOTS_DB, publish it
	$(BIN)/echo-roots sample
	$(BIN)/dbt build --target dev $(DBT_BUILD_FLAGS)
	$(BIN)/echo-roots summary
	$(BIN)/echo-roots publish

build-spark: install-spark ## the embedded sample on Apache Spark (local, Java 17): every node, managed Parquet tables in warehouse/spark/
	$(BIN)/echo-roots sample
	$(BIN)/python -m loader.engines.spark_build build

rebuild: ## make build with dbt build --full-refresh: after a change to an incremental model's SQL
	$(MAKE) build DBT_BUILD_FLAGS=--full-refresh

refresh: install ## after a load: build only what the load (or a project change) reached, then publish
	$(BIN)/echo-roots refresh --target dev

publish: install ## copy the built warehouse to warehouse/published/ for analysts (read-only)
	$(BIN)/echo-roots publish

export: install ## write the published release for integrators into dist/ (Parquet, CSV, JSON Lines)
	$(BIN)/echo-roots export --out dist

# sqlfluff (.sqlfluff): models and singular tests through the dbt templater, which places every
# finding on its source line. Macros and generic tests are Jinja macros sqlfluff cannot lint in
# place (the dbt templater skips them, the jinja templater leaves a macro's body unparsed), so
# they are linted as dbt compiles them -- the models with the macros expanded, one file per use
# of a generic test -- with the rules that do not judge the whitespace templating leaves
# (nor LT08: dbt writes an ephemeral model's CTE without the blank line after it).
# Both steps open a throwaway DuckDB file, never the warehouse.
GENERIC_TESTS := $(patsubst tests/dbt/generic/%.sql,test_name:%,$(wildcard tests/dbt/generic/*.sql))
COMPILED_SQL_RULES := capitalisation,aliasing,ambiguous,structure,CV01,CV02,CV03,CV04,CV05,CV06,CV07,CV08,CV09,CV10,CV12,RF03,RF05,LT03,LT04,LT06,LT07,LT10,LT11

lint: install ## ruff on the Python code, dbt parse, sqlfluff on the SQL
	$(BIN)/ruff check loader scripts tests bench
	$(BIN)/ruff format --check loader scripts tests bench
	$(BIN)/dbt parse --target ci --quiet --warn-error
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && export ECHO_ROOTS_DB="$$tmp/lint.duckdb" && \
	$(BIN)/sqlfluff lint models macros tests/dbt --processes 2 && \
	$(BIN)/dbt compile --target ci --quiet --target-path "$$tmp/target" --indirect-selection empty \
		--select resource_type:model $(GENERIC_TESTS) && \
	$(BIN)/sqlfluff lint "$$tmp/target/compiled" --config .sqlfluff --templater raw --processes 2 \
		--rules $(COMPILED_SQL_RULES)

test: lint install-spark ## lint (ruff, dbt parse, sqlfluff) and pytest (pytest builds into a temporary DuckDB file)
	$(BIN)/pytest

bench: install ## loader (items 1M, 4M; short listings, extraction results 1M), dbt build (100k, 1M items, then +1%), Shopify's taxonomy beside the sample pack, make refresh after +1% at 1M and 4M items -> BENCHMARKS.md
	$(BIN)/python bench/bench_loader.py --sizes 1000000 4000000 --markdown BENCHMARKS.md
	$(BIN)/python bench/bench_transform.py --sizes 100000 1000000 --markdown BENCHMARKS.md
	$(BIN)/python bench/bench_taxonomy.py --markdown BENCHMARKS.md
	$(BIN)/python bench/bench_refresh.py --sizes 1000000 4000000 --markdown BENCHMARKS.md
	cat BENCHMARKS.md

quality: install ## canonical values against the WDC-PAVE dev gold (../shared/datasets) -> BENCHMARKS.md
	$(BIN)/python bench/quality.py --vars '{domain: retail}' --markdown BENCHMARKS.md

DOCS_PORT ?= 8080
docs: install ## generate the dbt docs site from the warehouse and serve it on localhost:8080
	@test -f "$(ECHO_ROOTS_DB)" || { echo "no warehouse at $(ECHO_ROOTS_DB): run make build first" >&2; exit 2; }
	$(BIN)/dbt docs generate --target dev
	$(BIN)/dbt docs serve --target dev --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

clean: ## remove build output, the published copy and dist/ (keeps .venv)
	rm -rf target logs warehouse/*.duckdb warehouse/*.wal warehouse/*.refresh warehouse/published dist
