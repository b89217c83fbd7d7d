// SPDX-License-Identifier: GPL-2.0
/*
 * The library's version, the one of include/pawlink/version.h: a program
 * built against one libpawlink.so.0 may run with another, and a bug report
 * should name the one that ran.
 */
#include <pawlink/version.h>

#include "libpawlink.h"

const char *pawlink_version(void)
{
	return PAWLINK_VERSION;
}
