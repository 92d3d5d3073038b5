"""The standard library's files, paths, processes, sleeps and terminal
(AL102-AL104, AL107, AL110), and the async file libraries."""

from __future__ import annotations

from asynclint.knowledge.library import Arguments, Calls, Library

_OPEN = "use `{open_file}` or run the I/O in a thread with `await {to_thread}(...)`"
_THREAD = "run it in a thread with `await {to_thread}(...)`"
_PATH = "use `{path}` (async path methods) or `await {to_thread}(...)`"
# Disk metadata queries (AL110): fast on local disks, slow on network mounts.
_METADATA = "use `await {to_thread}(...)`"
_PATH_METADATA = "use `{path}` or `await {to_thread}(...)`"
_RUN = "use `await {subprocess}(...)`"
_WAIT = "create it with `await {subprocess}(...)` and `await` its `wait()`/`communicate()`"
# What `open()` and the annotated io types give: reading one reads the disk.
FILE_OBJECTS = frozenset(
    {"io.TextIOWrapper", "io.BufferedReader", "io.BufferedWriter", "io.BufferedRandom", "io.FileIO"}
)
_ZONE = "look the zone up once, at import or startup, or with `await {to_thread}(...)`"
_READ_FILE = "read the file in a thread (`await {to_thread}(...)`) and parse the text"

