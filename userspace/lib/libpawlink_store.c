// SPDX-License-Identifier: GPL-2.0
/*
 * The key store through the façade (libpawlink.h): the toys this host is
 * paired with, their names, and this host's identity (forgetting a toy,
 * which may need the toy, is with the sessions).
 * None of it needs a toy.  The store is opened when first needed, and
 * only pairing or a session creates it: looking at a store that does not
 * exist yet finds nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "beacon_id.h"
#include "libpawlink_priv.h"
#include "setup_code.h"

int pawlink_need_store(struct pawlink *p, bool create)
{
	char dir[PATH_MAX];
	struct stat st;
	int rc;

	if (p->store_open)
		return 0;
	if (p->store_dir[0])
		snprintf(dir, sizeof(dir), "%s", p->store_dir);
	else if (pawlink_keystore_default_dir(dir, sizeof(dir), p->err,
					      sizeof(p->err)))
		return -EIO;
	if (!create && lstat(dir, &st) != 0 && errno == ENOENT)
		return -ENOENT;
	rc = pawlink_keystore_open(&p->ks, dir, p->err, sizeof(p->err));
	if (rc)
		return rc;
	p->store_open = true;
	return 0;
}

int pawlink_need_host(struct pawlink *p)
{
	int rc;

	if (p->have_host)
		return 0;
	rc = pawlink_need_store(p, true);
	if (rc)
		return rc;
	rc = pawlink_keystore_host_load(&p->ks, &p->host, p->err,
					sizeof(p->err));
	if (rc == -ENOENT)
		rc = pawlink_keystore_host_create(&p->ks, &p->host, p->err,
						  sizeof(p->err));
	if (rc)
		return rc;
	p->have_host = true;
	return 0;
}

int pawlink_host_id(struct pawlink *p, uint8_t id[PAWLINK_ID_LEN])
{
	int rc = pawlink_need_host(p);

	if (rc)
		return rc;
	memcpy(id, p->host.id, PAWLINK_ID_LEN);
	return 0;
}

static void toy_from_record(struct pawlink_toy *toy,
			    const struct pawlink_toy_record *rec)
{
	memcpy(toy->id, rec->id, PAWLINK_ID_LEN);
	snprintf(toy->name, sizeof(toy->name), "%s", rec->name);
}

struct toy_list {
	struct pawlink_toy *toys;
	size_t n;
};

static int collect(const struct pawlink_toy_record *rec, void *ctx)
{
	struct toy_list *l = ctx;
	struct pawlink_toy *grown;

	grown = realloc(l->toys, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	l->toys = grown;
	toy_from_record(&l->toys[l->n++], rec);
	return 0;
}

int pawlink_toys(struct pawlink *p, struct pawlink_toy **out, size_t *n)
{
	struct toy_list l = { .toys = NULL };
	int rc;

	*out = NULL;
	*n = 0;
	rc = pawlink_need_store(p, false);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	rc = pawlink_keystore_toy_list(&p->ks, collect, &l, p->err,
				       sizeof(p->err));
	if (rc) {
		free(l.toys);
		if (rc == -ENOMEM)
			return pawlink_fail(p, rc, "out of memory");
		return rc;
	}
	*out = l.toys;
	*n = l.n;
	return 0;
}

/* The paired toy @id, -ENOENT (with the sentence) if there is none. */
static int find_id(struct pawlink *p, const uint8_t id[PAWLINK_ID_LEN],
		   struct pawlink_toy *out)
{
	struct pawlink_toy_record rec;
	char hex[PAWLINK_TOY_HEX_LEN + 1];
	int rc;

	rc = pawlink_need_store(p, false);
	if (rc == 0)
		rc = pawlink_keystore_toy_load(&p->ks, id, &rec, p->err,
					       sizeof(p->err));
	if (rc == -ENOENT) {
		pawlink_toy_id_hex(hex, id);
		return pawlink_fail(p, rc,
				    "toy %s is not paired with this host", hex);
	}
	if (rc)
		return rc;
	toy_from_record(out, &rec);
	sodium_memzero(&rec, sizeof(rec));
	return 0;
}

struct name_match {
	const char *name;
	const uint8_t *skip;		/* a toy not to count, or NULL */
	struct pawlink_toy found;
	unsigned int n;
};

static int match_name(const struct pawlink_toy_record *rec, void *ctx)
{
	struct name_match *m = ctx;

	if (strcmp(rec->name, m->name) != 0)
		return 0;
	if (m->skip && !memcmp(rec->id, m->skip, PAWLINK_ID_LEN))
		return 0;
	toy_from_record(&m->found, rec);
	m->n++;
	return 0;
}

/* Counts the paired toys called @m->name (none if there is no store). */
static int match_names(struct pawlink *p, struct name_match *m)
{
	int rc = pawlink_need_store(p, false);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	return pawlink_keystore_toy_list(&p->ks, match_name, m, p->err,
					 sizeof(p->err));
}

