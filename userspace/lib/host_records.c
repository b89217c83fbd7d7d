// SPDX-License-Identifier: GPL-2.0
/*
 * The host's end of the record layer in userspace (host_records.h): what
 * transport_air.c and transport_usb.c share, so the rules the driver
 * keeps are written once on this side too.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "audio_wire.h"
#include "host_records.h"

/* A gap in the microphone's numbers up to 1 s becomes silence; more is
 * counted lost but not filled (the stream jumped, it did not stutter). */
#define AUDIO_FILL_MAX		100

void host_records_clear(struct host_records *h)
{
	unsigned int i;

	for (i = 0; i < h->ctrl_n; i++)
		sodium_memzero(h->ctrl[(h->ctrl_head + i) % HOST_CTRL_QUEUE_MAX].buf,
			       PAWLINK_FRAME_MAX);
	h->ctrl_head = h->ctrl_n = 0;
	h->audio_head = h->audio_n = 0;
	h->audio_any = false;
	h->play_seq = 0;
	h->play_started = false;
	h->play_answered = false;
}

int host_records_install(struct host_records *h,
			 const struct pawlink_key_install *keys)
{
	int rc = pawlink_record_link_install(&h->link, keys, PAWLINK_ROLE_HOST);

	if (rc == 0) {
		h->audio_any = false;
		h->play_started = false;
	}
	return rc;
}

int host_records_seal(struct host_records *h, uint8_t channel,
		      const uint8_t *pt, size_t len, uint8_t *rec,
		      size_t *rec_len)
{
	if (len > PAWLINK_FRAME_MAX)
		return -EMSGSIZE;
	if (h->link.keyed)
		return pawlink_record_link_seal(&h->link, channel, pt, len, rec,
						PAWLINK_RECORD_MAX, rec_len);
	if (channel != PAWLINK_CH_CTRL)
		return -ENOTCONN;	/* no audio without a session */
	return pawlink_record_write_plain(PAWLINK_CH_PLAIN, pt, len, rec,
					  PAWLINK_RECORD_MAX, rec_len);
}

static void queue_ctrl(struct host_records *h, const uint8_t *pt, size_t n)
{
	struct host_ctrl_slot *s;

	if (h->ctrl_n == HOST_CTRL_QUEUE_MAX) {
		h->st.rx_dropped_queue_full++;
		return;
	}
	s = &h->ctrl[(h->ctrl_head + h->ctrl_n++) % HOST_CTRL_QUEUE_MAX];
	memcpy(s->buf, pt, n);
	s->len = n;
}

static int16_t *audio_slot(struct host_records *h)
{
	if (h->audio_n == HOST_AUDIO_QUEUE_MAX) {
		h->st.rx_dropped_queue_full++;
		return NULL;
	}
	return h->audio[(h->audio_head + h->audio_n++) % HOST_AUDIO_QUEUE_MAX];
}

/*
 * A body of the audio channel: a microphone period is queued, a gap in
 * its numbers first as that many periods of silence, so the samples keep
 * their place in time.  STATE moves playback's answer and credit.
 */
static void queue_audio(struct host_records *h, const uint8_t *pt, size_t n)
{
	struct pawlink_audio_msg m;
	uint32_t gap = 0, i;
	int16_t *dst;

	if (pawlink_audio_msg_decode(&m, pt, n)) {
		h->st.rx_dropped_malformed++;
		return;
	}
	/* Credits count from the answer to our START on. */
	if (h->play_started && m.type == PAWLINK_AUDIO_STATE &&
	    m.seq == h->play_req && m.status == PAWLINK_AUDIO_OK)
		h->play_answered = true;
	if (h->play_answered && m.played > h->play_credit)
		h->play_credit = m.played;
	if (m.type != PAWLINK_AUDIO_PCM)
		return;
	/* Numbers only go up within a start; lower means a new start. */
	if (h->audio_any && m.seq > h->audio_next)
		gap = m.seq - h->audio_next;
	h->audio_any = true;
	h->audio_next = m.seq + 1;
	h->st.audio_lost_frames += gap;
	for (i = 0; i < gap && i < AUDIO_FILL_MAX; i++) {
		dst = audio_slot(h);
		if (dst)
			memset(dst, 0, sizeof(h->audio[0]));
	}
	dst = audio_slot(h);
	if (dst)
		memcpy(dst, m.pcm, sizeof(h->audio[0]));
	sodium_memzero(&m, sizeof(m));
}

void host_records_take(struct host_records *h, const uint8_t *rec,
		       size_t len)
{
	uint8_t pt[PAWLINK_FRAME_MAX];
	uint8_t channel;
	size_t n;
	int rc;

	rc = pawlink_record_link_open(&h->link, rec, len, &channel, pt,
				      sizeof(pt), &n);
	switch (rc) {
	case 0:
		break;
	case -EPERM:
		h->st.rx_dropped_plaintext++;
		return;
	case -ESTALE:
		h->st.rx_dropped_replay++;
		return;
	case -EACCES:
		h->st.rx_dropped_auth++;
		return;
	default:
		h->st.rx_dropped_malformed++;
		return;
	}
	h->st.rx_records++;
	if (channel == PAWLINK_CH_AUDIO)
		queue_audio(h, pt, n);
	else
		queue_ctrl(h, pt, n);
	sodium_memzero(pt, sizeof(pt));
}

int host_records_pop_ctrl(struct host_records *h, uint8_t *frame,
			  size_t cap, size_t *len)
{
	struct host_ctrl_slot *s;

	if (!h->ctrl_n)
		return 0;
	s = &h->ctrl[h->ctrl_head];
	if (cap < s->len)
		return -EMSGSIZE;
	memcpy(frame, s->buf, s->len);
	*len = s->len;
	sodium_memzero(s->buf, s->len);
	h->ctrl_head = (h->ctrl_head + 1) % HOST_CTRL_QUEUE_MAX;
	h->ctrl_n--;
	return 1;
}

int host_records_pop_audio(struct host_records *h, int16_t *pcm)
{
	if (!h->audio_n)
		return 0;
	memcpy(pcm, h->audio[h->audio_head], sizeof(h->audio[0]));
	h->audio_head = (h->audio_head + 1) % HOST_AUDIO_QUEUE_MAX;
	h->audio_n--;
	return 1;
}

void host_records_wipe(struct host_records *h)
{
	pawlink_record_link_wipe(&h->link);
	host_records_clear(h);
	sodium_memzero(h->audio, sizeof(h->audio));
}
