// SPDX-License-Identifier: GPL-2.0
/*
 * Voice messages through the façade (libpawlink.h): the host client of
 * the message protocol (msg_host.h) driven over the transport until each
 * operation is over.  Downloads land in memory and are checked against
 * their SHA-256 before they are handed out.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio_convert.h"
#include "libpawlink_priv.h"
#include "msg_sink_mem.h"
#include "msg_wire.h"

/* The longest a message operation waits without looking at its timers. */
#define MSG_POLL_MAX_US		1000000ULL

static int msg_status_errno(struct pawlink *p, int status)
{
	const char *why = pawlink_msg_status_str(status);

	switch (status) {
	case PAWLINK_MSG_OK:
		return 0;
	case PAWLINK_MSG_E_NOT_FOUND:
		return pawlink_fail(p, -ENOENT, "%s", why);
	case PAWLINK_MSG_E_QUOTA:
		return pawlink_fail(p, -ENOSPC, "%s", why);
	case PAWLINK_MSG_E_TOO_LONG:
		return pawlink_fail(p, -EFBIG, "%s", why);
	case PAWLINK_MSG_E_BUSY:
		return pawlink_fail(p, -EBUSY, "%s", why);
	case PAWLINK_MSG_E_BAD_HASH:
		return pawlink_fail(p, -EBADMSG, "%s", why);
	case PAWLINK_MSG_E_BAD_REQUEST:
		return pawlink_fail(p, -EINVAL, "%s", why);
	case PAWLINK_MSG_E_EXISTS:
		return pawlink_fail(p, -EEXIST, "%s", why);
	case PAWLINK_MSG_E_IO:
		return pawlink_fail(p, -EIO, "%s", why);
	case PAWLINK_MSG_E_ABORTED:
		return pawlink_fail(p, -ECANCELED, "%s", why);
	case PAWLINK_MSG_E_TIMEOUT:
		return pawlink_fail(p, -ETIMEDOUT, "%s", why);
	case PAWLINK_MSG_E_NOMEM:
		return pawlink_fail(p, -ENOMEM, "%s", why);
	default:
		return pawlink_fail(p, -EPROTO, "%s", why);
	}
}

/* Feeds the client every frame already received, without waiting. */
static void take_waiting(struct pawlink *p)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;

	while (pawlink_receive(p, 0, PAWLINK_RX_MSG, buf, &len) == 0)
		;
}

/*
 * Tells the progress callback how far a transfer is, when that changed
 * since it was told last (p->progress_told; UINT64_MAX: nothing yet).
 */
static void report_progress(struct pawlink *p, bool complete)
{
	uint64_t done, total;

	if (!p->progress || !pawlink_msg_host_progress(p->msg, &done, &total))
		return;
	/* The last ack may not move the window's base: it is all there. */
	if (complete)
		done = total;
	if (done == p->progress_told)
		return;
	p->progress_told = done;
	p->progress(p->progress_ctx, done, total);
}

/*
 * Sends what the client has to say now.  0, or -errno (op cancelled).
 * A send may wait for room on the link, so each frame gets the time it
 * really leaves at, and what arrived meanwhile (acks) is taken in before
 * the next frame is chosen.
 */
static int flush(struct pawlink *p)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n, rc;

	while ((n = pawlink_msg_host_output(p->msg, pawlink_now_us(p), buf,
					    sizeof(buf))) > 0) {
		rc = pawlink_send(p, buf, (size_t)n);
		if (rc) {
			pawlink_msg_host_cancel(p->msg);
			return rc;
		}
		take_waiting(p);
		/* Acks arrive between sends: a burst shows as it goes. */
		report_progress(p, false);
	}
	if (n < 0) {
		pawlink_msg_host_cancel(p->msg);
		return pawlink_fail(p, -EIO, "message client failed");
	}
	return 0;
}

/* Drives the running operation to its end; 0 or a negative errno. */
static int run(struct pawlink *p)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	uint64_t deadline, longest;
	size_t len;
	int rc, status;

	p->progress_told = UINT64_MAX;
	for (;;) {
		rc = flush(p);
		if (rc)
			return rc;
		if (pawlink_msg_host_done(p->msg, &status)) {
			if (status == PAWLINK_MSG_OK)
				report_progress(p, true);
			return msg_status_errno(p, status);
		}
		report_progress(p, false);
		/* The receive path hands message frames to the client. */
		deadline = pawlink_msg_host_deadline(p->msg);
		longest = pawlink_now_us(p) + MSG_POLL_MAX_US;
		rc = pawlink_receive(p, deadline < longest ? deadline : longest,
				     PAWLINK_RX_MSG, buf, &len);
		if (rc == -ETIMEDOUT)
			continue;
		if (rc) {
			pawlink_msg_host_cancel(p->msg);
			return pawlink_fail(p, rc, "receiving from the toy failed: %s",
					    pawlink_link_error(rc));
		}
	}
}

static int started(struct pawlink *p, int rc)
{
	if (rc == -EINVAL)
		return pawlink_fail(p, rc, "invalid message or id");
	if (rc)
		return pawlink_fail(p, rc, "the message client is busy");
	return run(p);
}

void pawlink_set_progress(struct pawlink *p, pawlink_progress_fn fn,
			  void *ctx)
{
	p->progress = fn;
	p->progress_ctx = ctx;
}

