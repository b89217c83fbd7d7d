// SPDX-License-Identifier: GPL-2.0
/* The audio channel's codec; see audio_wire.h. */
#include <errno.h>
#include <string.h>

#include "audio_wire.h"
#include "byteorder.h"

static bool valid(const struct pawlink_audio_msg *m)
{
	switch (m->type) {
	case PAWLINK_AUDIO_PCM:
		return !m->dirs && !m->status;
	case PAWLINK_AUDIO_START:
	case PAWLINK_AUDIO_STOP:
		return m->dirs && !(m->dirs & ~PAWLINK_AUDIO_DIRS_ALL) &&
		       !m->status && !m->played;
	case PAWLINK_AUDIO_STATE:
		return !(m->dirs & ~PAWLINK_AUDIO_DIRS_ALL) &&
		       m->status <= PAWLINK_AUDIO_E_MALFORMED;
	default:
		return false;
	}
}

static size_t body_len(uint8_t type)
{
	return type == PAWLINK_AUDIO_PCM ? PAWLINK_AUDIO_PCM_LEN :
					   PAWLINK_AUDIO_HDR_LEN;
}

int pawlink_audio_msg_decode(struct pawlink_audio_msg *m, const uint8_t *body,
			 size_t len)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	if (len < PAWLINK_AUDIO_HDR_LEN || body[3] ||
	    len != body_len(body[0]))
		return -EBADMSG;
	m->type = body[0];
	m->dirs = body[1];
	m->status = body[2];
	m->seq = pawlink_load_le32(body + 4);
	m->played = pawlink_load_le32(body + 8);
	if (!valid(m)) {
		memset(m, 0, sizeof(*m));
		return -EBADMSG;
	}
	if (m->type == PAWLINK_AUDIO_PCM)
		for (i = 0; i < PAWLINK_AUDIO_PERIOD_FRAMES; i++)
			m->pcm[i] = (int16_t)pawlink_load_le16(
				body + PAWLINK_AUDIO_HDR_LEN + 2 * i);
	return 0;
}

int pawlink_audio_msg_encode(uint8_t *buf, size_t cap,
			 const struct pawlink_audio_msg *m)
{
	size_t len = body_len(m->type);
	unsigned int i;

	if (!valid(m))
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	buf[0] = m->type;
	buf[1] = m->dirs;
	buf[2] = m->status;
	buf[3] = 0;
	pawlink_store_le32(buf + 4, m->seq);
	pawlink_store_le32(buf + 8, m->played);
	if (m->type == PAWLINK_AUDIO_PCM)
		for (i = 0; i < PAWLINK_AUDIO_PERIOD_FRAMES; i++)
			pawlink_store_le16(buf + PAWLINK_AUDIO_HDR_LEN + 2 * i,
					   (uint16_t)m->pcm[i]);
	return (int)len;
}
