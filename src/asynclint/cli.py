"""The `asynclint` command: options -> Settings -> check -> report -> exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal
error (click's own exit 1 for bad usage is mapped to 2 so that it is never
mistaken for findings).
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import json
import os
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import click

from asynclint import __version__, registry
from asynclint.batch import check_paths
from asynclint.cache import CACHE_DIR_NAME
from asynclint.config import ConfigError, Settings, command_line_settings, configurations
from asynclint.diagnostics import Default
from asynclint.discovery import discover, force_excluded, project_root
from asynclint.knowledge.python_versions import TARGET_VERSIONS
from asynclint.progress import Progress
from asynclint.reporters import FORMATS, Run, reporter
from asynclint.reporters.text import summary

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS_WITH_EDITS = ("json", "json-lines", "sarif")


class DefaultToCheck(click.Group):
    """`asynclint PATHS` means `asynclint check PATHS`; `rule` and `server` are
    subcommands, unless the word is a folder here and the words after it read
    as a check's too (`asynclint server` in a project with a `server/`
    package checks it; `asynclint server --stdio` is the language server)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first in self.commands and first != "check" and os.path.isdir(first) and self._reads_as_check(args[1:]):
            click.echo(
                f"asynclint: note: `{first}` is a folder here, so it is checked (`asynclint check {first}`);"
                f" the `{first}` command takes its own arguments (`asynclint {first} --help`)",
                err=True,
            )
            args = ["check", *args]
        elif first not in self.commands:
            # a bare word such as `rules` (not `app.py` or `src/`) that is no path either
            if first is not None and first.isidentifier() and not os.path.exists(first):
                import difflib

                close = difflib.get_close_matches(first, list(self.commands), n=1)
                raise ConfigError(f"{first}: no such file or subcommand" + (f"; did you mean `{close[0]}`?" if close else ""))
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def _reads_as_check(self, words: list[str]) -> bool:
        """Whether every word is an option of `check` (with its value) or an existing path."""
        options = {
            name: param
            for param in self.commands["check"].params
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        remaining = iter(words)
        for word in remaining:
            name = word.split("=", 1)[0]
            if name in options:
                if not options[name].is_flag and "=" not in word:
                    next(remaining, None)  # the option's value
            elif word != "-" and (word.startswith("-") or not os.path.exists(word)):
                return False
        return True


def _split_codes(values: tuple[str, ...]) -> list[str] | None:
    if not values:
        return None
    return [code for value in values for code in value.split(",") if code.strip()]


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """asynclint: find async pitfalls in asyncio and FastAPI code."""


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the configured set). `AL` selects every rule.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--extend-exclude", multiple=True, help="Extra path patterns to skip when walking directories.")
@click.option("--preview", is_flag=True, help="Enable preview (unstable) rules.")
@click.option("--target-version", type=click.Choice(TARGET_VERSIONS), default=None,
              help="The oldest Python the code must run on: advice names only what it has (default: the configuration's, or the project's requires-python, else py311).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip files .gitignore and .ignore files ignore (default: yes).")
@click.option("--force-exclude/--no-force-exclude", default=None, help="Skip excluded files even when named explicitly (as pre-commit names them).")
@click.option("--output-format", type=click.Choice(FORMATS), default="full", show_default=True)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), default=None, help="Write the report (and its summary) to this file instead of stdout.")
@click.option("--statistics", is_flag=True, help="Print a count per rule, and how many are fixable, instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when --fix changed a file, even if no finding remains.")
@click.option("--config", "config_options", multiple=True, metavar="FILE|KEY=VALUE",
              help="A configuration file for every file instead of each file's nearest one, or a setting in TOML (`--config 'ignore = [\"AL110\"]'`) over every configuration. Repeatable.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file: the defaults and the command line only.")
