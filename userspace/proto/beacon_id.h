/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resolvable private beacon ids (Documentation/air.rst "Private beacon
 * ids"): Bluetooth LE's resolvable private addresses, for the toy.
 *
 * Outside its pairing window a claimed toy beacons, and answers on the
 * air, at an id that looks random and changes at every boot and at least
 * every PAWLINK_BEACON_ROTATE_MS: 4 random bytes, then the first 4 bytes
 * of BLAKE2b-256 keyed by the toy's resolving key over them.  Only a
 * holder of the resolving key links two ids to one toy.
 *
 * The resolving key is derived from the toy's static public key, which
 * leaves the toy only sealed in pairing (RESPONSE) and is kept by paired
 * hosts as their pin: every paired host has it, nobody else does, and a
 * factory reset (a new static key) changes it.
 */
#ifndef PAWLINK_BEACON_ID_H
#define PAWLINK_BEACON_ID_H

#include <stdbool.h>
#include <stdint.h>

#include <pawlink/pairing.h>

#define PAWLINK_BEACON_IRK_LEN		32
#define PAWLINK_BEACON_IRK_LABEL	"pawlink beacon irk v1"
/* A toy's private id changes at least this often (and at every boot). */
#define PAWLINK_BEACON_ROTATE_MS	(15u * 60u * 1000u)

/* The resolving key of the toy whose static public key is @toy_static. */
void pawlink_beacon_irk(uint8_t irk[PAWLINK_BEACON_IRK_LEN],
			const uint8_t toy_static[PAWLINK_PAIR_STATIC_LEN]);

/*
 * A private id from @irk and 4 random bytes @prand.  -EAGAIN when the
 * result is not a usable radio id (zero, broadcast, or @avoid, the toy's
 * identity id): draw new random bytes.
 */
int pawlink_beacon_id_make(uint8_t id[PAWLINK_ID_LEN],
			   const uint8_t irk[PAWLINK_BEACON_IRK_LEN],
			   const uint8_t prand[4],
			   const uint8_t avoid[PAWLINK_ID_LEN]);

/* Whether @id is a private id made with @irk (constant time). */
bool pawlink_beacon_id_resolves(const uint8_t id[PAWLINK_ID_LEN],
				const uint8_t irk[PAWLINK_BEACON_IRK_LEN]);

#endif /* PAWLINK_BEACON_ID_H */
