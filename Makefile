# Two commands on a fresh machine: `make demo` (install + run the demo) and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch==2.13.0 is pinned in pyproject: pip takes the CPU build on this machine's disk.
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: install
	$(BIN)/storyline demo

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q

bench: install
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache storyline.db* storyline-demo.html