@click.option("--show-settings", is_flag=True, help="Print the settings the first file gets and where they come from; check nothing.")
@click.option("--show-files", is_flag=True, help="Print the files a run would check; check nothing.")
@click.option("-v", "--verbose", is_flag=True, help="Say on stderr which configuration the files get, what the cache held and how long each phase took.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress line.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the full and concise formats: auto means on a terminal, unless NO_COLOR is set (FORCE_COLOR: also elsewhere).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: the number of CPUs).")
@click.option("--stdin-filename", default=None, help="The name of the source read from stdin (`-`): used in output, for configuration and per-file ignores.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None, help="Report only findings this baseline file does not record.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None, help="Record the current findings in a baseline file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Where to keep the cache (default: .asynclint_cache at the project root).")
@click.option("--fix/--no-fix", default=None, help="Apply safe fixes and write the files (default: the configuration's `fix`, else no).")
@click.option("--fix-only", is_flag=True, help="Apply fixes; report no remaining finding, and exit 0 whatever remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show as fixable) unsafe fixes.")
@click.option("--fixable", multiple=True, help="Rule codes or prefixes whose fixes are applied and offered (default: every rule's).")
@click.option("--extend-fixable", multiple=True, help="Rule codes or prefixes fixable in addition to the configured `fixable`.")
@click.option("--unfixable", multiple=True, help="Rule codes or prefixes whose fixes are neither applied nor offered.")
@click.option("--diff", is_flag=True, help="Print a diff of what --fix would change; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied.")
@click.version_option(__version__, "--version", prog_name="asynclint")
def check(paths: tuple[str, ...], **options) -> int:
    """Check PATHS (default: the current directory) for async pitfalls.

    Other commands: `asynclint rule CODE` explains a rule, `asynclint rule --all` lists them,
    `asynclint server --stdio` runs the language server.
    """
    o = SimpleNamespace(**options)
    targets = list(paths) or ["."]
    config_file, config_values = _config_options(o.config_options)
    if o.isolated and config_file is not None:
        raise ConfigError(f"--isolated ignores configuration files, and --config names one ({config_file})")
    overrides = {
        "select": _split_codes(o.select),
        "extend_select": _split_codes(o.extend_select),
        "ignore": _split_codes(o.ignore),
        "preview": o.preview,
        "target_version": o.target_version,
        "extend_exclude": list(o.extend_exclude),
        "respect_gitignore": o.respect_gitignore,
        "force_exclude": o.force_exclude,
        "fix": True if o.fix_only else o.fix,
        "fixable": _split_codes(o.fixable),
        "extend_fixable": _split_codes(o.extend_fixable),
        "unfixable": _split_codes(o.unfixable),
        "config_layer": command_line_settings(config_values),
    }
    run_configurations = configurations(config_file, overrides, o.isolated)
    with _Output(o.output_file) as output:
        if targets == ["-"]:
            return _check_stdin(o.stdin_filename or "stdin", run_configurations, o, output)
        return _check_files(targets, run_configurations, o, output)


def _check_files(targets: list[str], run_configurations, o, output: _Output) -> int:
    verbose = _Verbose(o.verbose)
    shows_progress = not (o.quiet or o.show_files or o.show_settings) and o.output_format in ("full", "concise") and _is_terminal(sys.stderr)
    progress = Progress(sys.stderr if shows_progress else None)
    try:
        with progress.phase("finding files"):
            found = discover(targets, run_configurations)
        for error in found.errors:
            progress.clear()
            click.echo(f"asynclint: error: {error}", err=True)
        if o.show_files:
            for path in sorted(os.path.abspath(p) for p in found.files):
                output.echo(path)
            return EXIT_ERROR if found.errors else EXIT_CLEAN
        if o.show_settings:
            return _show_settings(found, run_configurations, output)
        if not found.files and found.errors:
            return EXIT_ERROR  # nothing was checked: no summary that could read as a pass
        if not found.files:
            click.echo("asynclint: warning: no Python files found under the given paths (excluded or git-ignored?)", err=True)
        files = [str(p) for p in found.files]
        groups = run_configurations.by_settings(files)  # each file with the settings of its nearest configuration
        progress.add_files(len(files))
        verbose.say(f"found {len(files)} file{'s' if len(files) != 1 else ''} to check in {progress.phases['finding files']:.3f} s")
        for settings, group in groups.items():
            where = settings.config_file or "no configuration file (the defaults)"
            verbose.say(f"{len(group)} file{'s' if len(group) != 1 else ''} with the settings of {where} (target {settings.target_version})")
        fixes, results = [], []
        for settings, group in groups.items():
            if o.diff or settings.fix:
                from asynclint.fixes import fix_paths

                with progress.phase("fixing"):
                    fixes += fix_paths(group, settings, o.unsafe_fixes, jobs=o.jobs, on_done=progress.file_done)
            else:
                cache_dir = None if o.no_cache else o.cache_dir or _default_cache_dir(settings)
                with progress.phase("checking"):
                    results += check_paths(
                        group, settings, jobs=o.jobs, fix_edits=o.output_format in FORMATS_WITH_EDITS,
                        cache_dir=cache_dir, on_done=progress.file_done,
                    )
        progress.close()
        if o.diff:
            return _print_diffs(fixes, found.errors, output)
        fixed_count = _write_fixes(fixes, o.show_fixes) if fixes else 0
        results += [f.result for f in fixes]
        verbose.say(f"{progress.cached} result{'s' if progress.cached != 1 else ''} from the cache, {progress.done - progress.cached} checked; "
                    + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in progress.phases.items()))
        # rule links: where the configuration of the folder the run starts in says the docs are
        return _report(results, len(found.files), fixed_count, bool(found.errors),
                       run_configurations.in_directory(Path.cwd()).docs_url, o, output)
    finally:
        progress.close()


