// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl log TOY [--from SEQ] [--type LIST] [--mic] [--host HOST]
 * [--since DURATION] [--tail N]: the toy's event log.  Every remote
 * microphone start is there with the host that asked for it.  The filters
 * apply here, to what the toy sent: they choose what is shown, never what
 * the toy keeps.
 *
 * --since: the toy has no calendar, its times count from a boot.  An
 * entry of this boot is placed by the toy's uptime (from the session's
 * STATUS); one of an earlier boot cannot be placed (how long the toy was
 * off is unknown), so it is shown exactly when the window reaches back
 * before this boot: a filter must never hide a microphone start that may
 * be in it.
 */
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

/* More than the toy keeps (512), so one call reads it all. */
#define LOG_MAX		1024

/* What an event's detail byte means, for humans ("" if nothing). */
static const char *detail_text(const struct pawlink_toy_event *e,
			       char *buf, size_t len)
{
	static const char *const button[] = {
		"window opened", "refused: locked out",
		"refused: 8 hosts paired",
		"refused: paired (invite)" };
	static const char *const pair_fail[] = {
		"", "wrong code or forged", "malformed",
		"no confirmation in 30 s", "state not saved" };
	static const char *const end[] = {
		"", "bye", "idle", "unpaired", "factory reset",
		"replaced by the same host's new session" };
	static const char *const mic_stop[] = {
		"", "by the host", "LED off", "session ended" };

	buf[0] = '\0';
	switch (e->event) {
	case PAWLINK_TOY_EV_BUTTON:
		if (e->detail < ARRAY_SIZE(button))
			return button[e->detail];
		break;
	case PAWLINK_TOY_EV_PAIR_FAIL:
		if (e->detail < ARRAY_SIZE(pair_fail))
			return pair_fail[e->detail];
		break;
	case PAWLINK_TOY_EV_SESSION_END:
		if (e->detail < ARRAY_SIZE(end))
			return end[e->detail];
		break;
	case PAWLINK_TOY_EV_MIC_STOP:
		if (e->detail < ARRAY_SIZE(mic_stop))
			return mic_stop[e->detail];
		break;
	case PAWLINK_TOY_EV_SESSION:
		/* Folded sessions: the time shown is the last one's. */
		snprintf(buf, len, "\u00d7%u (last at this time)", e->count);
		return buf;
	case PAWLINK_TOY_EV_PAIR_REFUSED:
	case PAWLINK_TOY_EV_SESSION_REJECT:
		/* Folded per type and boot; the count saturates. */
		snprintf(buf, len, "%u%s this boot",
			 e->detail, e->detail == UINT8_MAX ? " or more" : "");
		return buf;
	default:
		break;
	}
	if (e->detail)
		snprintf(buf, len, "%u", e->detail);
	return buf;
}

static void show(struct pawctl *c, const struct pawlink_toy_event *e,
		 const uint8_t host[PAWLINK_ID_LEN])
{
	char hex[PAWCTL_TOY_HEX_LEN + 1], buf[32];
	const char *text = detail_text(e, buf, sizeof(buf));
	static const uint8_t no_host[PAWLINK_ID_LEN];
	bool none = !memcmp(e->host_id, no_host, PAWLINK_ID_LEN);
	bool us = !memcmp(e->host_id, host, PAWLINK_ID_LEN);

	pawlink_to_hex(hex, e->host_id, PAWLINK_ID_LEN);
	pawctl_out(c, "%5u  %4u  %11.3f s  %-14s  %-23s  %s\n", e->seq,
		   e->boot, (double)e->time_ms / 1000,
		   pawlink_event_name(e->event), text,
		   none ? "-" : us ? "this host" : hex);
	pawctl_json_open(&c->j, NULL, '{');
	pawctl_json_u64(&c->j, "seq", e->seq);
	pawctl_json_str(&c->j, "event", pawlink_event_name(e->event));
	pawctl_json_u64(&c->j, "event_id", e->event);
	pawctl_json_u64(&c->j, "detail", e->detail);
	pawctl_json_str(&c->j, "detail_text", text);
	pawctl_json_u64(&c->j, "boot", e->boot);
	pawctl_json_u64(&c->j, "time_ms", e->time_ms);
	pawctl_json_str(&c->j, "host", none ? NULL : hex);
	pawctl_json_bool(&c->j, "this_host", !none && us);
	/* How many events the entry stands for: folded sessions, else 1. */
	pawctl_json_u64(&c->j, "count",
			e->event == PAWLINK_TOY_EV_SESSION ? e->count : 1);
	pawctl_json_close(&c->j, '}');
}

