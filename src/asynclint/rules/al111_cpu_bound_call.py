"""AL111: password hashing or key derivation in async context."""

from __future__ import annotations

from asynclint.rules._blocking import BlockingCallRule, ChainRule, may_reach_blocking


class CpuBoundCall(BlockingCallRule, ChainRule):
    """
    ## What it does
    Flags password hashing and key derivation inside an `async def`:
    `bcrypt.hashpw/checkpw/kdf`, passlib's `CryptContext.hash/verify` and
    its handlers (`passlib.hash.bcrypt.hash(...)`), argon2's
    `PasswordHasher.hash/verify`, pwdlib's `PasswordHash.hash/verify`,
    `hashlib.pbkdf2_hmac/scrypt`, and Werkzeug's and Django's password
    helpers. Also a call of a sync project function that reaches one
    through its own calls, as AL109 follows them
    (`verify_password(...)` in a login endpoint), with the chain in the
    message. The call handed, uncalled, to `asyncio.to_thread` is not
    flagged, nor are sync functions.

    ## Why is this bad?
    A password hash is slow on purpose: its work factor is tuned to take
    100-300 ms of CPU. Computed on the event loop, every login stalls every
    other request for that long, and a burst of logins stalls the server
    for seconds. bcrypt, argon2 and hashlib release the GIL while they
    compute, so in a worker thread they run beside the loop.

    ## Example
    ```python
    import bcrypt

    def verify_password(password: str, hashed: bytes) -> bool:
        return bcrypt.checkpw(password.encode(), hashed)

    async def login(password: str, hashed: bytes):
        return verify_password(password, hashed)
    ```

    ## Use instead
    ```python
    import asyncio

    import bcrypt

    def verify_password(password: str, hashed: bytes) -> bool:
        return bcrypt.checkpw(password.encode(), hashed)

    async def login(password: str, hashed: bytes):
        return await asyncio.to_thread(verify_password, password, hashed)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL111"
    name = "cpu-bound-call"
    summary = "password hashing or key derivation in async context"
    verb = "is CPU-bound work (a password hash takes 100 ms or more) that holds the event loop"

    consequence = "CPU-bound work that holds the event loop; run it with `await {to_thread}(...)`"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        return facts.may_match(lookups.callees(cls.calls), cls.calls) or may_reach_blocking(facts, lookups)

    def reports_chain_to(self, code: str | None) -> bool:
        return code == self.code
