# sources of userspace/pawctl, relative to the top of the tree
