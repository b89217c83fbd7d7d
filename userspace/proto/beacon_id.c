// SPDX-License-Identifier: GPL-2.0
/* Resolvable private beacon ids; see beacon_id.h. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "beacon_id.h"
#include "bytes.h"

void pawlink_beacon_irk(uint8_t irk[PAWLINK_BEACON_IRK_LEN],
			const uint8_t toy_static[PAWLINK_PAIR_STATIC_LEN])
{
	crypto_generichash(irk, PAWLINK_BEACON_IRK_LEN,
			   (const uint8_t *)PAWLINK_BEACON_IRK_LABEL,
			   sizeof(PAWLINK_BEACON_IRK_LABEL) - 1, toy_static,
			   PAWLINK_PAIR_STATIC_LEN);
}

/* The 4-byte tag over @prand. */
static void tag(uint8_t out[4], const uint8_t irk[PAWLINK_BEACON_IRK_LEN],
		const uint8_t prand[4])
{
	uint8_t h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), prand, 4, irk,
			   PAWLINK_BEACON_IRK_LEN);
	memcpy(out, h, 4);
	sodium_memzero(h, sizeof(h));
}

int pawlink_beacon_id_make(uint8_t id[PAWLINK_ID_LEN],
			   const uint8_t irk[PAWLINK_BEACON_IRK_LEN],
			   const uint8_t prand[4],
			   const uint8_t avoid[PAWLINK_ID_LEN])
{
	static const uint8_t bcast[PAWLINK_ID_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	memcpy(id, prand, 4);
	tag(id + 4, irk, prand);
	if (pawlink_is_zero(id, PAWLINK_ID_LEN) ||
	    memcmp(id, bcast, PAWLINK_ID_LEN) == 0 ||
	    (avoid && memcmp(id, avoid, PAWLINK_ID_LEN) == 0))
		return -EAGAIN;
	return 0;
}

bool pawlink_beacon_id_resolves(const uint8_t id[PAWLINK_ID_LEN],
				const uint8_t irk[PAWLINK_BEACON_IRK_LEN])
{
	uint8_t want[4];
	bool ok;

	tag(want, irk, id);
	ok = sodium_memcmp(want, id + 4, 4) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}
