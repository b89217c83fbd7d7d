# libpawlink: every .c under userspace/lib/
LIB_SRCS += $(sort $(wildcard userspace/lib/*.c userspace/lib/*/*.c))
