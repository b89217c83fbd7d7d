# sources of userspace/pawsim, relative to the top of the tree
