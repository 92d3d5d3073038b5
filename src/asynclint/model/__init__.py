"""The one model of a module: what its names hold and what its code does.

Built once per module with Python's own parser (`build`), kept as JSON
between runs (`facts`), and asked through one resolver (`resolve`) by the
first look and by the libcst rules alike; see docs/architecture.md.
"""
