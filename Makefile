# jindu build. `make` builds ./jindu; `make run` sets up and serves a demo;
# `make test` runs unit, integration and browser tests; `make asan` the same
# under AddressSanitizer + UBSan; `make bench` the benchmarks.
CC      ?= cc
PKGS    := sqlite3 libmicrohttpd libsodium jansson
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
BUILD   ?= build

LIB_SRC := $(wildcard core/*.c store/*.c app/*.c web/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

JINDU ?= ./jindu
PORT  ?= 8080
DEMO_DB ?= demo/jindu.db

.PHONY: all deps run test unit integration browser asan bench clean
all: jindu

deps:
	@scripts/deps.sh

jindu: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard core/*.h store/*.h app/*.h web/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

run: deps
	@$(MAKE) --no-print-directory jindu
	@scripts/run-demo.sh $(DEMO_DB) $(PORT)

test: deps
	@scripts/deps.sh --browser
	@$(MAKE) --no-print-directory jindu $(UNIT_BIN)
	@scripts/test.sh $(BUILD)

unit: jindu $(UNIT_BIN)
	@scripts/test.sh $(BUILD) unit

integration: jindu
	@scripts/test.sh $(BUILD) integration

browser: jindu
	@scripts/test.sh $(BUILD) browser

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan JINDU=./jindu-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDLIBS="$(LDLIBS) -fsanitize=address,undefined" jindu-asan-bin
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  JINDU=./jindu-asan scripts/test.sh build-asan unit integration

jindu-asan-bin: $(LIB_OBJ) $(CLI_OBJ) $(UNIT_BIN)
	$(CC) $(CFLAGS) -o jindu-asan $(LIB_OBJ) $(CLI_OBJ) $(LDLIBS)

bench: deps
	@scripts/deps.sh --bench
	@$(MAKE) --no-print-directory jindu
	@bench/run.sh

clean:
	rm -rf build build-asan jindu jindu-asan