/* What to show: the event types wanted (none: all), one host, the last N. */
struct log_filter {
	bool type[256];
	bool any_type;
	bool by_host;
	bool this_host;			/* --host this */
	uint8_t host[PAWLINK_ID_LEN];
	unsigned long tail;		/* 0: all */
	bool since;			/* --since: the window below */
	uint32_t boot;			/* the toy's boot, now */
	uint64_t from_ms;		/* the window's start, in this boot */
	bool before_boot;		/* the window reaches past this boot */
};

/*
 * --since DURATION: a whole number with s, m, h or d, up to 365 days.
 * Sets the window from the toy's clock as the session found it.
 */
static int parse_since(struct pawctl *c, struct log_filter *f,
		       const char *arg, const struct pawlink_toy_status_info *st)
{
	static const struct { char unit; uint64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 },
		{ 'd', 86400000 },
	};
	char num[16];
	size_t len = strlen(arg), i;
	unsigned long v;
	uint64_t ms;

	for (i = 0; len > 1 && len < sizeof(num) && i < ARRAY_SIZE(units);
	     i++)
		if (arg[len - 1] == units[i].unit)
			break;
	if (len < 2 || len >= sizeof(num) || i == ARRAY_SIZE(units))
		goto bad;
	memcpy(num, arg, len - 1);
	num[len - 1] = '\0';
	if (pawlink_parse_uint(num, 1, 365 * 86400000ULL / units[i].ms, &v))
		goto bad;
	ms = (uint64_t)v * units[i].ms;
	if (!st)
		return 0;
	f->since = true;
	f->boot = st->boot;
	f->before_boot = ms > st->uptime_ms;
	f->from_ms = f->before_boot ? 0 : st->uptime_ms - ms;
	return 0;
bad:
	return pawctl_fail(c, PAWCTL_EXIT_USAGE,
			   "--since takes a duration: a whole number with s, m, h or d (10m, 2h, 3d), up to 365 days");
}

/* --type a,b,c: each an event name as the log shows it. */
static int parse_types(struct pawctl *c, struct log_filter *f,
		       const char *list)
{
	char buf[256], *save = NULL, *name;
	unsigned int ev;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE, "--type: too long");
	for (name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (ev = 0; ev < 256; ev++)
			if (!strcmp(pawlink_event_name((uint8_t)ev), name) &&
			    strcmp(name, "unknown"))
				break;
		if (ev == 256)
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "--type: no event is called '%.32s' (mic-start, session-start, pair-ok, ...)",
					   name);
		f->type[ev] = true;
		f->any_type = true;
	}
	if (!f->any_type)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--type takes event names, comma-separated");
	return 0;
}

static bool wanted(const struct log_filter *f,
		   const struct pawlink_toy_event *e,
		   const uint8_t us[PAWLINK_ID_LEN])
{
	if (f->any_type && !f->type[e->event])
		return false;
	if (f->by_host && memcmp(e->host_id, f->this_host ? us : f->host,
				 PAWLINK_ID_LEN))
		return false;
	if (f->since && (e->boot == f->boot ? e->time_ms < f->from_ms :
			 e->boot > f->boot || !f->before_boot))
		return false;
	return true;
}

