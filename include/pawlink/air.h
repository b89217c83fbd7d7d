/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink wire format: frames on the simulated air.
 *
 * Userspace only: the kernel relays these as opaque record bodies and never
 * parses them, so they are not kernel ABI (that is <linux/pawlink.h>).
 * Shared by libpawlink, the toy firmware core and pawsim;
 * Documentation/air.rst gives the same layout byte by byte.  All multi-byte
 * fields are little endian.
 */
#ifndef PAWLINK_WIRE_AIR_H
#define PAWLINK_WIRE_AIR_H

#include <linux/pawlink.h>

/* ---- Air frames (Documentation/air.rst) ---- */

/*
 * One frame on the simulated air (pawsim air): this 20-byte header, then
 * @len bytes of payload.  Every radio on the air hears every frame; a radio
 * keeps those addressed to its own id or to the broadcast id (all eight
 * bytes 0xff) unless it is promiscuous.  The air layer has no crypto:
 * security is end to end in the records it carries.
 *
 * PAWLINK_AIR_BEACON: @dst is broadcast and the payload is one
 * struct pawlink_air_beacon whose @toy_id equals @src.
 * PAWLINK_AIR_DATA: @dst is one radio (not broadcast, not @src) and the
 * payload is exactly one record: struct pawlink_rec_hdr, then its body.
 * The air checks the record's framing (version, channel PLAIN, CTRL or
 * AUDIO, length); epoch, counter and body are the endpoints' business.
 */
#define PAWLINK_AIR_VERSION		1

#define PAWLINK_AIR_BEACON		1
#define PAWLINK_AIR_DATA		2

struct pawlink_air_hdr {
	__u8 version;			/* PAWLINK_AIR_VERSION */
	__u8 type;			/* PAWLINK_AIR_* */
	__le16 len;			/* payload bytes after this header */
	__u8 src[PAWLINK_ID_LEN];	/* sending radio, never 0 or broadcast */
	__u8 dst[PAWLINK_ID_LEN];	/* receiving radio, or broadcast */
};

/*
 * A toy's beacon, 9 bytes: struct pawlink_beacon without what the dongle
 * adds.  Never a model, a name or a date.
 */
struct pawlink_air_beacon {
	__u8 toy_id[PAWLINK_ID_LEN];
	__u8 flags;			/* PAWLINK_BEACON_* */
};

#define PAWLINK_AIR_HDR_LEN		20
#define PAWLINK_AIR_BEACON_LEN		9
#define PAWLINK_AIR_FRAME_MAX	(PAWLINK_AIR_HDR_LEN + PAWLINK_RECORD_MAX)

#endif /* PAWLINK_WIRE_AIR_H */
