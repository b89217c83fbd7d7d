// SPDX-License-Identifier: GPL-2.0
/*
 * Session setup: message codecs for INIT/RESP/REJECT, the Noise KK run on
 * each side, and the derivation of the record keys from Noise's split keys.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "noise.h"
#include "session.h"
#include "bytes.h"
#include "byteorder.h"

_Static_assert(sizeof(struct pawlink_sess_hdr) == PAWLINK_SESS_HDR_LEN,
	       "session header layout");
_Static_assert(sizeof(struct pawlink_sess_msg) == PAWLINK_SESS_MSG_LEN,
	       "session message layout");
_Static_assert(sizeof(struct pawlink_sess_init) == PAWLINK_SESS_INIT_LEN,
	       "session INIT layout");
_Static_assert(PAWLINK_SESS_MSG_LEN ==
	       PAWLINK_SESS_HDR_LEN + NOISE_KK_MSG_OVERHEAD,
	       "RESP carries an empty Noise payload");
_Static_assert(PAWLINK_SESS_INIT_LEN ==
	       PAWLINK_SESS_INIT_HDR_LEN + NOISE_KK_MSG_OVERHEAD +
	       PAWLINK_SESS_MAC1_LEN, "INIT carries an empty Noise payload");

#define SESS_PROLOGUE_LABEL_LEN	(sizeof(PAWLINK_SESS_PROLOGUE) - 1)
#define SESS_PROLOGUE_LEN \
	(SESS_PROLOGUE_LABEL_LEN + PAWLINK_SESS_INIT_HDR_LEN)
#define SESS_MAC1_OFF		(PAWLINK_SESS_INIT_LEN - PAWLINK_SESS_MAC1_LEN)

/* HKDF info labels (Documentation/session.rst, "Record keys"). */
static const char label_h2t_ctrl[] = "pawlink v1 record h2t ctrl";
static const char label_h2t_audio[] = "pawlink v1 record h2t audio";
static const char label_t2h_ctrl[] = "pawlink v1 record t2h ctrl";
static const char label_t2h_audio[] = "pawlink v1 record t2h audio";

/* ---- codecs ------------------------------------------------------------- */

static void sess_put_hdr(uint8_t out[PAWLINK_SESS_HDR_LEN], uint8_t type,
			 uint8_t reason, uint32_t epoch)
{
	out[0] = type;
	out[1] = PAWLINK_SESS_VERSION;
	out[2] = reason;
	out[3] = 0;
	pawlink_store_le32(out + 4, epoch);
}

/* The prologue binds the protocol label and every cleartext INIT byte. */
static void sess_prologue(uint8_t out[SESS_PROLOGUE_LEN],
			  const uint8_t init_hdr[PAWLINK_SESS_INIT_HDR_LEN])
{
	memcpy(out, PAWLINK_SESS_PROLOGUE, SESS_PROLOGUE_LABEL_LEN);
	memcpy(out + SESS_PROLOGUE_LABEL_LEN, init_hdr,
	       PAWLINK_SESS_INIT_HDR_LEN);
}

void pawlink_session_mac1_key(uint8_t key[PAWLINK_SESS_MAC1_KEY_LEN],
			      const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, PAWLINK_SESS_MAC1_KEY_LEN);
	crypto_generichash_update(&st, (const uint8_t *)PAWLINK_SESS_MAC1_LABEL,
				  sizeof(PAWLINK_SESS_MAC1_LABEL) - 1);
	crypto_generichash_update(&st, toy_pub, PAWLINK_SESSION_KEY_LEN);
	crypto_generichash_final(&st, key, PAWLINK_SESS_MAC1_KEY_LEN);
}

/* mac1 over the INIT's first SESS_MAC1_OFF bytes. */
static void sess_mac1(uint8_t mac[PAWLINK_SESS_MAC1_LEN],
		      const uint8_t key[PAWLINK_SESS_MAC1_KEY_LEN],
		      const uint8_t *init)
{
	crypto_generichash(mac, PAWLINK_SESS_MAC1_LEN, init, SESS_MAC1_OFF,
			   key, PAWLINK_SESS_MAC1_KEY_LEN);
}

