# proto: both halves of every protocol, crypto and the wire codecs.
PROTO_SRCS := $(sort $(wildcard userspace/proto/*.c))
