# Two commands do all the set-up: `make demo` and `make test`. Both bootstrap a fresh machine idempotently.
SHELL := /bin/bash
export UV_LINK_MODE ?= copy
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export OPENBLAS_NUM_THREADS := 1
export TOKENIZERS_PARALLELISM := false
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
STAMP := $(VENV)/.synced

.PHONY: demo test venv browser lint docs typecheck unit serve clean

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

# Re-sync only when the lock or pyproject changed (a second run costs well under a second).
$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@touch $(STAMP)

venv: $(STAMP)

# Debian's chromium for the browser tests (no browser download; playwright drives /usr/bin/chromium), and a CJK
# font so that the Chinese widget's screenshots show characters.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@fc-list :lang=zh | grep -q . || { apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null; }

# mypy keeps its cache outside the checkout so a clean clone on the same machine reuses it.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	MYPY_CACHE_DIR=$(HOME)/.cache/retain-mypy $(VENV)/bin/mypy

# The cold data build runs once; later `make demo` runs go straight to serving (delete data/ to rebuild).
demo: venv
	@[ -f data/demo_report.json ] || $(VENV)/bin/retain demo
	$(VENV)/bin/retain serve --demo

# The documentation site (docs/ + mkdocs.yml) must build without a warning.
docs: venv
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

test: venv browser lint docs
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) data site .pytest_cache .mypy_cache .ruff_cache
