# threatminer: two commands from a fresh clone.
#   make demo   set up, generate a sample forum, import and analyse it, serve the API
#   make test   set up and run the whole test suite (SQLite and PostgreSQL)
SHELL := /bin/bash
export ONNXRUNTIME_NODE_INSTALL := skip
export OMP_NUM_THREADS ?= 2
export OPENBLAS_NUM_THREADS ?= 1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: setup system deps native build web test demo bench clean

setup: system deps native build

system:
	@bash scripts/setup-system.sh

# npm ci only when the lock file changed since the last install.
node_modules/.install-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@
deps: node_modules/.install-stamp

native: deps
	@if [ -f native/binding.gyp ]; then node scripts/build-native.mjs; fi

build: deps web
	npx tsc -p tsconfig.build.json

# The dashboard (web/dist), rebuilt only when its sources changed.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
web/dist/index.html: $(WEB_SOURCES) node_modules/.install-stamp
	npm run build:web
web: deps web/dist/index.html

# The web unit tests run first so the suite's closing summary is node's test runner's.
test: setup
	npx tsc -p tsconfig.json --noEmit
	npm run test:web
	node scripts/run-tests.mjs

# The demo needs no Debian packages and no native build: serving runs on onnxruntime-node.
demo: deps build
	node bin/threatminer.js demo

bench: setup
	npm run bench:store
	npm run bench:iocs
	npm run bench:crawl
	npm run bench:actors
	npm run bench:web
	npm run bench:ml

clean:
	rm -rf dist native/build .threatminer
