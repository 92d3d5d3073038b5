"""Sleeping the thread (AL102)."""

CODE = "AL102"

BLOCKING = {
    "time.sleep": "use `await {sleep}(...)`",
}
