/* SPDX-License-Identifier: GPL-2.0 */
/* The air's counters as one line of JSON (Documentation/air.rst). */
#ifndef PAWSIM_AIR_JSON_H
#define PAWSIM_AIR_JSON_H

#include <stdio.h>

#include "air_medium.h"

void air_stats_print_json(FILE *out, const struct air_stats *st);

#endif /* PAWSIM_AIR_JSON_H */
