# pawctl: every .c under userspace/pawctl/
PAWCTL_SRCS += $(sort $(wildcard userspace/pawctl/*.c))
