/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audio channel's bodies (struct pawlink_audio_hdr of <linux/pawlink.h>,
 * Documentation/record-layer.rst "Audio channel"): one strict decoder and
 * one encoder, shared by the toy firmware and libpawlink's air path.
 *
 * The decoder accepts only the canonical form: a known type, the exact
 * length for it (PCM: header and one period; the others: the header),
 * a zero reserved byte, @dirs only in START, STOP and STATE and only known
 * bits (START and STOP: at least one), @status only in STATE and a known
 * one.  So encoding what it accepts gives back the same bytes.
 */
#ifndef PAWLINK_AUDIO_WIRE_H
#define PAWLINK_AUDIO_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

#define PAWLINK_AUDIO_DIRS_ALL \
	(PAWLINK_AUDIO_DIR_CAPTURE | PAWLINK_AUDIO_DIR_PLAYBACK)

/* One body in host order; @pcm is set for PCM only. */
struct pawlink_audio_msg {
	uint8_t type;			/* PAWLINK_AUDIO_* */
	uint8_t dirs;
	uint8_t status;
	uint32_t seq;
	uint32_t played;
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
};

/* Whether @type is a request a toy answers (START, STOP). */
static inline bool pawlink_audio_is_request(uint8_t type)
{
	return type == PAWLINK_AUDIO_START || type == PAWLINK_AUDIO_STOP;
}

/* 0, or -EBADMSG for anything but a canonical body (then @m is zeroed). */
int pawlink_audio_msg_decode(struct pawlink_audio_msg *m, const uint8_t *body,
			 size_t len);
/*
 * Encodes @m (its @pcm only for PCM) into @buf: the length, or -EINVAL
 * for what the decoder would refuse, -ENOSPC if @cap is too small.
 */
int pawlink_audio_msg_encode(uint8_t *buf, size_t cap,
			 const struct pawlink_audio_msg *m);

#endif /* PAWLINK_AUDIO_WIRE_H */
