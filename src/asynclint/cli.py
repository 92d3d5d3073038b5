"""The `asynclint` command: options -> Settings -> check -> report -> exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal
error (click's own exit 1 for bad usage is mapped to 2 so that it is never
mistaken for findings).
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections import Counter
from pathlib import Path

import click

from asynclint import __version__, baseline, registry
from asynclint.batch import check_paths
from asynclint.cache import CACHE_DIR_NAME
from asynclint.config import ConfigError, Settings, configurations
from asynclint.diagnostics import Default
from asynclint.discovery import discover, force_excluded, project_root
from asynclint.reporters import FORMATS, Run, reporters
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
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip files .gitignore ignores (default: yes).")
@click.option("--force-exclude/--no-force-exclude", default=None, help="Skip excluded files even when named explicitly (as pre-commit names them).")
@click.option("--output-format", type=click.Choice(FORMATS), default="full", show_default=True)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file instead of searching for one.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: the number of CPUs).")
@click.option("--stdin-filename", default=None, help="The name of the source read from stdin (`-`): used in output, for configuration and per-file ignores.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None, help="Report only findings this baseline file does not record.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None, help="Record the current findings in a baseline file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Where to keep the cache (default: .asynclint_cache at the project root).")
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show as fixable) unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print a diff of what --fix would change; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied.")
@click.version_option(__version__, "--version", prog_name="asynclint")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    preview: bool,
    respect_gitignore: bool | None,
    force_exclude: bool | None,
    output_format: str,
    statistics: bool,
    exit_zero: bool,
    config_file: str | None,
    quiet: bool,
    jobs: int | None,
    stdin_filename: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    no_cache: bool,
    cache_dir: str | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
) -> int:
    """Check PATHS (default: the current directory) for async pitfalls.

    Other commands: `asynclint rule CODE` explains a rule, `asynclint rule --all` lists them,
    `asynclint server --stdio` runs the language server.
    """
    targets = list(paths) or ["."]
    overrides = {
        "select": _split_codes(select),
        "extend_select": _split_codes(extend_select),
        "ignore": _split_codes(ignore),
        "preview": preview,
        "extend_exclude": list(extend_exclude),
        "respect_gitignore": respect_gitignore,
        "force_exclude": force_exclude,
    }
    if targets == ["-"]:
        return _check_stdin(stdin_filename or "stdin", config_file, overrides, fix or diff, diff, unsafe_fixes,
                            output_format, quiet, exit_zero)
    run_configurations = configurations(config_file, overrides)
    found = discover(targets, run_configurations)
    for error in found.errors:
        click.echo(f"asynclint: error: {error}", err=True)
    if not found.files and found.errors:
        return EXIT_ERROR  # nothing was checked: no summary that could read as a pass
    if not found.files:
        click.echo("asynclint: warning: no Python files found under the given paths (excluded or git-ignored?)", err=True)
    files = [str(p) for p in found.files]
    groups = run_configurations.by_settings(files)  # each file with the settings of its nearest configuration
    fixed_count = 0
    if fix or diff:
        from asynclint.fixes import fix_paths

        fixes = [item for settings, group in groups.items() for item in fix_paths(group, settings, unsafe_fixes, jobs=jobs)]
        if diff:
            return _print_diffs(fixes, found.errors)
        fixed_count = _write_fixes(fixes, show_fixes)
        results = [f.result for f in fixes]
    else:
        results = [
            result
            for settings, group in groups.items()
            for result in check_paths(
                group,
                settings,
                jobs=jobs,
                fix_edits=output_format in FORMATS_WITH_EDITS,
                cache_dir=None if no_cache else cache_dir or _default_cache_dir(settings),
            )
        ]
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    internal_errors = [e for r in results for e in r.errors]
    for error in internal_errors:
        click.echo(f"asynclint: {error}", err=True)
    _print_warnings(results)

    # rule links: where the configuration of the folder the run starts in says the docs are
    run = Run(diagnostics, files_checked=len(found.files), fixed=fixed_count, unsafe_fixes=unsafe_fixes,
              docs_url=run_configurations.in_directory(Path.cwd()).docs_url)
    if write_baseline is not None:
        count = baseline.write_baseline(write_baseline, run)
        click.echo(f"asynclint: recorded {count} finding{'s' if count != 1 else ''} in {write_baseline}", err=True)
        return EXIT_ERROR if found.errors or internal_errors else EXIT_CLEAN
    if baseline_file is not None:
        run.diagnostics, suppressed = baseline.apply_baseline(baseline_file, run)
        diagnostics = run.diagnostics
        if suppressed and not quiet:
            click.echo(f"asynclint: {suppressed} finding{'s' if suppressed != 1 else ''} suppressed by the baseline {baseline_file}", err=True)
    if statistics:
        click.echo(_statistics(run, output_format), nl=False)
    else:
        click.echo(reporters()[output_format](run), nl=False)
        if not quiet and output_format in ("full", "concise"):
            click.echo(summary(run))
    if found.errors or internal_errors:
        return EXIT_ERROR
    if diagnostics and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _default_cache_dir(settings: Settings) -> str:
    """The cache of a configuration's files: at the root of its project."""
    return str(project_root(Path(settings.config_dir)) / CACHE_DIR_NAME)


