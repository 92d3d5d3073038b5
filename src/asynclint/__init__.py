"""asynclint: finds async pitfalls in asyncio and FastAPI code."""

__version__ = "0.1.0"
