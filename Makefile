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

.PHONY: all deps run test unit integration browser asan bench bench-xlsx bench-backup clean
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

# header dependencies, written by -MMD -MP beside each object
-include $(patsubst %.o,%.d,$(LIB_OBJ) $(CLI_OBJ) $(UNIT_OBJ))

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

# the .xlsx export alone (bench/xlsx.sh: 50 000 rows, time and peak RSS; about a minute)
bench-xlsx: jindu
	@bench/xlsx.sh

# the encrypted backup and its restore alone (bench/backup.sh: the 1M-person database of bench/run.sh,
# made when missing; BENCH_BACKUP_PERSONS=N for another size)
bench-backup: jindu
	@bench/backup.sh

clean:
	rm -rf build build-asan jindu jindu-asan
