# `make demo` and `make test` each build .venv on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test compat bench lint clean

$(STAMP): pyproject.toml setup.py mechestim/_accel.c
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test,rich]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m pytest examples -p no:cacheprovider --flop-budget-json=.flop-report.json --flop-budget-html=.flop-report.html
	@echo
	@$(PY) -c "import json; r = json.load(open('.flop-report.json')); print(json.dumps({k: r[k] for k in ('cost_model', 'totals', 'namespaces')}, indent=2))"
	@echo "Full JSON report (every test, per-op totals): .flop-report.json"
	@echo "HTML report (charts, sortable table, per-op detail; open it in a browser): $(CURDIR)/.flop-report.html"

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 -q

# The suite on the oldest NumPy (2.0.0, Python 3.10) and the newest (Python 3.13), each in a
# venv under .compat/ that later runs reuse: see tools/compat.sh.
compat:
	bash tools/compat.sh

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .compat .flop-report.json .flop-report.html build *.egg-info mechestim/_accel*.so mechestim/_accel*.pyd