/* Writes a REJECT if it fits; *@out_len says whether one was written. */
static void sess_put_reject(uint8_t *out, size_t out_cap, size_t *out_len,
			    uint8_t reason, uint32_t epoch)
{
	if (!out || out_cap < PAWLINK_SESS_REJECT_LEN)
		return;
	sess_put_hdr(out, PAWLINK_SESS_REJECT, reason, epoch);
	*out_len = PAWLINK_SESS_REJECT_LEN;
}

/* ---- key derivation ----------------------------------------------------- */

static void sess_expand(uint8_t key[PAWLINK_KEY_LEN],
			const uint8_t prk[NOISE_HASH_LEN],
			const char *label, size_t label_len, uint32_t epoch)
{
	uint8_t info[64];

	memcpy(info, label, label_len);
	pawlink_store_le32(info + label_len, epoch);
	/* Cannot fail: 32 bytes is within HKDF's 255 * 32. */
	noise_hkdf_expand(key, PAWLINK_KEY_LEN, prk, info, label_len + 4);
}

#define SESS_EXPAND(key, prk, label, epoch) \
	sess_expand(key, prk, label, sizeof(label) - 1, epoch)

void pawlink_session_derive_keys(struct pawlink_key_install *keys,
				 const uint8_t k_h2t[NOISE_KEY_LEN],
				 const uint8_t k_t2h[NOISE_KEY_LEN],
				 const uint8_t hash[NOISE_HASH_LEN],
				 uint32_t epoch, uint32_t flags)
{
	uint8_t prk[NOISE_HASH_LEN];

	memset(keys, 0, sizeof(*keys));
	keys->version = PAWLINK_KEYS_VERSION;
	keys->flags = flags;
	keys->epoch = epoch;

	noise_hkdf_extract(prk, hash, NOISE_HASH_LEN, k_h2t, NOISE_KEY_LEN);
	SESS_EXPAND(keys->h2t_ctrl, prk, label_h2t_ctrl, epoch);
	SESS_EXPAND(keys->h2t_audio, prk, label_h2t_audio, epoch);
	noise_hkdf_extract(prk, hash, NOISE_HASH_LEN, k_t2h, NOISE_KEY_LEN);
	SESS_EXPAND(keys->t2h_ctrl, prk, label_t2h_ctrl, epoch);
	SESS_EXPAND(keys->t2h_audio, prk, label_t2h_audio, epoch);
	sodium_memzero(prk, sizeof(prk));
}

/* Split, then derive; wipes @hs and the split keys whatever happens. */
static int sess_finish_keys(struct noise_handshake *hs, bool initiator,
			    uint32_t epoch, uint32_t flags,
			    struct pawlink_session_result *res)
{
	struct noise_cipher send, recv;
	int ret;

	ret = noise_kk_split(hs, &send, &recv, res->handshake_hash);
	if (ret)
		goto out_wipe;
	pawlink_session_derive_keys(&res->keys,
				    initiator ? send.k : recv.k,
				    initiator ? recv.k : send.k,
				    res->handshake_hash, epoch, flags);
out_wipe:
	noise_cipher_wipe(&send);
	noise_cipher_wipe(&recv);
	return ret;
}

void pawlink_session_result_wipe(struct pawlink_session_result *res)
{
	sodium_memzero(res, sizeof(*res));
}

/* ---- host (initiator) --------------------------------------------------- */

void pawlink_session_host_abort(struct pawlink_session_host *host)
{
	sodium_memzero(host, sizeof(*host));
}

int pawlink_session_host_start(struct pawlink_session_host *host,
			       const uint8_t host_priv[PAWLINK_SESSION_KEY_LEN],
			       const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN],
			       uint32_t current_epoch,
			       uint8_t *msg, size_t msg_cap, size_t *msg_len)
{
	return pawlink_session_host_start_at(host, host_priv, toy_pub,
					     current_epoch, 1, msg, msg_cap,
					     msg_len);
}

