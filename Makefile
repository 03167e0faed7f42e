# The two commands of the README: `make run` and `make test` (import rules, ruff, mypy as setup.cfg sets it, pytest
# in two processes, a file each at a time: pytest-xdist).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SLRS_DATA_DIR ?= ./var

.PHONY: run test install clean bench bench-reports

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/slrs init
	$(BIN)/slrs credentials create --key demo --secret demo-secret --scope all --exist-ok
	$(BIN)/slrs credentials create --key police-board --secret police-board-secret --scope reports/read \
		--scope records/read --agency police --exist-ok
	$(BIN)/slrs demo
	@echo ""
	@echo "  board pages:    http://127.0.0.1:8080/board/  (sign in as demo / demo-secret: every agency;"
	@echo "                  or police-board / police-board-secret: the Constabulary's own report)"
	@echo "  records API:    http://127.0.0.1:8080/api/v1/docs"
	@echo "  xAPI endpoint:  http://127.0.0.1:8080/xapi"
	@echo "  credentials:    key 'demo', secret 'demo-secret' (HTTP Basic, scope 'all')"
	@echo "  try:            curl -u demo:demo-secret -H 'X-Experience-API-Version: 1.0.3' http://127.0.0.1:8080/xapi/statements"
	@echo "  runs:           the server and every follower, under one supervisor (slrs run; Ctrl-C stops all)"
	@echo ""
	$(BIN)/slrs run --host 127.0.0.1 --port 8080

test: install
	$(BIN)/lint-imports
	$(BIN)/ruff check --quiet --select F,E9 lrs domain projections plugins api kernel bench tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

clean:
	rm -rf $(VENV) var

# The standard benchmark set on SQLite and PostgreSQL (needs the POSTGRES_* server and a
# slrs_bench database, as .ci/run creates for tests); writes bench/results.md. Not part of CI.
bench: install
	$(BIN)/python -m bench.standard $(BENCH_ARGS)
	$(BIN)/python -m bench.reports $(REPORTS_BENCH_ARGS)

# The reports on 100,000 workers and about 1,000,000 domain events (about 10 minutes on SQLite;
# REPORTS_BENCH_ARGS="--engines sqlite,postgres" for both); its section of bench/results.md.
bench-reports: install
	$(BIN)/python -m bench.reports $(REPORTS_BENCH_ARGS)
