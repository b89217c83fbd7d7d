// SPDX-License-Identifier: GPL-2.0
/* The air's counters as JSON; the field names are in Documentation/air.rst. */
#include "air_json.h"
#include "json_out.h"
#include "bytes.h"

void air_stats_print_json(FILE *out, const struct air_stats *st)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *radios = json_object_new_array();
	char hex[2 * PAWLINK_ID_LEN + 1];
	uint32_t i;

	if (!doc || !radios) {
		json_object_put(radios);
		pawsim_json_print(out, doc);
		return;
	}
	pawsim_json_u64(doc, "now_ns", st->now_ns);
	pawsim_json_u64(doc, "rate_bps", st->rate_bps);
	pawsim_json_u64(doc, "latency_ns", st->latency_ns);
	pawsim_json_u64(doc, "loss_ppm", st->loss_ppm);
	pawsim_json_u64(doc, "frames", st->frames);
	pawsim_json_u64(doc, "bytes", st->bytes);
	pawsim_json_u64(doc, "busy_ns", st->busy_ns);
	pawsim_json_u64(doc, "delivered", st->delivered);
	pawsim_json_u64(doc, "lost", st->lost);
	pawsim_json_u64(doc, "overrun", st->overrun);
	pawsim_json_u64(doc, "rejected", st->rejected);
	pawsim_json_u64(doc, "joined", st->joined);
	for (i = 0; i < st->nradios && i < AIR_RADIOS_MAX; i++) {
		const struct air_radio_stats *rs = &st->radio[i];
		struct json_object *r = json_object_new_object();

		if (!r)
			break;
		pawlink_hex_encode(hex, rs->id, PAWLINK_ID_LEN);
		pawsim_json_u64(r, "index", rs->index);
		json_object_object_add(r, "id", json_object_new_string(hex));
		pawsim_json_u64(r, "tx_frames", rs->tx_frames);
		pawsim_json_u64(r, "tx_bytes", rs->tx_bytes);
		pawsim_json_u64(r, "rejected", rs->rejected);
		pawsim_json_u64(r, "rx_frames", rs->rx_frames);
		pawsim_json_u64(r, "rx_bytes", rs->rx_bytes);
		pawsim_json_u64(r, "rx_lost", rs->rx_lost);
		pawsim_json_u64(r, "rx_overrun", rs->rx_overrun);
		json_object_array_add(radios, r);
	}
	json_object_object_add(doc, "radios", radios);
	pawsim_json_print(out, doc);
}