static int log_run(struct pawctl *c, int argc, char *argv[])
{
	const char *from_arg = NULL, *type_arg = NULL, *host_arg = NULL;
	const char *tail_arg = NULL, *since_arg = NULL;
	struct pawlink_toy_status_info st;
	bool mic = false;
	const struct pawctl_opt opts[] = {
		{ .name = "from", .arg = &from_arg },
		{ .name = "type", .arg = &type_arg },
		{ .name = "mic", .flag = &mic },
		{ .name = "host", .arg = &host_arg },
		{ .name = "tail", .arg = &tail_arg },
		{ .name = "since", .arg = &since_arg },
		{ .name = NULL },
	};
	struct pawlink_toy_event ev[LOG_MAX];
	uint8_t host[PAWLINK_ID_LEN];
	struct log_filter f = { 0 };
	unsigned long from = 0;
	size_t n, i, shown, skip;
	uint32_t next;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	if (from_arg && pawlink_parse_uint(from_arg, 0, 999999999, &from))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--from takes a log sequence number");
	if (type_arg && parse_types(c, &f, type_arg))
		return PAWCTL_EXIT_USAGE;
	if (mic) {
		f.type[PAWLINK_TOY_EV_MIC_START] = true;
		f.any_type = true;
	}
	if (host_arg) {
		f.by_host = true;
		f.this_host = !strcmp(host_arg, "this");
		if (!f.this_host && pawlink_toy_id_parse(f.host, host_arg))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "--host takes a host id (16 hex digits, as 'pawctl hosts' shows) or 'this'");
	}
	if (tail_arg && pawlink_parse_uint(tail_arg, 1, LOG_MAX, &f.tail))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--tail takes a whole number from 1 to %d",
				   LOG_MAX);
	/* Checked before the toy is reached, applied with its clock. */
	if (since_arg && parse_since(c, &f, since_arg, NULL))
		return PAWCTL_EXIT_USAGE;
	rc = pawctl_connect(c, c->operand[0], &st);
	if (rc)
		return rc;
	if (since_arg && parse_since(c, &f, since_arg, &st))
		return PAWCTL_EXIT_USAGE;
	rc = pawlink_log(c->p, (uint32_t)from, ev, LOG_MAX, &n, &next);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawlink_host_id(c->p, host);
	pawctl_out(c, "%5s  %4s  %13s  %-14s  %-23s  %s\n", "SEQ", "BOOT",
		   "TIME", "EVENT", "DETAIL", "HOST");
	pawctl_json_u64(&c->j, "next", next);
	pawctl_json_u64(&c->j, "toy_boot", st.boot);
	pawctl_json_u64(&c->j, "toy_uptime_ms", st.uptime_ms);
	pawctl_json_open(&c->j, "events", '[');
	for (i = 0, shown = 0; i < n; i++)
		shown += wanted(&f, &ev[i], host);
	/* --tail: the last N of those that match. */
	skip = f.tail && shown > f.tail ? shown - f.tail : 0;
	for (i = 0; i < n; i++) {
		if (!wanted(&f, &ev[i], host))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		show(c, &ev[i], host);
	}
	pawctl_json_close(&c->j, ']');
	if (f.since && f.before_boot)
		pawctl_info(c, "--since %s reaches back before the toy's last boot: entries of earlier boots are all shown, the toy cannot tell when they happened\n",
			    since_arg);
	return 0;
}

const struct pawctl_command pawctl_cmd_log = {
	.name = "log",
	.run = log_run,
	.synopsis = "log TOY [--from SEQ] [--type LIST] [--mic] [--host HOST] [--since DURATION] [--tail N]",
	.summary = "the toy's event log: pairings, sessions, every microphone start",
	.options = "  --from SEQ    start at sequence number SEQ (default: the oldest kept)\n"
		   "  --type LIST   only these events, comma-separated (mic-start,pair-ok)\n"
		   "  --mic         only microphone starts (--type mic-start)\n"
		   "  --host HOST   only this host's events: its id, or 'this'\n"
		   "  --since DURATION  only events of the last DURATION (10m, 2h, 3d)\n"
		   "  --tail N      only the last N events that match\n",
};