int pawlink_session_host_start_at(struct pawlink_session_host *host,
				  const uint8_t host_priv[PAWLINK_SESSION_KEY_LEN],
				  const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN],
				  uint32_t current_epoch, uint64_t stamp,
				  uint8_t *msg, size_t msg_cap,
				  size_t *msg_len)
{
	uint8_t prologue[SESS_PROLOGUE_LEN];
	uint8_t mac_key[PAWLINK_SESS_MAC1_KEY_LEN];
	size_t noise_len;
	int ret;

	if (!host)
		return -EINVAL;
	pawlink_session_host_abort(host);
	if (!host_priv || !toy_pub || !msg || !msg_len)
		return -EINVAL;
	if (msg_cap < PAWLINK_SESS_INIT_LEN)
		return -ENOSPC;
	if (current_epoch == UINT32_MAX)
		return -EOVERFLOW;
	if (sodium_init() < 0)
		return -EIO;

	host->epoch = current_epoch + 1;
	host->flags = current_epoch ? PAWLINK_KEYS_REKEY : 0;
	sess_put_hdr(host->init_hdr, PAWLINK_SESS_INIT, 0, host->epoch);
	pawlink_store_le64(host->init_hdr + PAWLINK_SESS_HDR_LEN, stamp);
	sess_prologue(prologue, host->init_hdr);

	ret = noise_kk_init(&host->hs, true, prologue, sizeof(prologue),
			    host_priv, toy_pub);
	if (ret)
		goto fail_abort;
	/* Message 1 is replayable, so its payload stays empty. */
	ret = noise_kk_write_message(&host->hs, NULL, 0,
				     msg + PAWLINK_SESS_INIT_HDR_LEN,
				     NOISE_KK_MSG_OVERHEAD, &noise_len);
	if (ret)
		goto fail_abort;
	memcpy(msg, host->init_hdr, PAWLINK_SESS_INIT_HDR_LEN);
	pawlink_session_mac1_key(mac_key, toy_pub);
	sess_mac1(msg + SESS_MAC1_OFF, mac_key, msg);
	sodium_memzero(mac_key, sizeof(mac_key));
	*msg_len = PAWLINK_SESS_INIT_LEN;
	return 0;

fail_abort:
	pawlink_session_host_abort(host);
	return ret;
}

/* Checks a RESP or REJECT header against the INIT this host sent. */
static int host_check_answer(struct pawlink_session_host *host,
			     const uint8_t *msg, size_t msg_len)
{
	uint32_t epoch;

	if (msg_len < PAWLINK_SESS_HDR_LEN)
		return -EBADMSG;
	epoch = pawlink_load_le32(msg + 4);
	if (msg[0] == PAWLINK_SESS_REJECT) {
		/* Any version: a toy says which one it speaks when refusing. */
		if (msg_len != PAWLINK_SESS_REJECT_LEN || msg[3] != 0 ||
		    epoch != host->epoch)
			return -EBADMSG;
		host->rejected_reason = msg[2];
		return -ECONNREFUSED;
	}
	if (msg[0] != PAWLINK_SESS_RESP)
		return -EBADMSG;
	if (msg[1] != PAWLINK_SESS_VERSION)
		return -EPROTONOSUPPORT;
	if (msg_len != PAWLINK_SESS_MSG_LEN || msg[2] != 0 || msg[3] != 0 ||
	    epoch != host->epoch)
		return -EBADMSG;
	return 0;
}

int pawlink_session_host_finish(struct pawlink_session_host *host,
				const uint8_t *msg, size_t msg_len,
				struct pawlink_session_result *res)
{
	size_t payload_len;
	uint8_t reason;
	int ret;

	if (!host)
		return -EINVAL;
	if (!msg || !res || host->hs.state != NOISE_KK_MSG2 ||
	    !host->hs.initiator) {
		ret = -EINVAL;
		goto out_abort;
	}
	ret = host_check_answer(host, msg, msg_len);
	if (ret)
		goto out_abort;
	ret = noise_kk_read_message(&host->hs, msg + PAWLINK_SESS_HDR_LEN,
				    msg_len - PAWLINK_SESS_HDR_LEN,
				    NULL, 0, &payload_len);
	if (ret)
		goto out_abort;

	memset(res, 0, sizeof(*res));
	ret = sess_finish_keys(&host->hs, true, host->epoch, host->flags, res);
	if (ret)
		pawlink_session_result_wipe(res);
out_abort:
	reason = host->rejected_reason;
	pawlink_session_host_abort(host);
	host->rejected_reason = reason;
	return ret;
}

/* ---- toy (responder) ---------------------------------------------------- */

