// SPDX-License-Identifier: GPL-2.0
/*
 * The façade's context (libpawlink.h): open with no transport, attach
 * one when a toy must be reached, close; at the top of the façade.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "libpawlink_priv.h"

int pawlink_open(struct pawlink **out, const char *store_dir, char *err,
		 size_t err_len)
{
	struct pawlink *p;

	*out = NULL;
	if (store_dir && (!store_dir[0] || strlen(store_dir) >= PATH_MAX)) {
		pawlink_errf(err, err_len, "invalid key store path");
		return -EINVAL;
	}
	if (sodium_init() < 0) {
		pawlink_errf(err, err_len, "libsodium could not start");
		return -EIO;
	}
	/*
	 * The host's secret key lives in here: sodium_malloc() keeps it out
	 * of core dumps (MADV_DONTDUMP), locks it in RAM where allowed (an
	 * mlock refused for RLIMIT_MEMLOCK is ignored) and fences it with
	 * guard pages.
	 */
	p = sodium_malloc(sizeof(*p));
	if (p)
		memset(p, 0, sizeof(*p));
	if (!p) {
		pawlink_errf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	if (store_dir)
		snprintf(p->store_dir, sizeof(p->store_dir), "%s", store_dir);
	*out = p;
	return 0;
}

int pawlink_attach_transport(struct pawlink *p, struct pawlink_transport *t)
{
	if (p->t)
		return pawlink_fail(p, -EISCONN,
				    "a way to reach toys is attached already");
	p->t = t;
	p->own_transport = false;
	return 0;
}

int pawlink_open_transport(struct pawlink **out, struct pawlink_transport *t,
			   const char *store_dir, char *err, size_t err_len)
{
	int rc = pawlink_open(out, store_dir, err, err_len);

	if (rc)
		return rc;
	if (!t) {
		pawlink_close(*out);
		*out = NULL;
		pawlink_errf(err, err_len, "no transport to reach a toy");
		return -EINVAL;
	}
	return pawlink_attach_transport(*out, t);
}

int pawlink_attach_air(struct pawlink *p, const char *socket_path)
{
	struct pawlink_transport *t;
	int rc;

	if (p->t)
		return pawlink_fail(p, -EISCONN,
				    "a way to reach toys is attached already");
	rc = pawlink_transport_air_join(&t, socket_path);
	if (rc)
		return pawlink_fail(p, rc,
				    "cannot join the air at '%s': %s (is pawsim air running there?)",
				    socket_path, strerror(-rc));
	p->t = t;
	p->own_transport = true;
	return 0;
}

bool pawlink_attached(const struct pawlink *p)
{
	return p->t;
}

void pawlink_close(struct pawlink *p)
{
	if (!p)
		return;
	if (p->t)
		pawlink_disconnect(p);
	if (p->own_transport)
		pawlink_transport_close(p->t);
	if (p->store_open)
		pawlink_keystore_close(&p->ks);
	pawlink_host_identity_wipe(&p->host);
	sodium_free(p);		/* wipes it */
}

/*
 * Our toys beacon private ids (beacon_id.h): each that resolves is shown
 * by its identity id, once, so it reads as the toy paired here.
 */
static void resolve_beacons(struct pawlink *p, struct pawlink_beacon *b,
			    size_t *n)
{
	struct pawlink_toy_record toy;
	size_t i, j, kept = 0;

	for (i = 0; i < *n; i++) {
		if (pawlink_store_resolve(p, b[i].toy_id, &toy) == 0)
			memcpy(b[i].toy_id, toy.id, PAWLINK_ID_LEN);
		sodium_memzero(&toy, sizeof(toy));
		for (j = 0; j < kept; j++)
			if (!memcmp(b[j].toy_id, b[i].toy_id, PAWLINK_ID_LEN))
				break;
		if (j == kept)
			b[kept++] = b[i];
	}
	*n = kept;
}

int pawlink_scan(struct pawlink *p, unsigned int listen_ms,
		 struct pawlink_beacon *out, size_t max, size_t *n)
{
	int rc = pawlink_need_transport(p);

	*n = 0;
	if (rc)
		return rc;
	rc = p->t->ops->scan(p->t, listen_ms, out, max, n);
	if (rc)
		return pawlink_fail(p, rc, "scanning failed: %s",
				    pawlink_link_error(rc));
	resolve_beacons(p, out, n);
	return 0;
}

int pawlink_link_stats(struct pawlink *p, struct pawlink_stats *st,
		       size_t size)
{
	struct pawlink_stats all;
	size_t known = sizeof(all);
	int rc;

	if (!st || size < PAWLINK_STATS_SIZE_V1)
		return pawlink_fail(p, -EINVAL, "the counters need at least "
				    "%d bytes, not %zu", PAWLINK_STATS_SIZE_V1,
				    st ? size : 0);
	rc = pawlink_need_transport(p);
	if (rc)
		return rc;
	/* What the transport does not fill (an older kernel) reads 0. */
	memset(&all, 0, sizeof(all));
	rc = p->t->ops->get_stats(p->t, &all);
	if (rc)
		return pawlink_fail(p, rc, "no link counters: %s",
				    pawlink_link_error(rc));
	if (size < known)
		known = size;
	memcpy(st, &all, known);
	/* A caller's header newer than ours: its new fields read 0. */
	memset((uint8_t *)st + known, 0, size - known);
	return 0;
}