int pawlink_toy_find(struct pawlink *p, const char *text,
		     struct pawlink_toy *out)
{
	struct name_match m = { .name = text };
	uint8_t id[PAWLINK_ID_LEN];
	int rc;

	if (!text[0])
		return pawlink_fail(p, -EINVAL, "an empty name names no toy");
	if (pawlink_toy_id_parse(id, text) == 0)
		return find_id(p, id, out);
	rc = match_names(p, &m);
	if (rc)
		return rc;
	if (m.n == 0)
		return pawlink_fail(p, -ENOENT,
				    "no paired toy is called '%.64s'", text);
	if (m.n > 1)
		return pawlink_fail(p, -ENOTUNIQ,
				    "%u paired toys are called '%.64s'", m.n,
				    text);
	*out = m.found;
	return 0;
}

int pawlink_toy_name_check(struct pawlink *p, const char *name,
			   const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct name_match m = { .name = name, .skip = toy_id };
	char hex[PAWLINK_TOY_HEX_LEN + 1];
	uint8_t as_id[PAWLINK_ID_LEN];
	int rc;

	if (!name[0])
		return 0;
	if (!pawlink_keystore_name_ok(name))
		return pawlink_fail(p, -EINVAL,
				    "a toy's name is 1 to %d printable characters",
				    PAWLINK_TOY_NAME_MAX);
	if (pawlink_toy_id_parse(as_id, name) == 0)
		return pawlink_fail(p, -EINVAL,
				    "the name '%s' would read as a toy id; choose one that is not 16 hex digits",
				    name);
	rc = match_names(p, &m);
	if (rc)
		return rc;
	if (m.n) {
		pawlink_toy_id_hex(hex, m.found.id);
		return pawlink_fail(p, -EEXIST,
				    "toy %s is already called '%s'; choose another name",
				    hex, name);
	}
	return 0;
}

int pawlink_setup_code_check(struct pawlink *p, const char *text)
{
	struct pawlink_setup_code code;
	const char *why = NULL;

	if (pawlink_setup_code_parse(&code, text, &why))
		return pawlink_fail(p, -EINVAL, "setup code: %s", why);
	pawlink_setup_code_wipe(&code);
	return 0;
}

/* ---- private beacon ids (beacon_id.h) ---- */

struct resolve_ctx {
	const uint8_t *id;
	struct pawlink_toy_record *out;
	bool found;
};

static int resolve_one(const struct pawlink_toy_record *toy, void *ctx)
{
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];
	struct resolve_ctx *r = ctx;

	if (r->found)
		return 0;
	pawlink_beacon_irk(irk, toy->static_key);
	if (memcmp(r->id, toy->id, PAWLINK_ID_LEN) == 0 ||
	    pawlink_beacon_id_resolves(r->id, irk)) {
		*r->out = *toy;
		r->found = true;
	}
	sodium_memzero(irk, sizeof(irk));
	return 0;
}

int pawlink_store_resolve(struct pawlink *p, const uint8_t id[PAWLINK_ID_LEN],
			  struct pawlink_toy_record *toy)
{
	struct resolve_ctx r = { .id = id, .out = toy };

	if (pawlink_need_store(p, false))
		return -ENOENT;
	if (pawlink_keystore_toy_list(&p->ks, resolve_one, &r, NULL, 0) ||
	    !r.found)
		return -ENOENT;
	return 0;
}

/*
 * A toy beacons every 200 ms: one listen of 250 ms usually hears it, and
 * six cover a lossy air.  Each session start pays that once.
 */
#define ADDRESS_LISTEN_MS	250
#define ADDRESS_TRIES		6

int pawlink_toy_address(struct pawlink *p,
			const struct pawlink_toy_record *toy,
			uint8_t addr[PAWLINK_ID_LEN])
{
	struct pawlink_beacon b[16];
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];
	size_t n, i;
	int try, rc = -EHOSTUNREACH;

	pawlink_beacon_irk(irk, toy->static_key);
	for (try = 0; try < ADDRESS_TRIES && rc; try++) {
		if (p->t->ops->scan(p->t, ADDRESS_LISTEN_MS, b, 16, &n))
			break;
		for (i = 0; i < n && rc; i++) {
			if (memcmp(b[i].toy_id, toy->id, PAWLINK_ID_LEN) &&
			    !pawlink_beacon_id_resolves(b[i].toy_id, irk))
				continue;
			memcpy(addr, b[i].toy_id, PAWLINK_ID_LEN);
			rc = 0;
		}
	}
	sodium_memzero(irk, sizeof(irk));
	/* Not heard: its id, so that the usual "did not answer" follows. */
	if (rc)
		memcpy(addr, toy->id, PAWLINK_ID_LEN);
	return rc;
}
