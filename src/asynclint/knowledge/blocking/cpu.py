"""CPU-bound work: password hashing and key derivation (AL111).

These are slow on purpose (a work factor tuned to 100-300 ms a call), so
they hold the loop thread for that long. bcrypt, argon2-cffi and hashlib
release the GIL while they compute, so a worker thread really runs them
beside the loop.
"""

CODE = "AL111"

_THREAD = "run it with `await {to_thread}(...)`"

# passlib's handlers (`passlib.hash.bcrypt.hash(...)`) that derive a key; the
# plain digests and plaintext handlers are cheap and not listed.
_PASSLIB_HANDLERS = (
    "bcrypt", "bcrypt_sha256", "argon2", "scrypt", "pbkdf2_sha1", "pbkdf2_sha256", "pbkdf2_sha512",
    "sha256_crypt", "sha512_crypt", "django_pbkdf2_sha256", "django_bcrypt_sha256", "django_argon2",
)

BLOCKING = {
    **{f"bcrypt.{f}": _THREAD for f in ("hashpw", "checkpw", "kdf")},
    **{f"hashlib.{f}": _THREAD for f in ("pbkdf2_hmac", "scrypt")},
    **{f"passlib.context.CryptContext.{m}": _THREAD for m in ("hash", "verify", "verify_and_update", "encrypt")},
    **{f"passlib.hash.{h}.{m}": _THREAD for h in _PASSLIB_HANDLERS for m in ("hash", "verify", "encrypt")},
    **{f"argon2.PasswordHasher.{m}": _THREAD for m in ("hash", "verify")},
    **{f"argon2.low_level.{f}": _THREAD for f in ("hash_secret", "hash_secret_raw", "verify_secret")},
    **{f"pwdlib.PasswordHash.{m}": _THREAD for m in ("hash", "verify", "verify_and_update")},
    **{f"werkzeug.security.{f}": _THREAD for f in ("generate_password_hash", "check_password_hash")},
    **{f"django.contrib.auth.hashers.{f}": _THREAD for f in ("make_password", "check_password")},
}
