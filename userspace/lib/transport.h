/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How libpawlink's façade (libpawlink.h) reaches a toy: one interface, one
 * backend per path, side by side.
 *
 *  - transport_air.c: the userspace air path (tests, pawsim demos).  A
 *    radio on the simulated air (radio.h) stands in for the dongle, and
 *    libpawlink's own record layer (record_layer.h) seals and opens frames.
 *  - transport_dev.c: the kernel path, /dev/pawlinkN.  The dongle relays,
 *    and pawlink.ko seals and opens once PAWLINK_IOC_SET_KEYS installed
 *    the keys; audio goes through the driver's sound card, not here.
 *  - transport_usb.c: the libusb path, a dongle no driver has bound.  The
 *    dongle relays, and libpawlink's record layer seals and opens, as on
 *    the air; the microphone is read here, there is no sound card.
 *
 * So the operations are the driver's, not the record layer's: the façade
 * never sees a sealed record.  It sends and receives *control frames*
 * (the plaintext of one record, at most PAWLINK_FRAME_MAX bytes); before
 * set_keys they travel as PAWLINK_CH_PLAIN records (pairing and session
 * handshakes), after it as sealed PAWLINK_CH_CTRL records, and a keyed
 * transport drops and counts plaintext from the toy, as the kernel does.
 * disconnect() ends the session: keys are wiped, plaintext is back.
 *
 * Every operation returns 0 or a negative errno; none of them logs or
 * returns key material.  A transport is used by one thread at a time.
 */
#ifndef PAWLINK_TRANSPORT_H
#define PAWLINK_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <linux/pawlink.h>

struct pawlink_transport;
struct radio;

struct pawlink_transport_ops {
	/* Which path, for sentences: "air", "kernel" or "usb". */
	const char *kind;
	/*
	 * Beacons heard during the next @listen_ms (the kernel path: what
	 * the dongle heard), one per toy, at most @max; *@n is the count.
	 */
	int (*scan)(struct pawlink_transport *t, unsigned int listen_ms,
		    struct pawlink_beacon *out, size_t max, size_t *n);
	/* Talks to @toy_id from now on.  -EISCONN while keyed. */
	int (*connect)(struct pawlink_transport *t,
		       const uint8_t toy_id[PAWLINK_ID_LEN]);
	/* Ends the session: wipes the keys, forgets the toy. */
	int (*disconnect)(struct pawlink_transport *t);
	/*
	 * Installs the record keys of a completed session handshake (as
	 * PAWLINK_IOC_SET_KEYS): every later frame is sealed.  -EINVAL for
	 * keys the install rules refuse (record-layer.rst).  The caller
	 * wipes its copy.
	 */
	int (*set_keys)(struct pawlink_transport *t,
			const struct pawlink_key_install *keys);
	/* One control frame to the connected toy.  -ENOTCONN if none. */
	int (*send)(struct pawlink_transport *t, const uint8_t *frame,
		    size_t len);
	/*
	 * The next control frame from the connected toy, waiting up to
	 * @timeout_ms (0: just look).  -ETIMEDOUT; the path gone: -EPIPE
	 * (the air) or -ENODEV (the dongle); -EHOSTUNREACH when the dongle
	 * lost the toy; -EMSGSIZE if @cap is too small (the frame stays).
	 */
	int (*recv)(struct pawlink_transport *t, uint8_t *frame, size_t cap,
		    size_t *len, int timeout_ms);
	/*
	 * Audio, PAWLINK_AUDIO_PERIOD_FRAMES samples per call, keyed only.
	 * NULL where audio goes another way (the kernel path: ALSA).
	 * recv_audio: -ETIMEDOUT when none came in @timeout_ms.
	 */
	int (*send_audio)(struct pawlink_transport *t, const int16_t *pcm);
	int (*recv_audio)(struct pawlink_transport *t, int16_t *pcm,
			  int timeout_ms);
	/* The counters, as the driver keeps them. */
	int (*get_stats)(struct pawlink_transport *t, struct pawlink_stats *st);
	/* The path's clock in µs, which timeouts use (virtual in tests). */
	uint64_t (*now_us)(struct pawlink_transport *t);
	/* Whether keys are installed. */
	bool (*keyed)(struct pawlink_transport *t);
	/*
	 * A session that outlives the process, where the keys live in the
	 * kernel (NULL elsewhere).  keep(): on close, leave the link and the
	 * keys this transport installed to the driver (-ENOTCONN if none).
	 * resume(): take over the session the driver holds, whoever
	 * installed it, and say with which toy; -ENOTCONN if it holds none.
	 */
	int (*keep)(struct pawlink_transport *t);
	int (*resume)(struct pawlink_transport *t,
		      uint8_t toy_id[PAWLINK_ID_LEN]);
	void (*close)(struct pawlink_transport *t);
};

