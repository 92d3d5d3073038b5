"""Password hashing and key derivation (AL111): slow on purpose, a work
factor tuned to 100-300 ms a call, so they hold the loop thread that long.
bcrypt, argon2-cffi and hashlib release the GIL while they compute, so a
worker thread really runs them beside the loop."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library

_THREAD = "run it with `await {to_thread}(...)`"

# passlib's handlers (`passlib.hash.bcrypt.hash(...)`) that derive a key; the
# plain digests and plaintext handlers are cheap and not listed.
_PASSLIB_HANDLERS = (
    "bcrypt", "bcrypt_sha256", "argon2", "scrypt", "pbkdf2_sha1", "pbkdf2_sha256", "pbkdf2_sha512",
    "sha256_crypt", "sha512_crypt", "django_pbkdf2_sha256", "django_bcrypt_sha256", "django_argon2",
)


def _hashing(name: str, calls, builds=None) -> Library:
    return Library(name, builds=builds or {}, blocking=(Calls("AL111", _THREAD, tuple(calls)),))


LIBRARIES = (
    _hashing("bcrypt", (f"bcrypt.{f}" for f in ("hashpw", "checkpw", "kdf"))),
    _hashing("hashlib", (f"hashlib.{f}" for f in ("pbkdf2_hmac", "scrypt"))),
    _hashing(
        "passlib",
        (
            *(f"passlib.context.CryptContext.{m}" for m in ("hash", "verify", "verify_and_update", "encrypt")),
            *(f"passlib.hash.{h}.{m}" for h in _PASSLIB_HANDLERS for m in ("hash", "verify", "encrypt")),
        ),
        builds={"passlib.context.CryptContext": "passlib.context.CryptContext"},
    ),
    _hashing(
        "argon2-cffi",
        (
            *(f"argon2.PasswordHasher.{m}" for m in ("hash", "verify")),
            *(f"argon2.low_level.{f}" for f in ("hash_secret", "hash_secret_raw", "verify_secret")),
        ),
        builds={"argon2.PasswordHasher": "argon2.PasswordHasher"},
    ),
    _hashing(
        "pwdlib",
        (f"pwdlib.PasswordHash.{m}" for m in ("hash", "verify", "verify_and_update")),
        builds={"pwdlib.PasswordHash": "pwdlib.PasswordHash", "pwdlib.PasswordHash.recommended": "pwdlib.PasswordHash"},
    ),
    _hashing("werkzeug.security", (f"werkzeug.security.{f}" for f in ("generate_password_hash", "check_password_hash"))),
    _hashing("django.contrib.auth.hashers", (f"django.contrib.auth.hashers.{f}" for f in ("make_password", "check_password"))),
)
