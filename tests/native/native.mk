# native tests: each tests/native/test_*.c is one cmocka program
NATIVE_TESTS += $(sort $(wildcard tests/native/test_*.c))
# The toy and end-to-end tests also link the toy firmware core, which is
# pawsim's (userspace/pawsim/toy/), not libpawlink's: it goes before the
# library so the library resolves what it uses.
TOY_CORE_OBJS := $(patsubst %.c,$(BUILD)/san/%.o,\
	$(sort $(wildcard userspace/pawsim/toy/*.c)))
TOY_TEST_BINS := $(patsubst %.c,$(BUILD)/san/%,$(filter \
	tests/native/test_toy_% tests/native/test_e2e_%,$(NATIVE_TESTS)))
$(TOY_TEST_BINS): $(BUILD)/san/%: $(BUILD)/san/%.o $(TOY_CORE_OBJS) \
		$(BUILD)/san/libpawlink.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka -lpthread -lm
