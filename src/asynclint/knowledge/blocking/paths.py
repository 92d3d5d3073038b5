"""Disk metadata queries (AL110, opt-in): fast on local disks, slow on network mounts."""

CODE = "AL110"


BLOCKING = {
    **{
        f"os.path.{f}": "use `await {to_thread}(...)` if the disk may be slow"
        for f in ("exists", "lexists", "isfile", "isdir", "islink", "ismount", "getsize", "getmtime", "getatime",
                  "getctime", "realpath", "samefile")
    },
    **{
        f"os.{f}": "use `await {to_thread}(...)` if the disk may be slow"
        for f in ("stat", "lstat", "access")
    },
    **{
        f"pathlib.Path.{m}": "use `{path}` (async methods) or `await {to_thread}(...)` if the disk may be slow"
        for m in ("exists", "is_file", "is_dir", "is_symlink", "is_mount", "stat", "lstat", "resolve", "samefile")
    },
}
