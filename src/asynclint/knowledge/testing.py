"""What test code says about the exceptions it expects."""

from __future__ import annotations

# Context managers whose block is expected to raise: code in it fails on purpose.
EXPECTED_ERROR_CONTEXTS: frozenset[str] = frozenset({"pytest.raises"})

# unittest's spellings of the same, called on the test case.
EXPECTED_ERROR_METHODS: frozenset[str] = frozenset({"assertRaises", "assertRaisesRegex"})
