/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one version of pawlink.  The module (MODULE_VERSION), libpawlink,
 * pawctl, pawsim and the Debian packages all take it from here, so that a
 * bug report's "pawctl --version" names the driver it ran against.
 * debian/changelog's top entry must say the same (make lint checks).
 */
#ifndef PAWLINK_VERSION_H
#define PAWLINK_VERSION_H

#define PAWLINK_VERSION "0.5.0"

#endif /* PAWLINK_VERSION_H */
