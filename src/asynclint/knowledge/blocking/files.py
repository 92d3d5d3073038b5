"""File-system I/O (AL103)."""

CODE = "AL103"

_OPEN = "use `{open_file}` or run the I/O in a thread with `await {to_thread}(...)`"
_THREAD = "run it in a thread with `await {to_thread}(...)`"
_PATH = "use `{path}` (async path methods) or `await {to_thread}(...)`"

BLOCKING = {
    "builtins.open": _OPEN,
    "io.open": _OPEN,
    "io.open_code": _OPEN,
    "os.fdopen": _OPEN,
    # pathlib I/O
    **{
        f"pathlib.Path.{m}": _PATH
        for m in (
            "open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
            "walk", "touch", "mkdir", "rmdir", "unlink", "rename", "replace", "symlink_to",
            "hardlink_to", "chmod", "lchmod", "owner", "group", "readlink", "samefile", "copy", "move",
        )
    },
    # methods of file objects (from open() or annotated io types)
    **{
        f"io.TextIOWrapper.{m}": _OPEN
        for m in ("read", "readline", "readlines", "write", "writelines", "flush", "truncate", "seek")
    },
    **{
        f"io.{cls}.{m}": _OPEN
        for cls in ("BufferedReader", "BufferedWriter", "BufferedRandom", "FileIO")
        for m in ("read", "read1", "readline", "readlines", "readinto", "write", "writelines", "flush", "truncate")
    },
    # shutil
    **{
        f"shutil.{f}": _THREAD
        for f in ("copyfileobj", "copyfile", "copy", "copy2", "copytree", "copymode", "copystat", "move",
                  "rmtree", "make_archive", "unpack_archive", "chown", "disk_usage")
    },
    # archives
    "zipfile.ZipFile": _THREAD,
    **{f"zipfile.ZipFile.{m}": _THREAD for m in ("read", "write", "writestr", "extract", "extractall", "open", "testzip")},
    "tarfile.open": _THREAD,
    **{f"tarfile.TarFile.{m}": _THREAD for m in ("add", "extract", "extractall", "extractfile", "addfile", "getmembers")},
    # os file operations
    **{
        f"os.{f}": _THREAD
        for f in ("remove", "unlink", "rename", "renames", "replace", "rmdir", "removedirs", "mkdir", "makedirs",
                  "listdir", "scandir", "walk", "fwalk", "link", "symlink", "readlink", "truncate", "chmod",
                  "chown", "utime", "read", "write", "fsync", "sendfile", "copy_file_range")
    },
}