/* Header checks on an INIT; on failure *@reason is the REJECT to send. */
static int toy_check_init(const uint8_t *msg, size_t msg_len,
			  const uint8_t *mac1_key, uint32_t current_epoch,
			  uint8_t *reason)
{
	uint8_t mac[PAWLINK_SESS_MAC1_LEN];
	uint32_t epoch;
	bool ok;

	*reason = 0;
	if (msg_len < PAWLINK_SESS_HDR_LEN || msg[0] != PAWLINK_SESS_INIT)
		return -EBADMSG;	/* not for us: no answer */
	if (msg[1] != PAWLINK_SESS_VERSION) {
		*reason = PAWLINK_SESS_REJ_VERSION;
		return -EPROTONOSUPPORT;
	}
	epoch = pawlink_load_le32(msg + 4);
	if (msg_len != PAWLINK_SESS_INIT_LEN || msg[2] != 0 || msg[3] != 0 ||
	    epoch == 0) {
		*reason = PAWLINK_SESS_REJ_MALFORMED;
		return -EBADMSG;
	}
	/* Before any X25519: only who knows the toy's key gets further. */
	sess_mac1(mac, mac1_key, msg);
	ok = crypto_verify_16(mac, msg + SESS_MAC1_OFF) == 0;
	sodium_memzero(mac, sizeof(mac));
	if (!ok) {
		*reason = PAWLINK_SESS_REJ_AUTH;
		return -EPERM;
	}
	if (epoch <= current_epoch) {
		*reason = PAWLINK_SESS_REJ_EPOCH;
		return -ESTALE;
	}
	return 0;
}

/*
 * Runs Noise message 1 against every pinned host key and keeps the one
 * that authenticates in @found.  All keys are tried even after a match so
 * that the time taken does not say which pinned host is connecting.
 */
static int toy_find_host(struct noise_handshake *found, size_t *index,
			 const uint8_t toy_priv[PAWLINK_SESSION_KEY_LEN],
			 const uint8_t (*host_pubs)[PAWLINK_SESSION_KEY_LEN],
			 size_t n_hosts, const uint8_t *msg)
{
	uint8_t prologue[SESS_PROLOGUE_LEN];
	struct noise_handshake trial;
	uint8_t shared[NOISE_DH_LEN];
	const uint8_t *noise_msg = msg + PAWLINK_SESS_INIT_HDR_LEN;
	size_t payload_len;
	bool matched = false;
	size_t i;
	int ret;

	/*
	 * A low-order ephemeral fails every trial; find that out once, so
	 * that a corrupt pinned key is only "no match", never an abort.
	 */
	ret = noise_x25519(shared, toy_priv, noise_msg);
	sodium_memzero(shared, sizeof(shared));
	if (ret != 0)
		return -EKEYREJECTED;

	sess_prologue(prologue, msg);
	for (i = 0; i < n_hosts; i++) {
		ret = noise_kk_init(&trial, false, prologue, sizeof(prologue),
				    toy_priv, host_pubs[i]);
		if (ret == -EKEYREJECTED)
			return ret;	/* the toy's own key is unusable */
		if (!ret)
			ret = noise_kk_read_message(&trial, noise_msg,
						    NOISE_KK_MSG_OVERHEAD,
						    NULL, 0, &payload_len);
		if (!ret && !matched) {
			*found = trial;
			*index = i;
			matched = true;
		}
		noise_kk_wipe(&trial);
	}
	return matched ? 0 : -EACCES;
}

/*
 * An INIT no pinned key opens, when the toy keeps tombstones: a removed
 * host's fresh INIT is told to pair again; its replays, and INITs of
 * hosts the toy no longer remembers at all, get nothing, so a captured
 * INIT cannot tell anyone whether its host was removed.
 */
static int toy_answer_gone(const struct pawlink_session_toy_keys *k,
			   const uint8_t *msg, uint8_t *out, size_t out_cap,
			   size_t *out_len, uint32_t epoch)
{
	struct noise_handshake hs;
	size_t index = 0;
	uint64_t stamp;
	int ret;

	noise_kk_wipe(&hs);
	ret = toy_find_host(&hs, &index, k->toy_priv, k->gone_pubs, k->n_gone,
			    msg);
	noise_kk_wipe(&hs);
	if (ret)
		return ret;
	stamp = pawlink_load_le64(msg + PAWLINK_SESS_HDR_LEN);
	if (k->gone_stamps && stamp <= k->gone_stamps[index])
		return -EALREADY;
	sess_put_reject(out, out_cap, out_len, PAWLINK_SESS_REJ_AUTH, epoch);
	return -EACCES;
}

