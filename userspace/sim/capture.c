// SPDX-License-Identifier: GPL-2.0
/* pcap capture files of air frames; see capture.h. */
#include <errno.h>
#include <string.h>

#include "capture.h"
#include "air_frame.h"
#include "byteorder.h"

#define NSEC_PER_SEC	1000000000ULL

static int write_all(FILE *out, const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, out) != len)
		return -EIO;
	return 0;
}

int air_capture_write_header(FILE *out)
{
	uint8_t h[AIR_CAPTURE_HDR_LEN];

	pawlink_store_le32(h, AIR_CAPTURE_MAGIC);
	pawlink_store_le16(h + 4, 2);		/* version 2.4 */
	pawlink_store_le16(h + 6, 4);
	pawlink_store_le32(h + 8, 0);		/* thiszone: air time is zone-less */
	pawlink_store_le32(h + 12, 0);	/* sigfigs */
	pawlink_store_le32(h + 16, AIR_CAPTURE_SNAPLEN);
	pawlink_store_le32(h + 20, AIR_CAPTURE_LINKTYPE);
	return write_all(out, h, sizeof(h));
}

int air_capture_write_frame(FILE *out, uint64_t time_ns, const uint8_t *frame,
			    size_t len)
{
	uint8_t r[AIR_CAPTURE_REC_LEN];
	uint64_t sec = time_ns / NSEC_PER_SEC;
	int rc;

	if (len > PAWLINK_AIR_FRAME_MAX || sec > UINT32_MAX)
		return -EINVAL;
	pawlink_store_le32(r, (uint32_t)sec);
	pawlink_store_le32(r + 4, (uint32_t)(time_ns % NSEC_PER_SEC));
	pawlink_store_le32(r + 8, (uint32_t)len);	/* captured */
	pawlink_store_le32(r + 12, (uint32_t)len);	/* on the air */
	rc = write_all(out, r, sizeof(r));
	if (rc)
		return rc;
	return write_all(out, frame, len);
}

int air_capture_open(struct air_capture_reader *rd, const uint8_t *buf,
		     size_t len)
{
	memset(rd, 0, sizeof(*rd));
	if (len < AIR_CAPTURE_HDR_LEN)
		return -EINVAL;
	if (pawlink_load_le32(buf) != AIR_CAPTURE_MAGIC ||
	    pawlink_load_le16(buf + 4) != 2 || pawlink_load_le16(buf + 6) != 4 ||
	    pawlink_load_le32(buf + 8) != 0 || pawlink_load_le32(buf + 12) != 0 ||
	    pawlink_load_le32(buf + 16) < PAWLINK_AIR_FRAME_MAX ||
	    pawlink_load_le32(buf + 20) != AIR_CAPTURE_LINKTYPE)
		return -EINVAL;
	rd->buf = buf;
	rd->len = len;
	rd->off = AIR_CAPTURE_HDR_LEN;
	return 0;
}

int air_capture_next(struct air_capture_reader *rd,
		     struct air_capture_frame *out)
{
	const uint8_t *r;
	uint32_t nsec, incl, orig;
	struct air_frame f;

	memset(out, 0, sizeof(*out));
	if (!rd->buf)
		return -EINVAL;
	if (rd->off == rd->len)
		return 0;
	if (rd->len - rd->off < AIR_CAPTURE_REC_LEN)
		goto bad;
	r = rd->buf + rd->off;
	nsec = pawlink_load_le32(r + 4);
	incl = pawlink_load_le32(r + 8);
	orig = pawlink_load_le32(r + 12);
	if (nsec >= NSEC_PER_SEC || incl != orig || incl > PAWLINK_AIR_FRAME_MAX)
		goto bad;
	if (rd->len - rd->off - AIR_CAPTURE_REC_LEN < incl)
		goto bad;
	if (air_frame_parse(r + AIR_CAPTURE_REC_LEN, incl, &f) != AIR_FRAME_OK)
		goto bad;
	out->time_ns = pawlink_load_le32(r) * NSEC_PER_SEC + nsec;
	out->frame = r + AIR_CAPTURE_REC_LEN;
	out->len = incl;
	rd->off += AIR_CAPTURE_REC_LEN + incl;
	rd->index++;
	return 1;
bad:
	/* A reader that failed once never returns more frames. */
	rd->buf = NULL;
	return -EINVAL;
}
