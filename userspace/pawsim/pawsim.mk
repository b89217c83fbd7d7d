# pawsim: the programs pawsim air, toy, dongle and rogue
PAWSIM_SRCS += $(sort $(wildcard userspace/pawsim/*.c))
