# The two entry points of the README: `make demo` and `make test`.
# Both install everything they need from the lock file (uv.lock) into .venv.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif

.PHONY: demo test web bench setup

setup:
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check 'uv>=0.5'
	@$(UV) sync --frozen --quiet

demo: setup
	@$(UV) run --frozen brobygger expect
	@$(UV) run --frozen brobygger simulate --draws 1000 --seed 1

web: setup
	@DEBUG=1 $(UV) run --frozen python -m brobygger.web servedemo

test: setup
	@$(UV) run --frozen ruff check src tests bench
	@$(UV) run --frozen mypy
	@$(UV) run --frozen pytest -q

bench: setup
	@$(UV) run --frozen python bench/run_all.py
