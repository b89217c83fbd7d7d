/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The toy's commands (types 0x60-0x7f of <pawlink.h>, Documentation/toy.rst):
 * one strict decoder and one encoder, shared by the host (libpawlink's
 * façade) and the toy firmware (pawsim toy).
 *
 * The decoder accepts only the canonical form of each type: a known type,
 * the exact length, zero reserved bytes, a status only in responses, and
 * fields within their ranges (including "the microphone streams only while
 * the LED is lit" in a status, and a log whose entries rise).
 * So for any frame it accepts, pawlink_toy_encode() of the result gives
 * back the same bytes; the fuzz target checks this.
 */
#ifndef PAWLINK_TOY_CMD_H
#define PAWLINK_TOY_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/toy.h>

/* struct pawlink_toy_status in host order; flags as bools. */


/* One decoded frame.  Which member of @u is set depends on @type. */
struct pawlink_toy_frame {
	uint8_t type;
	uint8_t status;			/* responses only */
	uint16_t tag;
	union {
		uint8_t value;		/* LED_REQ, VOLUME_REQ */
		uint32_t from;		/* LOG_REQ */
		/* STATUS_RESP with status OK */
		struct pawlink_toy_status_info status;
		/* LOG_RESP with status OK */
		struct {
			uint32_t first;
			uint32_t next;
			uint8_t count;
			struct pawlink_toy_event entries[PAWLINK_TOY_LOG_MAX];
		} log;
		/* HOSTS_RESP with status OK */
		struct {
			uint32_t boot;
			uint64_t uptime_ms;
			uint8_t count;
			struct pawlink_toy_host_info entries[PAWLINK_TOY_HOSTS_MAX];
		} hosts;
		uint8_t host_id[PAWLINK_ID_LEN];	/* REVOKE_REQ */
		/* INVITE_REQ: a name, NUL terminated */
		char name[PAWLINK_TOY_HOST_NAME_LEN + 1];
		/* INVITE_RESP with status OK: a secret, wipe it */
		struct {
			char code[PAWLINK_TOY_INVITE_CODE_LEN + 1];
			uint32_t valid_ms;
		} invite;
	} u;
};

/* Whether @type is in the toy's range (0x60-0x7f), known or not. */
static inline bool pawlink_toy_type_in_range(uint8_t type)
{
	return type >= PAWLINK_TOY_TYPE_FIRST && type <= PAWLINK_TOY_TYPE_LAST;
}

/* A known request type (its response is type + 1). */
bool pawlink_toy_is_request(uint8_t type);
/* A known response type. */
bool pawlink_toy_is_response(uint8_t type);

/*
 * Decodes @len bytes: 0, or -EBADMSG for anything but the canonical form
 * of a known type (then @f is zeroed).
 */
int pawlink_toy_decode(struct pawlink_toy_frame *f, const uint8_t *buf,
		       size_t len);

/*
 * Encodes @f into @buf (@cap bytes).  Returns the length (8 or more),
 * -EINVAL when @f breaks a rule the decoder checks, or -ENOSPC.
 */
int pawlink_toy_encode(uint8_t *buf, size_t cap,
		       const struct pawlink_toy_frame *f);

/* A host name an INVITE may carry: 0..16 printable ASCII characters. */
bool pawlink_toy_host_name_ok(const char *name);

/*
 * One 32-byte log entry (struct pawlink_toy_log_entry), as the log
 * response and the toy's own log blob carry it.  decode: 0, or -EBADMSG
 * for an unknown event or a non-zero reserved byte.
 */
int pawlink_toy_event_decode(struct pawlink_toy_event *e,
			     const uint8_t p[PAWLINK_TOY_LOG_ENTRY_LEN]);
void pawlink_toy_event_encode(uint8_t p[PAWLINK_TOY_LOG_ENTRY_LEN],
			      const struct pawlink_toy_event *e);

/* Short names: "mic-start", "pair-fail", ...; "unknown" otherwise. */
const char *pawlink_toy_event_name(uint8_t event);
/* A short English sentence for a response status. */
const char *pawlink_toy_status_str(int status);

#endif /* PAWLINK_TOY_CMD_H */
