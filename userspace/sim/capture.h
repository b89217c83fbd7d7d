/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture files of `pawsim rogue sniff`: classic pcap with nanosecond
 * timestamps and link type LINKTYPE_USER0 (147), one air frame per packet,
 * stamped with air time.  tcpdump and Wireshark open them.  Byte by byte
 * in Documentation/air.rst ("Capture files").
 */
#ifndef PAWLINK_AIR_CAPTURE_H
#define PAWLINK_AIR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AIR_CAPTURE_MAGIC	0xa1b23c4dU	/* pcap, nanosecond stamps */
#define AIR_CAPTURE_LINKTYPE	147		/* LINKTYPE_USER0 */
#define AIR_CAPTURE_SNAPLEN	65535
#define AIR_CAPTURE_HDR_LEN	24
#define AIR_CAPTURE_REC_LEN	16

/* 0 or -errno; a short write is -EIO. */
int air_capture_write_header(FILE *out);
int air_capture_write_frame(FILE *out, uint64_t time_ns, const uint8_t *frame,
			    size_t len);

/* Reads a capture already in memory. */
struct air_capture_reader {
	const uint8_t *buf;
	size_t len;
	size_t off;
	uint64_t index;		/* frames returned so far */
};

struct air_capture_frame {
	uint64_t time_ns;
	const uint8_t *frame;	/* points into the reader's buffer */
	size_t len;
};

/* Checks the file header.  0 or -EINVAL. */
int air_capture_open(struct air_capture_reader *rd, const uint8_t *buf,
		     size_t len);
/*
 * The next frame: 1, 0 at the clean end of the file, or -EINVAL for a
 * truncated record, inconsistent lengths, a bad timestamp or a frame that
 * air_frame_parse() refuses.  After -EINVAL the reader stays failed.
 */
int air_capture_next(struct air_capture_reader *rd,
		     struct air_capture_frame *out);

#endif /* PAWLINK_AIR_CAPTURE_H */
