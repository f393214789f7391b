# The two entry points of the README: `make demo` and `make test`.
# Both install everything they need from the lock file (uv.lock) into .venv.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
# compile the installed packages' bytecode once, at install: the commands start in a fraction
# of the time where Python may not write .pyc files itself (PYTHONDONTWRITEBYTECODE)
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif

.PHONY: demo case test bench setup

setup:
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check 'uv>=0.5'
	@$(UV) sync --frozen --quiet

# The main job: the default scenario's business case (exact, then 1,000 Monte Carlo draws),
# then the registry web app on SQLite with demo data (prints its address and logins).
demo: setup
	@$(UV) run --frozen brobygger expect
	@$(UV) run --frozen brobygger simulate --draws 1000 --seed 1
	@DEBUG=1 $(UV) run --frozen python -m brobygger.web servedemo

# The business case alone, without starting the web app.
case: setup
	@$(UV) run --frozen brobygger expect
	@$(UV) run --frozen brobygger simulate --draws 1000 --seed 1

test: setup
	@scripts/ensure-test-tools
	@$(UV) run --frozen ruff check src tests bench
	@$(UV) run --frozen mypy
	@$(UV) run --frozen pytest -q

bench: setup
	@$(UV) run --frozen python bench/run_all.py