int pawlink_session_toy_answer(const struct pawlink_session_toy_keys *k,
			       uint32_t current_epoch,
			       const uint8_t *msg, size_t msg_len,
			       uint8_t *out, size_t out_cap, size_t *out_len,
			       struct pawlink_session_result *res)
{
	struct noise_handshake hs;
	size_t index = 0;
	size_t noise_len;
	uint32_t epoch = 0;
	uint64_t stamp;
	uint8_t reason;
	int ret;

	if (!out_len)
		return -EINVAL;
	*out_len = 0;
	if (!k || !k->toy_priv || !k->mac1_key ||
	    (k->n_hosts && !k->host_pubs) || !msg || !out || !res)
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;

	ret = toy_check_init(msg, msg_len, k->mac1_key, current_epoch,
			     &reason);
	if (msg_len >= PAWLINK_SESS_HDR_LEN)
		epoch = pawlink_load_le32(msg + 4);
	if (ret)
		goto fail_reject;
	if (out_cap < PAWLINK_SESS_MSG_LEN)
		return -ENOSPC;

	noise_kk_wipe(&hs);
	ret = toy_find_host(&hs, &index, k->toy_priv, k->host_pubs,
			    k->n_hosts, msg);
	if (ret == -EACCES && k->gone_pubs)
		return toy_answer_gone(k, msg, out, out_cap, out_len, epoch);
	if (ret) {
		reason = PAWLINK_SESS_REJ_AUTH;
		goto fail_reject;
	}
	/* Authentic, but not newer than what this host sent: a replay. */
	stamp = pawlink_load_le64(msg + PAWLINK_SESS_HDR_LEN);
	if (k->host_stamps && stamp <= k->host_stamps[index]) {
		ret = -EALREADY;
		goto fail_wipe;
	}
	ret = noise_kk_write_message(&hs, NULL, 0, out + PAWLINK_SESS_HDR_LEN,
				     out_cap - PAWLINK_SESS_HDR_LEN,
				     &noise_len);
	if (ret)
		goto fail_wipe;
	memset(res, 0, sizeof(*res));
	ret = sess_finish_keys(&hs, false, epoch,
			       current_epoch ? PAWLINK_KEYS_REKEY : 0, res);
	if (ret) {
		pawlink_session_result_wipe(res);
		goto fail_wipe;
	}
	res->host_index = index;
	res->stamp = stamp;
	sess_put_hdr(out, PAWLINK_SESS_RESP, 0, epoch);
	*out_len = PAWLINK_SESS_HDR_LEN + noise_len;
	return 0;

fail_wipe:
	noise_kk_wipe(&hs);
	return ret;
fail_reject:
	if (reason)
		sess_put_reject(out, out_cap, out_len, reason, epoch);
	return ret;
}

int pawlink_session_toy_respond(const uint8_t toy_priv[PAWLINK_SESSION_KEY_LEN],
				const uint8_t (*host_pubs)[PAWLINK_SESSION_KEY_LEN],
				size_t n_hosts, uint32_t current_epoch,
				const uint8_t *msg, size_t msg_len,
				uint8_t *out, size_t out_cap, size_t *out_len,
				struct pawlink_session_result *res)
{
	struct pawlink_session_toy_keys k = {
		.toy_priv = toy_priv,
		.host_pubs = host_pubs,
		.n_hosts = n_hosts,
	};
	uint8_t pub[PAWLINK_SESSION_KEY_LEN];
	uint8_t mac_key[PAWLINK_SESS_MAC1_KEY_LEN];
	int ret;

	if (!out_len)
		return -EINVAL;
	*out_len = 0;
	if (!toy_priv)
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	if (noise_x25519_base(pub, toy_priv) != 0)
		return -EKEYREJECTED;
	pawlink_session_mac1_key(mac_key, pub);
	k.mac1_key = mac_key;
	ret = pawlink_session_toy_answer(&k, current_epoch, msg, msg_len, out,
					 out_cap, out_len, res);
	sodium_memzero(mac_key, sizeof(mac_key));
	return ret;
}
