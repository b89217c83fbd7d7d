# sources of tests/fuzz, relative to the top of the tree
