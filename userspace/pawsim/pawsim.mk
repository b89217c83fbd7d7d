# pawsim: every .c under userspace/pawsim/
PAWSIM_SRCS += $(sort $(wildcard userspace/pawsim/*.c userspace/pawsim/*/*.c))
