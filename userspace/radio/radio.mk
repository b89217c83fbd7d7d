# radio: a radio on the simulated air (the socket client every air user joins through).
RADIO_SRCS := $(sort $(wildcard userspace/radio/*.c))
