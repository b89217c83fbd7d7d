/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle --fuzz SEED: the fuzzing dongle.  One iteration of the
 * mutation engine (userspace/sim/fuzz_plan.h) played on the kernel's raw
 * gadget (/dev/raw-gadget, CONFIG_USB_RAW_GADGET), which hands every EP0
 * request to user space, GET_DESCRIPTOR included, so the descriptors can
 * be anything.  It plugs in, answers, sends, and unplugs at the seeded
 * point by exiting; the kernel's release of /dev/raw-gadget is the unplug.
 *
 * Without raw gadget it says so and exits 2: FunctionFS and gadgetfs
 * check the descriptors they are given, which is what a fuzzer must not
 * have.
 */
#ifndef PAWSIM_DONGLE_FUZZ_H
#define PAWSIM_DONGLE_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Runs iteration @seed on @udc (NULL: dummy_udc.0).  Returns the exit
 * status: 0 when the iteration ran to its unplug, 2 when it could not.
 */
int dongle_fuzz_run(uint64_t seed, const char *udc, bool verbose);

#endif /* PAWSIM_DONGLE_FUZZ_H */