def _check_stdin(name, config_file, overrides, fix, diff, unsafe, output_format, quiet, exit_zero) -> int:
    """`asynclint -`: check (or fix) the source on stdin as if it were the file `name`.
    With --fix the fixed source goes to stdout and the findings to stderr;
    a name `--force-exclude` excludes is neither checked nor changed."""
    from asynclint.engine import Checker
    from asynclint.fixes import FileFix, fix_source, unified_diff
    run_configurations = configurations(config_file, overrides)
    settings = run_configurations.for_file(name)
    source = sys.stdin.buffer.read()
    if force_excluded(name, run_configurations):
        if fix and not diff:
            sys.stdout.buffer.write(source)
        return EXIT_CLEAN
    checker = Checker(settings, fix_edits=output_format in FORMATS_WITH_EDITS)
    fixed = 0
    if fix:
        outcome = fix_source(checker, source, name, unsafe)
        for reason in outcome.dropped:
            click.echo(f"asynclint: {reason}", err=True)
        if diff:
            item = FileFix(name, source, outcome.source, outcome.applied, outcome.dropped, None)
            click.echo(unified_diff(item), nl=False)
            return EXIT_FINDINGS if item.changed else EXIT_CLEAN
        sys.stdout.buffer.write(outcome.source)
        sys.stdout.flush()
        fixed = len(outcome.applied)
        result = outcome.final.result
    else:
        result = checker.check_source(source, name)
    for error in result.errors:
        click.echo(f"asynclint: {error}", err=True)
    _print_warnings([result])
    run = Run(result.diagnostics, 1, fixed=fixed, unsafe_fixes=unsafe, sources={name: source},
              docs_url=settings.docs_url)
    click.echo(reporters()[output_format](run), nl=False, err=fix)
    if not quiet and output_format in ("full", "concise"):
        click.echo(summary(run), err=fix)
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.diagnostics and not exit_zero else EXIT_CLEAN


def _print_warnings(results) -> None:
    """What was left unchecked, one line each on stderr; the exit status stays the findings'."""
    for result in results:
        for warning in result.warnings:
            click.echo(f"asynclint: warning: {warning}", err=True)


def _print_diffs(fixes, path_errors: list[str]) -> int:
    """`--diff`: what `--fix` would change; exit 1 when there is something."""
    from asynclint.fixes import unified_diff
    changed = [f for f in fixes if f.changed]
    for item in changed:
        click.echo(unified_diff(item), nl=False)
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
    counts = Counter(d.code for d in run.diagnostics)
    rules = registry.all_rules()
    rows = [(code, counts[code], rules[code].name) for code in sorted(counts, key=lambda c: (-counts[c], c))]
    if output_format in ("json", "json-lines"):
        return json.dumps([{"code": c, "name": n, "count": k} for c, k, n in rows], indent=2) + "\n"
    width = max((len(str(k)) for _, k, _ in rows), default=1)
    return "".join(f"{k:>{width}}\t{c}\t{n}\n" for c, k, n in rows)


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
