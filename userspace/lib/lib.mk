# sources of userspace/lib, relative to the top of the tree
