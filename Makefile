# Beltcast: `make run` serves the portal with a worker; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi $(BIN)/flask
INSTALLED := $(VENV)/.installed
MO := portal/translations/zh_Hans_CN/LC_MESSAGES/messages.mo
# Debian packages the tests need beyond PyPI (browser, speech synthesis, CJK font, ffmpeg).
TEST_DEBS := chromium espeak-ng fonts-noto-cjk fonts-wqy-zenhei ffmpeg
HTMX_VERSION := 2.0.11
TUS_VERSION := 4.3.1
# axe-core is only injected by the browser tests (never served to users).
AXE_VERSION := 4.14.1

.PHONY: run test lint pytest install translations extract-messages system-deps vendor model \
	demo-data migrate clean screenshots architecture

run: install migrate demo-data model
	@echo
	@echo "Beltcast is starting on http://127.0.0.1:8000  (Ctrl-C stops web and worker)"
	@echo "Demo logins (local demo only), password: beltcast-demo"
	@echo "  admin@beltcast.example  trainer@beltcast.example  streamer@beltcast.example"
	@echo "  merchant@cuiyufang.example  merchant@hetianyuan.example"
	@echo
	$(BIN)/honcho start -f Procfile

test: install system-deps lint pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(INSTALLED) $(MO)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,run]'
	touch $@

$(MO): $(INSTALLED) $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations
	touch $@

translations: $(MO)

# The layers graph in docs/architecture.md (tests/test_layers.py checks it is current).
architecture: install
	$(BIN)/python -m tests.layers_graph

extract-messages: $(INSTALLED)
	mkdir -p instance
	$(BIN)/pybabel extract -F babel.cfg -k _l -o instance/messages.pot portal courses media
	$(BIN)/pybabel update -i instance/messages.pot -d portal/translations --no-fuzzy-matching \
		--ignore-pot-creation-date

migrate: install
	$(FLASK) db upgrade

demo-data: migrate
	$(FLASK) beltcast demo-data

model: install
	$(FLASK) media prepare-model

system-deps:
	@missing=""; for p in $(TEST_DEBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "The tests need these Debian packages. Run:"; \
			echo "  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

# Run the browser journeys (tests/journeys) and keep their key pages as docs/screenshots/*.png.
screenshots: install
	rm -f docs/screenshots/*.png
	BELTCAST_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/journeys

# Refresh the vendored browser libraries from the npm registry (pinned versions; committed).
vendor:
	rm -rf build/vendor && mkdir -p build/vendor
	cd build/vendor && npm pack --silent htmx.org@$(HTMX_VERSION) tus-js-client@$(TUS_VERSION) \
		axe-core@$(AXE_VERSION)
	cd build/vendor && for f in *.tgz; do mkdir -p $${f%.tgz} && tar xzf $$f -C $${f%.tgz}; done
	cp build/vendor/htmx.org-$(HTMX_VERSION)/package/dist/htmx.min.js portal/static/vendor/
	cp build/vendor/tus-js-client-$(TUS_VERSION)/package/dist/tus.min.js portal/static/vendor/
	cp build/vendor/axe-core-$(AXE_VERSION)/package/axe.min.js tests/support/vendor/

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
