# sim: what only simulators and tests use (air medium, in-process air,
# capture, the toy's message store, the toy firmware core).
SIM_SRCS := $(sort $(wildcard userspace/sim/*.c userspace/sim/toy/*.c))
