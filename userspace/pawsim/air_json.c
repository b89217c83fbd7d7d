// SPDX-License-Identifier: GPL-2.0
/* The air's counters as JSON; the field names are in Documentation/air.rst. */
#include <inttypes.h>

#include "air_json.h"

static void print_id(FILE *out, const uint8_t id[PAWLINK_ID_LEN])
{
	unsigned int i;

	fputc('"', out);
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		fprintf(out, "%02x", id[i]);
	fputc('"', out);
}

void air_stats_print_json(FILE *out, const struct air_stats *st)
{
	uint32_t i;

	fprintf(out,
		"{\"now_ns\":%" PRIu64 ",\"rate_bps\":%" PRIu64
		",\"latency_ns\":%" PRIu64 ",\"loss_ppm\":%" PRIu64
		",\"frames\":%" PRIu64 ",\"bytes\":%" PRIu64
		",\"busy_ns\":%" PRIu64 ",\"delivered\":%" PRIu64
		",\"lost\":%" PRIu64 ",\"overrun\":%" PRIu64
		",\"rejected\":%" PRIu64 ",\"joined\":%" PRIu64 ",\"radios\":[",
		st->now_ns, st->rate_bps, st->latency_ns, st->loss_ppm,
		st->frames, st->bytes, st->busy_ns, st->delivered, st->lost,
		st->overrun, st->rejected, st->joined);
	for (i = 0; i < st->nradios && i < AIR_RADIOS_MAX; i++) {
		const struct air_radio_stats *rs = &st->radio[i];

		fprintf(out, "%s{\"index\":%" PRIu32 ",\"id\":", i ? "," : "",
			rs->index);
		print_id(out, rs->id);
		fprintf(out,
			",\"tx_frames\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
			",\"rejected\":%" PRIu64 ",\"rx_frames\":%" PRIu64
			",\"rx_bytes\":%" PRIu64 ",\"rx_lost\":%" PRIu64
			",\"rx_overrun\":%" PRIu64 "}",
			rs->tx_frames, rs->tx_bytes, rs->rejected,
			rs->rx_frames, rs->rx_bytes, rs->rx_lost,
			rs->rx_overrun);
	}
	fputs("]}\n", out);
}