int pawlink_list(struct pawlink *p, struct pawlink_msg_info **out, size_t *n)
{
	const struct pawlink_msg_info *page;
	struct pawlink_msg_info *all = NULL, *grown;
	uint8_t after[PAWLINK_MSG_ID_LEN] = { 0 };
	size_t count = 0, got;
	uint32_t total;
	bool more;
	int rc;

	*out = NULL;
	*n = 0;
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	do {
		rc = started(p, pawlink_msg_host_list(p->msg, after,
						      pawlink_now_us(p)));
		if (rc)
			goto err;
		got = pawlink_msg_host_list_result(p->msg, &page, &more,
						   &total);
		if (got == 0)
			break;
		grown = realloc(all, (count + got) * sizeof(*all));
		if (!grown) {
			rc = pawlink_fail(p, -ENOMEM, "out of memory");
			goto err;
		}
		all = grown;
		memcpy(all + count, page, got * sizeof(*all));
		count += got;
		memcpy(after, page[got - 1].id, PAWLINK_MSG_ID_LEN);
	} while (more);
	*out = all;
	*n = count;
	return 0;
err:
	free(all);
	return rc;
}

int pawlink_upload_resume(struct pawlink *p,
			  const struct pawlink_msg_info *info,
			  const uint8_t *obj, size_t len)
{
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	int rc;

	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	if (pawlink_msg_info_verify(info, obj, len) != PAWLINK_MSG_OK)
		return pawlink_fail(p, -EINVAL,
				    "the data does not match the message's size and SHA-256");
	pawlink_msg_mem_source(&src, &mem, obj, len);
	return started(p, pawlink_msg_host_put(p->msg, info, &src,
					       pawlink_now_us(p)));
}

int pawlink_upload(struct pawlink *p, const uint8_t *obj, size_t len,
		   uint32_t duration_ms, struct pawlink_msg_info *info)
{
	struct pawlink_msg_info made;
	int status;

	status = pawlink_need_session(p);
	if (status)
		return status;
	status = pawlink_msg_info_create(&made, p->host.id,
					 (uint64_t)time(NULL), duration_ms,
					 obj, len);
	if (status != PAWLINK_MSG_OK)
		return msg_status_errno(p, status);
	if (info)
		*info = made;
	return pawlink_upload_resume(p, &made, obj, len);
}

int pawlink_audio_file_to_message(struct pawlink *p, const char *path,
				  uint8_t **obj, size_t *len,
				  uint32_t *duration_ms)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], obj_path[PATH_MAX + 16];
	int rc;

	*obj = NULL;
	*len = 0;
	if (snprintf(dir, sizeof(dir), "%s/pawlink-put-XXXXXX",
		     tmp && *tmp == '/' ? tmp : "/tmp") >= (int)sizeof(dir))
		return pawlink_fail(p, -ENAMETOOLONG, "TMPDIR is too long");
	if (!mkdtemp(dir))
		return pawlink_fail(p, -EIO, "cannot make a temporary directory: %s",
				    strerror(errno));
	snprintf(obj_path, sizeof(obj_path), "%s/message.opus", dir);
	rc = pawlink_audio_to_opus(path, obj_path, duration_ms, p->err,
				   sizeof(p->err));
	if (rc)
		goto out;
	rc = pawlink_msg_load_file(obj_path, obj, len);
	if (rc)
		rc = pawlink_fail(p, -EIO, "cannot read the converted message: %s",
				  strerror(-rc));
out:
	unlink(obj_path);
	rmdir(dir);
	return rc;
}

int pawlink_upload_audio_file(struct pawlink *p, const char *path,
			      struct pawlink_msg_info *info)
{
	uint32_t duration_ms;
	uint8_t *obj;
	size_t len;
	int rc;

	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = pawlink_audio_file_to_message(p, path, &obj, &len, &duration_ms);
	if (rc)
		return rc;
	rc = pawlink_upload(p, obj, len, duration_ms, info);
	free(obj);
	return rc;
}

int pawlink_message_decode(struct pawlink *p, const uint8_t *obj, size_t len,
			   int16_t **pcm, size_t *frames)
{
	return pawlink_audio_decode(obj, len, pcm, frames, p->err,
				    sizeof(p->err));
}

/* ---- download into memory ------------------------------------------------ */

int pawlink_download(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN],
		     uint8_t **obj, size_t *len, struct pawlink_msg_info *info)
{
	struct pawlink_msg_mem_sink m = { .buf = NULL };
	int rc;

	*obj = NULL;
	*len = 0;
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = started(p, pawlink_msg_host_get(p->msg, id,
					     pawlink_msg_mem_sink_get_begin,
					     &m, pawlink_now_us(p)));
	if (rc == 0 && !m.committed)
		rc = pawlink_fail(p, -EBADMSG,
				  "the download did not match its SHA-256");
	if (rc) {
		pawlink_msg_mem_sink_free(&m);
		return rc;
	}
	*obj = m.buf;
	*len = m.info.size;
	if (info)
		*info = m.info;
	return 0;
}

int pawlink_delete(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	int rc = pawlink_need_session(p);

	if (rc)
		return rc;
	return started(p, pawlink_msg_host_delete(p->msg, id,
						  pawlink_now_us(p)));
}

int pawlink_play(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	int rc = pawlink_need_session(p);

	if (rc)
		return rc;
	return started(p, pawlink_msg_host_play(p->msg, id,
						pawlink_now_us(p)));
}
