/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel lane's kselftest_harness.h: Debian's linux-source-6.1 harness
 * (found next on the include path, extracted into .cache/ at build time),
 * plus two options its main() lacks in 6.1, so that
 * "tests/kernel/run --test NAME:PATTERN" can run part of a program:
 *
 *   -t PATTERN  run only the tests whose "test", "fixture.test" or
 *               "fixture.variant.test" name matches the fnmatch(3) glob
 *               (repeatable; a test runs if any pattern matches)
 *   -l          list the full test names and exit
 *
 * A pattern that names a variant keeps that variant for the whole fixture.
 * A filter that matches nothing is an error, so a typo can not pass silently.
 */
#ifndef PAWLINK_LANE_KSELFTEST_HARNESS_H
#define PAWLINK_LANE_KSELFTEST_HARNESS_H

#include_next <kselftest_harness.h>

#include <fnmatch.h>

#define LANE_MAX_PATTERNS 16

struct lane_filter {
	const char *pattern[LANE_MAX_PATTERNS];
	int count;
};

static inline int lane_match(const struct lane_filter *flt, const char *name)
{
	int i;

	for (i = 0; i < flt->count; i++)
		if (fnmatch(flt->pattern[i], name, 0) == 0)
			return 1;
	return 0;
}

static inline int lane_match_test(const struct lane_filter *flt,
				  const struct __fixture_metadata *f,
				  const struct __fixture_variant_metadata *v,
				  const struct __test_metadata *t)
{
	char name[512];

	if (lane_match(flt, t->name))
		return 1;
	snprintf(name, sizeof(name), "%s.%s", f->name, t->name);
	if (lane_match(flt, name))
		return 1;
	if (!v)
		return 0;
	snprintf(name, sizeof(name), "%s.%s.%s", f->name, v->name, t->name);
	return lane_match(flt, name);
}

/* Keep the variants of f that some test matches under; all if matched_plain. */
static inline void lane_filter_variants(const struct lane_filter *flt,
					struct __fixture_metadata *f,
					int matched_plain)
{
	struct __fixture_variant_metadata *v, *next, *head = NULL, *tail = NULL;
	struct __test_metadata *t;
	int keep;

	for (v = f->variant; v; v = next) {
		next = v->next;
		keep = matched_plain;
		for (t = f->tests; t && !keep; t = t->next)
			keep = lane_match_test(flt, f, v, t);
		if (!keep)
			continue;
		v->next = NULL;
		if (tail)
			tail->next = v;
		else
			head = v;
		v->prev = v;
		tail = v;
	}
	if (head)
		head->prev = tail;
	f->variant = head;
}

/* Unlink the tests of f that no pattern selects; returns how many remain. */
static inline int lane_filter_fixture(const struct lane_filter *flt,
				      struct __fixture_metadata *f)
{
	struct __test_metadata *t, *next, *head = NULL, *tail = NULL;
	struct __fixture_variant_metadata *v;
	int matched_plain = 0, kept = 0, keep;

	for (t = f->tests; t; t = t->next)
		if (lane_match_test(flt, f, NULL, t))
			matched_plain = 1;
	if (f->variant)
		lane_filter_variants(flt, f, matched_plain);
	for (t = f->tests; t; t = next) {
		next = t->next;
		keep = lane_match_test(flt, f, NULL, t);
		for (v = f->variant; v && !keep; v = v->next)
			keep = lane_match_test(flt, f, v, t);
		if (!keep)
			continue;
		t->next = NULL;
		if (tail)
			tail->next = t;
		else
			head = t;
		tail = t;
		kept++;
	}
	if (head)
		head->prev = tail;
	/*
	 * No test is kept under a fixture whose variants all went, so it can not
	 * fall back to running as "no variant".
	 */
	f->tests = head;
	return kept;
}

static inline void lane_list_tests(void)
{
	struct __fixture_metadata *f;
	struct __fixture_variant_metadata *v;
	struct __test_metadata *t;

	for (f = __fixture_list; f; f = f->next) {
		for (t = f->tests; t; t = t->next) {
			if (!f->variant)
				printf("%s.%s\n", f->name, t->name);
			for (v = f->variant; v; v = v->next)
				printf("%s.%s.%s\n", f->name, v->name, t->name);
		}
	}
}

static inline void lane_apply_options(int argc, char **argv)
{
	struct lane_filter flt = { .count = 0 };
	struct __fixture_metadata *f;
	int i, kept = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-l") == 0) {
			lane_list_tests();
			exit(KSFT_PASS);
		}
		if (strcmp(argv[i], "-t") == 0 && i + 1 < argc &&
		    flt.count < LANE_MAX_PATTERNS) {
			flt.pattern[flt.count++] = argv[++i];
			continue;
		}
		fprintf(stderr, "usage: %s [-l] [-t PATTERN]... (at most %d)\n",
			argv[0], LANE_MAX_PATTERNS);
		exit(KSFT_FAIL);
	}
	if (!flt.count)
		return;
	for (f = __fixture_list; f; f = f->next)
		kept += lane_filter_fixture(&flt, f);
	if (!kept) {
		fprintf(stderr, "%s: no test matches", argv[0]);
		for (i = 0; i < flt.count; i++)
			fprintf(stderr, " '%s'", flt.pattern[i]);
		fprintf(stderr, "; -l lists them\n");
		exit(KSFT_FAIL);
	}
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	static void __attribute__((constructor)) \
	__constructor_order_last(void) \
	{ \
		if (!__constructor_order) \
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	} \
	int main(int argc, char **argv) { \
		lane_apply_options(argc, argv); \
		return test_harness_run(argc, argv); \
	}

#endif /* PAWLINK_LANE_KSELFTEST_HARNESS_H */
