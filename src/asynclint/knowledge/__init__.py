"""Data about libraries, kept out of rule logic: what blocks, what is a
coroutine, what type a call returns. One module per library family."""