def _report(results, files_checked: int, fixed_count: int, path_errors: bool, docs_url, o, output: _Output,
            sources: dict[str, bytes] | None = None) -> int:
    """Print a run's findings (or its statistics), warnings and summary; its exit code."""
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    internal_errors = [e for r in results for e in r.errors]
    for error in internal_errors:
        click.echo(f"asynclint: {error}", err=True)
    _print_warnings(results)
    run = Run(diagnostics, files_checked=files_checked, fixed=fixed_count, unsafe_fixes=o.unsafe_fixes,
              docs_url=docs_url, sources=sources or {}, color=output.color(o.color))
    failed = path_errors or bool(internal_errors)
    if o.write_baseline is not None or o.baseline_file is not None:
        from asynclint import baseline
    if o.write_baseline is not None:
        count = baseline.write_baseline(o.write_baseline, run)
        click.echo(f"asynclint: recorded {count} finding{'s' if count != 1 else ''} in {o.write_baseline}", err=True)
        return EXIT_ERROR if failed else EXIT_CLEAN
    if o.baseline_file is not None:
        run.diagnostics, suppressed = baseline.apply_baseline(o.baseline_file, run)
        if suppressed and not o.quiet:
            click.echo(f"asynclint: {suppressed} finding{'s' if suppressed != 1 else ''} suppressed by the baseline {o.baseline_file}", err=True)
    text_format = o.output_format in ("full", "concise")
    if o.fix_only:
        if o.statistics:
            output.echo(_statistics(run, o.output_format), nl=False)
        if fixed_count and not o.quiet and text_format:
            output.echo(f"Fixed {fixed_count} error{'s' if fixed_count != 1 else ''}.")
    elif o.statistics:
        output.echo(_statistics(run, o.output_format), nl=False)
        if not o.quiet and text_format:
            output.echo(summary(run))
    else:
        output.echo(reporter(o.output_format)(run), nl=False)
        if not o.quiet and text_format:
            output.echo(summary(run))
    if failed:
        return EXIT_ERROR
    if o.exit_zero:
        return EXIT_CLEAN
    if run.diagnostics and not o.fix_only:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if o.exit_non_zero_on_fix and fixed_count else EXIT_CLEAN


def _config_options(values: tuple[str, ...]) -> tuple[str | None, dict]:
    """`--config` values: at most one configuration file, and settings in TOML
    (`--config "ignore = ['AL110']"`), merged; a value that is neither is an error."""
    config_file: str | None = None
    settings: dict = {}
    for value in values:
        if os.path.isfile(value) or (value.endswith(".toml") and "=" not in value):
            if config_file is not None:
                raise ConfigError(f"--config names two configuration files ({config_file}, {value}); give one")
            config_file = value
            continue
        import tomllib  # a setting given in TOML only

        try:
            data = tomllib.loads(value)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"--config {value!r} is neither a configuration file nor a `KEY = VALUE` setting in TOML ({exc})"
            ) from None
        _merge_tables(settings, data)
    return config_file, settings


def _merge_tables(into: dict, data: dict) -> None:
    """`--config 'per-file-ignores."a.py" = [...]'` twice adds to the one table."""
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_tables(into[key], value)
        else:
            into[key] = value


