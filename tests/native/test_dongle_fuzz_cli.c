// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle --fuzz SEED as a command, without a kernel: the seed is a
 * decimal 0 to 2^64-1 and nothing else, --fuzz takes only --udc and
 * --verbose (exit 1, usage), and with no raw gadget to play on it says so
 * and exits 2 (Documentation/man/pawsim.1.scd).  The iterations themselves
 * run in the kernel lane (tests/kernel/tests/dongle_fuzz.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "pawsim_procs.h"

/* `pawsim dongle ARGS...`: its exit status, its stderr into @err. */
static int dongle_run(const char *const args[], char *err, size_t cap)
{
	const char *argv[16];
	struct child_opts o = { .err_to_out = true };
	struct child c;
	int i;

	argv[0] = pawsim_path();
	argv[1] = "dongle";
	for (i = 0; args[i] && i < 12; i++)
		argv[i + 2] = args[i];
	argv[i + 2] = NULL;
	if (child_spawn(&c, &o, argv))
		return -1;
	return child_finish(&c, err, cap);
}

static void test_seed_must_be_a_number(void **state)
{
	static const char *const bad[] = {
		"", "abc", "-1", "0x10", "1 ", "18446744073709551616",
	};
	char err[2048];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dongle_run((const char *const[]){
			"--fuzz", bad[i], NULL }, err, sizeof(err)), 1);
		assert_non_null(strstr(err, "--fuzz wants a decimal seed"));
	}
}

static void test_fuzz_takes_only_udc_and_verbose(void **state)
{
	/* an option that does not go with --fuzz, and its value */
	static const char *const bad[][2] = {
		{ "--air", "/tmp/none" },
		{ "--name", "other" },
		{ "--fault", "stall" },
		{ "--id", "0123456789abcdef" },
		{ "--pidfile", "/tmp/none.pid" },
		{ "--trace", "/tmp/none.trace" },
	};
	const char *args[8];
	char err[2048];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		args[0] = "--fuzz";
		args[1] = "7";
		args[2] = bad[i][0];
		args[3] = bad[i][1];
		args[4] = NULL;
		assert_int_equal(dongle_run(args, err, sizeof(err)), 1);
		assert_non_null(strstr(err, "--fuzz takes only --udc and "
					    "--verbose"));
	}
}

/*
 * The largest seed is a seed; with no raw gadget (or no such UDC) it
 * cannot run: exit 2, saying raw gadget.
 */
static void test_no_raw_gadget_exits_2(void **state)
{
	char err[2048];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(dongle_run((const char *const[]){
		"--fuzz", "18446744073709551615", "--udc", "no_such_udc.9",
		NULL }, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "raw gadget"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_must_be_a_number),
		cmocka_unit_test(test_fuzz_takes_only_udc_and_verbose),
		cmocka_unit_test(test_no_raw_gadget_exits_2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