LIBRARIES = (
    Library(
        "open",
        builds={"builtins.open": "io.TextIOWrapper", "io.open": "io.TextIOWrapper", "os.fdopen": "io.TextIOWrapper"},
        blocking=(
            Calls("AL103", _OPEN, ("builtins.open", "io.open", "io.open_code", "os.fdopen")),
            # methods of file objects (from open() or annotated io types)
            Calls("AL103", _OPEN, tuple(
                f"io.TextIOWrapper.{m}"
                for m in ("read", "readline", "readlines", "write", "writelines", "flush", "truncate", "seek")
            )),
            Calls("AL103", _OPEN, tuple(
                f"io.{cls}.{m}"
                for cls in ("BufferedReader", "BufferedWriter", "BufferedRandom", "FileIO")
                for m in ("read", "read1", "readline", "readlines", "readinto", "write", "writelines", "flush", "truncate")
            )),
        ),
    ),
    Library(
        "pathlib",
        builds={
            "pathlib.Path": "pathlib.Path",
            "pathlib.PurePath": "pathlib.PurePath",
            "pathlib.Path.open": "io.TextIOWrapper",
            **{
                f"pathlib.Path.{m}": "pathlib.Path"
                for m in ("cwd", "home", "resolve", "absolute", "with_name", "with_suffix", "joinpath", "expanduser")
            },
        },
        blocking=(
            Calls("AL103", _PATH, tuple(
                f"pathlib.Path.{m}"
                for m in (
                    "open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
                    "walk", "touch", "mkdir", "rmdir", "unlink", "rename", "replace", "symlink_to",
                    "hardlink_to", "chmod", "lchmod", "owner", "group", "readlink", "copy", "move",
                )
            )),
            Calls("AL110", _PATH_METADATA, tuple(
                f"pathlib.Path.{m}"
                for m in ("exists", "is_file", "is_dir", "is_symlink", "is_mount", "stat", "lstat", "resolve", "samefile")
            )),
        ),
        aliases={"pathlib.PosixPath": "pathlib.Path", "pathlib.WindowsPath": "pathlib.Path"},
        elements={m: "pathlib.Path" for m in ("pathlib.Path.iterdir", "pathlib.Path.glob", "pathlib.Path.rglob")},
        attributes={"pathlib.Path.parent": "pathlib.Path", "pathlib.PurePath.parent": "pathlib.PurePath"},
    ),
    Library(
        "os",
        blocking=(
            Calls("AL103", _THREAD, tuple(
                f"os.{f}"
                for f in ("remove", "unlink", "rename", "renames", "replace", "rmdir", "removedirs", "mkdir", "makedirs",
                          "listdir", "scandir", "walk", "fwalk", "link", "symlink", "readlink", "truncate", "chmod",
                          "chown", "utime", "read", "write", "fsync", "sendfile", "copy_file_range")
            )),
            Calls("AL110", _METADATA, tuple(f"os.{f}" for f in ("stat", "lstat", "access"))),
            Calls("AL104", _RUN, (
                "os.system", "os.popen",
                *(f"os.{f}" for f in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                                      "spawnvpe", "posix_spawn", "posix_spawnp")),
                *(f"os.{f}" for f in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe")),
            )),
            Calls("AL104", _WAIT, tuple(f"os.{f}" for f in ("wait", "wait3", "wait4", "waitid", "waitpid"))),
        ),
    ),
    Library(
        "os.path",
        blocking=(
            Calls("AL110", _METADATA, tuple(
                f"os.path.{f}"
                for f in ("exists", "lexists", "isfile", "isdir", "islink", "ismount", "getsize", "getmtime", "getatime",
                          "getctime", "realpath", "samefile")
            )),
        ),
    ),
    Library(
        "shutil",
        blocking=(
            Calls("AL103", _THREAD, tuple(
                f"shutil.{f}"
                for f in ("copyfileobj", "copyfile", "copy", "copy2", "copytree", "copymode", "copystat", "move",
                          "rmtree", "make_archive", "unpack_archive", "chown", "disk_usage")
            )),
        ),
    ),
    Library(
        "zipfile",
        builds={"zipfile.ZipFile": "zipfile.ZipFile"},
        blocking=(
            Calls("AL103", _THREAD, (
                "zipfile.ZipFile",
                *(f"zipfile.ZipFile.{m}" for m in ("read", "write", "writestr", "extract", "extractall", "open", "testzip")),
            )),
        ),
    ),
    Library(
        "tarfile",
        builds={"tarfile.open": "tarfile.TarFile", "tarfile.TarFile": "tarfile.TarFile"},
        blocking=(
            Calls("AL103", _THREAD, (
                "tarfile.open",
                *(f"tarfile.TarFile.{m}" for m in ("add", "extract", "extractall", "extractfile", "addfile", "getmembers")),
            )),
        ),
    ),
    Library(
        "subprocess",
        builds={"subprocess.Popen": "subprocess.Popen"},
        blocking=(
            Calls("AL104", _RUN, (
                *(f"subprocess.{f}" for f in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")),
                "subprocess.Popen",
            )),
            Calls("AL104", _WAIT, ("subprocess.Popen.wait", "subprocess.Popen.communicate")),
        ),
    ),
    Library(
        "tempfile",
        # the file objects they give are written like any other
        builds={
            "tempfile.NamedTemporaryFile": "io.BufferedRandom",
            "tempfile.TemporaryFile": "io.BufferedRandom",
            "tempfile.TemporaryDirectory": "tempfile.TemporaryDirectory",
        },
        blocking=(
            Calls("AL103", _THREAD, (
                *(f"tempfile.{f}" for f in ("NamedTemporaryFile", "TemporaryFile", "TemporaryDirectory", "mkstemp",
                                            "mkdtemp")),
                "tempfile.TemporaryDirectory.cleanup",
            )),
        ),
    ),
    Library(
        "glob",
        blocking=(Calls("AL103", _THREAD, ("glob.glob", "glob.iglob")),),
    ),
    Library(
        "serialisation",
        # `json.load(f)` and friends read or write the whole file they are given.
        blocking=(
            Calls("AL103", _THREAD, (
                "json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump",
                "xml.etree.ElementTree.parse", "xml.dom.minidom.parse", "plistlib.load", "plistlib.dump",
            )),
        ),
        aliases={"xml.etree.cElementTree.parse": "xml.etree.ElementTree.parse"},
    ),
    Library(
        "PyYAML",
        # On a file object they read it; on a string (`path.read_text()`, a `StringIO`) they only parse.
        blocking=(Calls("AL103", _READ_FILE, tuple(f"yaml.{f}" for f in ("safe_load", "load", "full_load", "unsafe_load"))),),
        blocks_when={
            f"yaml.{f}": Arguments(FILE_OBJECTS, keyword="stream") for f in ("safe_load", "load", "full_load", "unsafe_load")
        },
    ),
    Library(
        "csv",
        # A reader reads its file as it is iterated: a reader of a file object is one.
        blocking=(Calls("AL103", _READ_FILE, ("csv.reader", "csv.DictReader")),),
        blocks_when={"csv.reader": Arguments(FILE_OBJECTS), "csv.DictReader": Arguments(FILE_OBJECTS, keyword="f")},
    ),
    Library(
        "pytz",
        # The first lookup of each zone reads its file from the package (later ones are cached).
        blocking=(Calls("AL103", _ZONE, ("pytz.timezone",), cached=True),),
    ),
    Library(
        "python-dateutil",
        blocking=(Calls("AL103", _ZONE, ("dateutil.tz.gettz",), cached=True),),
        aliases={"dateutil.tz.tz.gettz": "dateutil.tz.gettz"},
    ),
    Library("time", blocking=(Calls("AL102", "use `await {sleep}(...)`", ("time.sleep",)),)),
    Library(
        "input",
        blocking=(
            Calls("AL107", "read input before the event loop starts, or with `await {to_thread}(input, ...)`",
                  ("builtins.input",)),
            Calls("AL107", "read it before the event loop starts, or with `await {to_thread}(getpass.getpass)`",
                  ("getpass.getpass",)),
        ),
    ),
    Library(
        "aiofiles",
        coroutines=tuple(f"aiofiles.os.{f}" for f in ("remove", "rename", "stat", "makedirs")),
    ),
    Library(
        "anyio.Path",
        coroutines=tuple(
            f"anyio.Path.{m}"
            for m in ("read_text", "read_bytes", "write_text", "write_bytes", "exists", "unlink", "mkdir")
        ),
        attributes={"anyio.Path.parent": "anyio.Path"},
    ),
)
