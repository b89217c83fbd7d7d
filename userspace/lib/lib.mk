# libpawlink: the façade, its transports, the key store, audio conversion.
LIB_SRCS := $(sort $(wildcard userspace/lib/*.c))
