/* SPDX-License-Identifier: GPL-2.0 */
/* pawsim dongle: the far side on the simulated air (dongle_air.c). */
#ifndef PAWSIM_DONGLE_AIR_H
#define PAWSIM_DONGLE_AIR_H

#include <stdint.h>

#include <linux/pawlink.h>

#include "dongle_far.h"

/*
 * Joins the `pawsim air` listening at @path as radio @dongle_id and starts
 * listening.  A link whose toy is not heard for @supervision_ms is lost
 * (0: never).  Returns the far side, or NULL after saying why.
 */
struct dongle_far *dongle_air_create(const struct dongle_far_host *host,
				     const char *path,
				     const uint8_t dongle_id[PAWLINK_ID_LEN],
				     unsigned int supervision_ms);

#endif /* PAWSIM_DONGLE_AIR_H */
