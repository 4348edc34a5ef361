# rdblens: offline analyzer for Redis/Valkey RDB dumps.
#
#   make            build build/rel/rdblens (installs missing Debian packages as root)
#   make test       all tests, under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       build, then report on the bundled sample dump
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      throughput / RSS benchmark against redis-check-rdb (tools/bench.sh)
#   make fuzz       libFuzzer harnesses (FUZZ_SECONDS=N each)
#   make accuracy   memory model vs. real servers over ../shared/corpus
#   make tsan       report's threads (--threads 2, -j N) under ThreadSanitizer (also run by make test)

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build

PKGS      := liblzf libxxhash libpcre2-8 yajl libcbor zlib libzstd liblz4 liblzma jansson
# libbz2-dev ships no bzip2.pc on Debian 12 (the .pc file arrived with
# bzip2 1.0.8-6); its header and library are in the default paths.
NOPC_LIBS := -lbz2
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASEFLAGS := -std=c11 -D_GNU_SOURCE -pthread -I. $(WARN)
DEPFLAGS  := -MMD -MP

# pkg-config is asked lazily so that `make clean` works on a bare machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(NOPC_LIBS)
CRIT_CFLAGS = $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS   = $(shell pkg-config --libs criterion 2>/dev/null)

# -O3 and link-time optimization: the parser's per-element helpers live in
# their own files (listpack.c, numtext.c, ...) and are called per element;
# LTO inlines them across files (report: about 9 % less CPU on the bench).
REL_CFLAGS := $(BASEFLAGS) -O3 -flto=auto -g
# gcc on x86-64 clears small structs (key_record, the model's
# per-key state) with `rep stos`, whose start-up cost was half of those two
# functions' samples, 4-5 % of the parsing thread (perf): vector stores up
# to 512 bytes instead. Only where the compiler takes the option.
MEMSET_STRATEGY := -mmemset-strategy=vector_loop:512:noalign,libcall:-1:noalign
ifeq ($(shell $(CC) $(MEMSET_STRATEGY) -x c -c -o /dev/null /dev/null 2>/dev/null && echo ok),ok)
REL_CFLAGS += $(MEMSET_STRATEGY)
endif
SAN_CFLAGS := $(BASEFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_CFLAGS := $(BASEFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=thread

LIB_SRC  := $(sort $(wildcard rdb/*.c source/*.c analyze/*.c report/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))

REL_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/rel/%.o)
REL_CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/rel/%.o)
SAN_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
SAN_CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/san/%.o)
SAN_TESTS   := $(TEST_SRC:tests/%.c=$(BUILD)/san/tests/%)
SAN_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/san/%.o)
# the tests link the command-line modules too (units, output, aof tail), not main()
SAN_CLI_LIB_OBJ := $(filter-out $(BUILD)/san/cli/main.o,$(SAN_CLI_OBJ))
TSAN_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/tsan/%.o)
TSAN_CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/tsan/%.o)
.SECONDARY:
.PHONY: all deps deps-test test demo install clean bench fuzz accuracy check-tree tsan
all: deps $(BUILD)/rel/rdblens

deps:
	@tools/deps.sh build
deps-test:
	@tools/deps.sh test

# The package check runs before any compiler (order-only: | deps), so
# `make -j` on a fresh machine does not compile against missing headers.
$(BUILD)/rel/%.o: %.c Makefile | deps
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/san/%.o: %.c Makefile | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(PKG_CFLAGS) $(CRIT_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/tsan/%.o: %.c Makefile | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(TSAN_CFLAGS) $(PKG_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/rel/rdblens: $(REL_CLI_OBJ) $(REL_LIB_OBJ)
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(BUILD)/san/rdblens: $(SAN_CLI_OBJ) $(SAN_LIB_OBJ)
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(BUILD)/tsan/rdblens: $(TSAN_CLI_OBJ) $(TSAN_LIB_OBJ)
	$(CC) $(TSAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The record queue between report's two threads, stressed on its own
# (tests/threads/recq_stress.c; tests/scripts/threads.sh runs it).
$(BUILD)/%/recq_stress: $(BUILD)/%/tests/threads/recq_stress.o $(BUILD)/%/cli/recqueue.o
	$(CC) $(if $(findstring tsan,$*),$(TSAN_CFLAGS),$(SAN_CFLAGS)) -o $@ $^
# Each test file is its own Criterion binary, so one module's tests build and
# fail independently of the others.
$(BUILD)/san/tests/%: $(BUILD)/san/tests/%.o $(SAN_SUPPORT_OBJ) $(SAN_CLI_LIB_OBJ) $(SAN_LIB_OBJ)
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) $(CRIT_LIBS) -lm

TSAN_BINS := $(BUILD)/tsan/rdblens $(BUILD)/tsan/recq_stress
test: deps-test $(BUILD)/san/rdblens $(BUILD)/rel/rdblens $(SAN_TESTS) $(BUILD)/san/recq_stress $(TSAN_BINS)
	@RDBLENS=$(BUILD)/san/rdblens RDBLENS_REL=$(BUILD)/rel/rdblens RDBLENS_TSAN=$(BUILD)/tsan/rdblens \
	  RECQ_STRESS="$(BUILD)/san/recq_stress $(BUILD)/tsan/recq_stress" tools/run-tests.sh $(SAN_TESTS)

# report's threads under ThreadSanitizer: --threads 2 (tests/scripts/threads.sh,
# with the record queue's stress test) and -j N (tests/scripts/tsan.sh);
# make test runs both scripts too.
tsan: deps-test $(TSAN_BINS) $(BUILD)/san/recq_stress
	@RDBLENS_TSAN=$(BUILD)/tsan/rdblens RECQ_STRESS="$(BUILD)/san/recq_stress $(BUILD)/tsan/recq_stress" \
	  tests/scripts/threads.sh
	@RDBLENS_TSAN=$(BUILD)/tsan/rdblens tests/scripts/tsan.sh
demo: all
	$(BUILD)/rel/rdblens report tests/fixtures/sample.rdb

# The completions are made by the binary from its option table, so they
# always match it; the man page is docs/rdblens.1 (roff, written by hand).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 0755 $(BUILD)/rel/rdblens $(DESTDIR)$(PREFIX)/bin/rdblens
	install -m 0644 docs/rdblens.1 $(DESTDIR)$(PREFIX)/share/man/man1/rdblens.1
	$(BUILD)/rel/rdblens completion bash >$(BUILD)/rdblens.bash
	$(BUILD)/rel/rdblens completion zsh >$(BUILD)/_rdblens
	install -m 0644 $(BUILD)/rdblens.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rdblens
	install -m 0644 $(BUILD)/_rdblens $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rdblens

bench: all
	@tools/deps.sh bench
	tools/bench.sh $(BUILD)/rel/rdblens

FUZZ_SECONDS ?= 60
fuzz:
	@tools/deps.sh fuzz
	tools/fuzz.sh $(FUZZ_SECONDS)

accuracy: all
	tools/accuracy.sh $(BUILD)/rel/rdblens

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