struct pawlink_transport {
	const struct pawlink_transport_ops *ops;
};

/*
 * The air backend over radio @r, which it takes over (closing it on
 * close).  Its radio id is random, as a dongle's would be: nothing on the
 * air names the host.  0, -ENOMEM, or the radio's error.
 */
int pawlink_transport_air_new(struct pawlink_transport **out, struct radio *r);
/* The same, joining the `pawsim air` listening at @socket_path. */
int pawlink_transport_air_join(struct pawlink_transport **out,
			       const char *socket_path);

/*
 * The kernel backend on the dongle node @path (/dev/pawlinkN), held for
 * this process alone (an advisory lock: another libpawlink user gets
 * -EBUSY).  -errno of open(2) (-ENOENT, -EACCES, ...), -ENOTTY when @path
 * is not a pawlink dongle, -ENODEV when it is gone, -ENOMEM.
 */
int pawlink_transport_dev_open(struct pawlink_transport **out,
			       const char *path);

/*
 * The libusb backend (transport_usb.c) on the dongle at usbfs node @path
 * (/dev/bus/usb/BBB/DDD) that no kernel driver has bound: its interface
 * claimed for this process (another gets -EBUSY).  -ENOENT no device
 * there, -ENOTTY not a pawlink dongle, -EPROTO a pawlink dongle whose
 * interface or GET_INFO the driver would refuse at probe, -EOPNOTSUPP a
 * kernel driver has it (never detached here), -EACCES no permission,
 * -ENODEV gone, -ENOMEM.
 */
int pawlink_transport_usb_open(struct pawlink_transport **out,
			       const char *path);

struct pawlink_dongle;
/*
 * The pawlink dongles no kernel driver has bound, found through libusb,
 * by bus and address: *@out is new (free() it).  0 or -ENOMEM.
 */
int pawlink_transport_usb_list(struct pawlink_dongle **out, size_t *n);

/*
 * The dongles pawlink.ko has bound, from sysfs under @root (NULL:
 * /sys/bus/usb/drivers/pawlink), by node number: *@out is new (free()
 * it).  No driver loaded is no dongle.  0 or -ENOMEM.
 */
int pawlink_transport_dev_list(const char *root, struct pawlink_dongle **out,
			       size_t *n);

/*
 * Attaches @t to @p; @t stays the caller's (close it after
 * pawlink_close()).  For tests and tools that build their own transport,
 * such as one on an in-process air; not exported by libpawlink.so.
 * -EISCONN if one is attached already.
 */
struct pawlink;
int pawlink_attach_transport(struct pawlink *p, struct pawlink_transport *t);
/* pawlink_open(), then pawlink_attach_transport(). */
int pawlink_open_transport(struct pawlink **out, struct pawlink_transport *t,
			   const char *store_dir, char *err, size_t err_len);

static inline void pawlink_transport_close(struct pawlink_transport *t)
{
	if (t)
		t->ops->close(t);
}

/*
 * The host's CLOCK_MONOTONIC in microseconds: the now_us of a transport to
 * a dongle on this machine (kernel or libusb path), whose time is ours.
 */
static inline uint64_t transport_monotonic_us(struct pawlink_transport *t)
{
	struct timespec ts;

	(void)t;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

#endif /* PAWLINK_TRANSPORT_H */
