# sources of tests/native, relative to the top of the tree