class _Output:
    """Where the report goes: stdout, stderr (`err`), or the `--output-file`
    (its folders made)."""

    def __init__(self, path: str | None, err: bool = False) -> None:
        self.path = path
        self.err = err
        self.handle = None

    def __enter__(self) -> _Output:
        if self.path is not None:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
                self.handle = open(self.path, "w", encoding="utf-8", newline="\n")  # closed by __exit__
            except OSError as exc:
                raise ConfigError(f"cannot write the output file {self.path}: {exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            self.handle.close()

    def echo(self, text: str, nl: bool = True) -> None:
        click.echo(text, nl=nl, file=self.handle, err=self.err, color=True)

    def color(self, when: str) -> bool:
        """Whether to colour the text formats: `--color`, then NO_COLOR (set and
        not empty: never), FORCE_COLOR (set and not empty: always), then
        whether the report goes to a terminal."""
        if when != "auto":
            return when == "always"
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        stream = sys.stderr if self.err else sys.stdout
        return self.handle is None and _is_terminal(stream) and os.environ.get("TERM") != "dumb"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


class _Verbose:
    """`-v`: what a run does, on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def say(self, text: str) -> None:
        if self.enabled:
            click.echo(f"asynclint: verbose: {text}", err=True)


def _show_settings(found, run_configurations, output: _Output) -> int:
    """`--show-settings`: the settings of the first file found, as a configuration would spell them."""
    if not found.files:
        raise ConfigError("--show-settings: no Python file found under the given paths")
    path = os.path.abspath(found.files[0])
    settings = run_configurations.for_file(path)
    from asynclint.engine import per_file_ignored

    lines = [f"Resolved settings for: {path}", f"Settings path: {settings.config_file or '(none: the defaults)'}", ""]
    for field in dataclasses.fields(Settings):
        if field.name in ("config_file",):
            continue
        value = getattr(settings, field.name)
        if field.name == "per_file_ignores":
            value = {glob: list(codes) for glob, codes in value}
        elif field.name == "extend_blocking_calls":
            value = {extra.qualname: {"advice": extra.advice, "code": extra.code} for extra in value}
        lines.append(f"{field.name.replace('_', '-')} = {_toml_value(value)}")
    ignored = per_file_ignored(path, settings)
    enabled = [code for code in settings.enabled_codes() if not any(code.startswith(prefix) for prefix in ignored)]
    lines.append(f"# the rules that run on this file, per-file-ignores applied\nenabled-rules = {_toml_value(enabled)}")
    lines.append(f"fixable-rules = {_toml_value(sorted(settings.fixable_codes() & set(enabled)))}")
    output.echo("\n".join(lines))
    return EXIT_CLEAN


def _toml_value(value) -> str:
    if value is None:
        return "none"  # unset: every rule (select: the rules on by default)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _default_cache_dir(settings: Settings) -> str:
    """The cache of a configuration's files: at the root of its project."""
    return str(project_root(Path(settings.config_dir)) / CACHE_DIR_NAME)


def _check_stdin(name: str, run_configurations, o, output: _Output) -> int:
    """`asynclint -`: check (or fix) the source on stdin as if it were the file `name`.
    With --fix the fixed source goes to stdout and the findings to stderr;
    a name `--force-exclude` excludes is neither checked nor changed."""
    from asynclint.engine import Checker
    from asynclint.fixes import FileFix, fix_source, unified_diff
    settings = run_configurations.for_file(name)
    fix = settings.fix or o.diff
    source = sys.stdin.buffer.read()
    if force_excluded(name, run_configurations):
        if fix and not o.diff:
            sys.stdout.buffer.write(source)
        return EXIT_CLEAN
    checker = Checker(settings, fix_edits=o.output_format in FORMATS_WITH_EDITS)
    fixed = 0
    if fix:
        outcome = fix_source(checker, source, name, o.unsafe_fixes)
        for reason in outcome.dropped:
            click.echo(f"asynclint: {reason}", err=True)
        if o.diff:
            item = FileFix(name, source, outcome.source, outcome.applied, outcome.dropped, None)
            output.echo(unified_diff(item), nl=False)
            return EXIT_FINDINGS if item.changed else EXIT_CLEAN
        sys.stdout.buffer.write(outcome.source)
        sys.stdout.flush()
        fixed = len(outcome.applied)
        result = outcome.final.result
    else:
        result = checker.check_source(source, name)
    if fix and output.handle is None:
        output = _Output(None, err=True)  # stdout holds the fixed source
    return _report([result], 1, fixed, False, settings.docs_url, o, output, sources={name: source})


def _print_warnings(results) -> None:
    """What was left unchecked, one line each on stderr; the exit status stays the findings'."""
    for result in results:
        for warning in result.warnings:
            click.echo(f"asynclint: warning: {warning}", err=True)


def _print_diffs(fixes, path_errors: list[str], output: _Output) -> int:
    """`--diff`: what `--fix` would change; exit 1 when there is something."""
    from asynclint.fixes import unified_diff
    changed = [f for f in fixes if f.changed]
    for item in changed:
        output.echo(unified_diff(item), nl=False)
    for item in fixes:
        for reason in item.dropped:
            click.echo(f"asynclint: {reason}", err=True)
    count = sum(len(f.applied) for f in changed)
    if count:
        click.echo(f"Would fix {count} error{'s' if count != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}.", err=True)
    if path_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_CLEAN


def _write_fixes(fixes, show_fixes: bool) -> int:
    """`--fix`: write the changed files; returns how many findings were fixed."""
    from asynclint.fixes import write_atomically
    fixed = 0
    for item in fixes:
        for reason in item.dropped:
            click.echo(f"asynclint: {reason}", err=True)
        if not item.changed:
            continue
        try:
            write_atomically(item.path, item.fixed)
        except OSError as exc:
            click.echo(f"asynclint: error: cannot write {item.path}: {exc.strerror or exc}", err=True)
            continue
        fixed += len(item.applied)
        if show_fixes:
            click.echo(f"Fixed {len(item.applied)} in {item.path}:", err=True)
            for code, count in sorted(Counter(code for code, _ in item.applied).items()):
                click.echo(f"  {count} x {code} ({registry.all_rules()[code].name})", err=True)
    return fixed


def _statistics(run: Run, output_format: str) -> str:
    """A count per rule, most first, and how many `--fix` would fix: ruff's
    `count<TAB>code<TAB>[*] name` rows (`[ ]` for a rule without fixes when
    some are fixable), or in the JSON formats a list of
    `{code, name, count, fixable, fixable_count}`."""
    counts = Counter(d.code for d in run.diagnostics)
    fixable = Counter(d.code for d in run.diagnostics if run.fixable(d))
    names = {code: name for name, code in registry.by_name().items()}
    rows = [(code, counts[code], names[code]) for code in sorted(counts, key=lambda c: (-counts[c], c))]
    if output_format in ("json", "json-lines"):
        return json.dumps(
            [{"code": c, "name": n, "count": k, "fixable": fixable[c] > 0, "fixable_count": fixable[c]} for c, k, n in rows],
            indent=2,
        ) + "\n"
    width = max((len(str(k)) for _, k, _ in rows), default=1)
    any_fixable = bool(fixable)

    def marker(code: str) -> str:
        return ("[*] " if fixable[code] else "[ ] ") if any_fixable else ""

    return "".join(f"{k:>{width}}\t{c}\t{marker(c)}{n}\n" for c, k, n in rows)


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rule(code: str | None, show_all: bool, fmt: str) -> int:
    """Explain a rule (`asynclint rule AL101`) or list them all (`--all`)."""
    rules = registry.all_rules()
    if show_all:
        if fmt == "markdown":
            click.echo("| code | name | default | fix | summary |\n|---|---|---|---|---|")
            for r in rules.values():
                click.echo(f"| {r.code} | {r.name} | {r.default.value} | {r.fix_class.value} | {r.summary} |")
        else:
            for r in rules.values():
                flag = "" if r.default is Default.ON else f" ({r.default.value})"
                click.echo(f"{r.code}  {r.name:<32} {r.summary}{flag}")
        return EXIT_CLEAN
    if code is None:
        raise click.UsageError("give a rule code (`asynclint rule AL101`) or --all")
    selector = registry.normalize_selector(code)
    found = rules.get(selector)
    if found is None:
        raise ConfigError(f"unknown rule `{code}`; `asynclint rule --all` lists the rules")
    from asynclint.knowledge.libraries import libraries_section

    header = f"# {found.code} {found.name}"
    meta = f"Default: {found.default.value}. Fix: {found.fix_class.value}."
    covered = libraries_section(found.code)
    click.echo(f"{header}\n\n{meta}\n\n{found.documentation()}" + (f"\n\n{covered}" if covered else ""))
    return EXIT_CLEAN


@cli.command()
@click.option("--stdio", is_flag=True, help="Speak LSP over stdin and stdout (the only way it speaks; for editors that pass it).")
def server(stdio: bool) -> int:
    """Run the language server over stdio (install `asynclint[lsp]`)."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise ConfigError("the language server needs pygls: pip install 'asynclint[lsp]'") from None
    from asynclint.server import serve

    serve()
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> None:
    """Console entry point, with asynclint's exit codes."""
    # The process ends with the run: the collection Python makes as it exits would walk every object
    # left and free the cyclic ones (libcst's classes, the rules' tables), memory the system takes back.
    atexit.register(gc.freeze)
    try:
        code = cli.main(args=argv, prog_name="asynclint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except ConfigError as exc:
        click.echo(f"asynclint: error: {exc}", err=True)
        code = EXIT_ERROR
    except KeyboardInterrupt:
        code = EXIT_ERROR
    except Exception as exc:  # never a traceback for the user
        click.echo(f"asynclint: internal error: {type(exc).__name__}: {exc}", err=True)
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
