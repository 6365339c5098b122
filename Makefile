# jindu build. `make` builds ./jindu; `make run` sets up and serves a demo;
# `make test` runs unit, integration and browser tests; `make asan` the unit
# and integration tests under AddressSanitizer + UBSan; `make bench` the benchmarks
# (`make bench-xlsx` the .xlsx export's alone, `make bench-backup` the encrypted backup's).
CC      ?= cc
PKGS    := sqlite3 libmicrohttpd libsodium jansson xlsxwriter libzip
OPT     ?= -O2 -g
SAN     ?=
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Werror -MMD -MP -I. $(PKG_CFLAGS) $(CFLAGS)
ALL_LDLIBS = $(SAN) $(PKG_LIBS) -lunistring -lpthread $(LDLIBS)
BUILD   ?= build

LIB_SRC := $(wildcard core/*.c store/*.c app/*.c web/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/unit/fixture.o

JINDU ?= ./jindu
PORT  ?= 8080
DEMO_DB ?= demo/jindu.db

.PHONY: all deps run test unit integration browser asan bench bench-xlsx bench-load bench-backup clean fuzz fuzz-ci fuzz-build fuzz-bins crashtest
all: jindu

deps:
	@scripts/deps.sh

jindu: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# every unit test links the shared fixture (tests/unit/fixture.c) and the library
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/fixture.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDLIBS) -lcmocka
.SECONDARY: $(UNIT_OBJ)

# libFuzzer harnesses (fuzz/fuzz_*.c, one a parser; docs/SECURITY.md "Fuzzing"): built
# with clang into build-fuzz/ (the library instrumented, ASan + UBSan), each linked with
# fuzz/common.c and fuzz/mhd.c
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN  := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_OBJ  := $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(BUILD)/fuzz/common.o $(BUILD)/fuzz/mhd.o
FUZZ_SAN  := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/common.o $(BUILD)/fuzz/mhd.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(ALL_LDLIBS)
.SECONDARY: $(FUZZ_OBJ)

# header dependencies, written by -MMD -MP beside each object
-include $(patsubst %.o,%.d,$(LIB_OBJ) $(CLI_OBJ) $(UNIT_OBJ) $(FUZZ_OBJ))

run: deps
	@$(MAKE) --no-print-directory jindu
	@scripts/run-demo.sh $(DEMO_DB) $(PORT)

test:
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
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" jindu-asan-bin
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  JINDU=./jindu-asan scripts/test.sh build-asan unit integration

jindu-asan-bin: $(LIB_OBJ) $(CLI_OBJ) $(UNIT_BIN)
	$(CC) $(ALL_CFLAGS) -o jindu-asan $(LIB_OBJ) $(CLI_OBJ) $(ALL_LDLIBS)

bench: deps
	@scripts/deps.sh --bench
	@$(MAKE) --no-print-directory jindu
	@bench/run.sh
	@bench/xlsx.sh
	@bench/backup.sh
	@bench/load.sh

# the load step alone (bench/load.sh: 1 000 connections for 60 s, 0 errors, peak RSS)
bench-load: jindu
	@bench/load.sh

# the .xlsx export alone (bench/xlsx.sh: 50 000 rows, time and peak RSS; about a minute)
bench-xlsx: jindu
	@bench/xlsx.sh

# fuzzing: `make fuzz` runs every harness FUZZ_SECONDS (default 600) over its corpus
# (fuzz/corpus/<target> and build-fuzz/corpus/<target>, where what it finds is kept);
# `make fuzz-ci` a short run (FUZZ_SECONDS=8 each: about 1.5 min with the build), from .ci/run
fuzz: 
	@scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/fuzz.sh $${FUZZ_SECONDS:-600} $(FUZZ_TARGETS)

fuzz-ci: fuzz-build
	@scripts/fuzz.sh $${FUZZ_SECONDS:-8} $(FUZZ_TARGETS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" SAN="$(FUZZ_SAN)" fuzz-bins

fuzz-bins: $(FUZZ_BIN)

# the kill -9 loop under concurrent writers (tests/crash/run.py; CRASH_ROUNDS, CRASH_WRITERS)
crashtest: jindu
	@python3 tests/crash/run.py --jindu ./jindu --rounds $${CRASH_ROUNDS:-12} --writers $${CRASH_WRITERS:-4}

# the encrypted backup and its restore alone (bench/backup.sh: the 1M-person database of bench/run.sh,
# made when missing; BENCH_BACKUP_PERSONS=N for another size)
bench-backup: jindu
	@bench/backup.sh

clean:
	rm -rf build build-asan build-fuzz jindu jindu-asan
