"""The ``officialgraph`` command: a thin click layer over the library.

Data goes to stdout, progress and logs to stderr. Library errors (``OfficialGraphError``) become
one ``Error: ...`` line and exit code 1 here, at the edge, and nowhere else.
"""
from __future__ import annotations

import contextlib
import functools
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from officialgraph.errors import InputError, OfficialGraphError, StoreError
from officialgraph.graph.memory import atomic_write_text, default_graph_path, store_lock
from officialgraph.graph.stores import STORE_KINDS, open_store
from officialgraph.render import render

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --- shared options ---------------------------------------------------------------------------

def graph_option(func: Callable) -> Callable:
    return click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="Graph file of the embedded store [default: $OFFICIALGRAPH_GRAPH or "
                             "./officialgraph.graph.json].")(func)


def store_options(func: Callable) -> Callable:
    """``--store`` and the Neo4j connection, resolved by ``open_store`` only."""
    options = [
        click.option("--store", type=click.Choice(STORE_KINDS), default="memory", show_default=True,
                     help="Embedded graph file or a Neo4j server."),
        click.option("--uri", envvar="NEO4J_URI", show_envvar=True, help="Neo4j URI (bolt://host:7687)."),
        click.option("--user", envvar="NEO4J_USERNAME", show_envvar=True, help="Neo4j user."),
        click.option("--password", envvar="NEO4J_PASSWORD", show_envvar=True, help="Neo4j password."),
        click.option("--database", envvar="NEO4J_DATABASE", show_envvar=True, help="Neo4j database."),
    ]
    for option in reversed(options):
        func = option(func)
    return graph_option(func)


def output_options(func: Callable) -> Callable:
    func = click.option("--table", "fmt", flag_value="table", help="Aligned text table.")(func)
    func = click.option("--csv", "fmt", flag_value="csv", help="CSV with a header; lists joined with |.")(func)
    return click.option("--json", "fmt", flag_value="json", default=True, help="JSON array (default).")(func)


def silent_option(func: Callable) -> Callable:
    return click.option("--silent", is_flag=True, help="No progress or summary on stderr.")(func)


def batch_size_option(func: Callable) -> Callable:
    return click.option("--batch-size", type=int, default=None,
                        help="Neo4j store: rows per write transaction [default: 5000].")(func)


def load_kwargs(store: str, batch_size: int | None) -> dict[str, Any]:
    """Writer options only the Neo4j store takes."""
    if batch_size is None:
        return {}
    if store != "neo4j":
        raise InputError("--batch-size applies to --store neo4j only")
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, not {batch_size}")
    return {"batch_size": batch_size}


def library_errors(func: Callable) -> Callable:
    """The one place library errors turn into ``Error: ...`` and exit 1."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OfficialGraphError as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


class Reporter:
    """Progress and summaries on stderr, unless ``--silent``."""

    def __init__(self, silent: bool):
        self.silent = silent
        self.live = not silent and sys.stderr.isatty()

    def say(self, message: str) -> None:
        if not self.silent:
            click.echo(message, err=True)

    def pages(self, done: int, total: int, size: int) -> None:
        if self.live:
            click.echo(f"\rpages {done}/{total} ({size / 1024:.0f} KiB)", err=True, nl=done >= total)

    def records(self, done: int) -> None:
        if self.live:
            click.echo(f"\rrecords {done}", err=True, nl=False)


def store_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
    return {"graph": kw.get("graph_file"), "uri": kw.get("uri"), "user": kw.get("user"),
            "password": kw.get("password"), "database": kw.get("database")}


@contextlib.contextmanager
def writable_store(kind: str, settings: dict[str, Any]) -> Iterator[Any]:
    """Open for writing; the embedded store is locked, and saved only if the body succeeds."""
    if kind != "memory":
        store = open_store(kind, **settings)
        try:
            yield store
        finally:
            store.close()
        return
    path = settings["graph"] or default_graph_path()
    with store_lock(path):
        store = open_store("memory", **{**settings, "graph": path}, create=True)
        yield store
        store.save()


def check_paths(paths: tuple[str, ...]) -> list[Path]:
    if not paths:
        raise InputError("no input paths given")
    out = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        out.append(path)
    return out


def check_date(value: str | None) -> str | None:
    if value is not None and not DATE.match(value):
        raise InputError(f"--date must be YYYY-MM-DD, not {value!r}")
    return value


PROGRESS_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal
REDRAW_EVERY = 0.25  # seconds between redraws of the live line on a terminal


def _duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class PageRun:
    """Pages through the extractor in parallel, streamed: progress (pages done/total, MB/s, time
    left) on stderr, each failed page reported with its file name and skipped, counted for the end."""

    def __init__(self, paths: tuple[str, ...], date: str | None, jobs: int | None, reporter: Reporter):
        from officialgraph.loaders.extract import default_jobs, page_files  # jieba loads only when needed
        if jobs is not None and jobs < 1:
            raise InputError("--jobs must be at least 1")
        self.files = page_files(check_paths(paths))
        self.date = check_date(date)
        self.jobs = jobs or default_jobs()
        self.reporter = reporter
        self.total_bytes = sum(f.stat().st_size for f in self.files)
        self.done = self.size = self.skipped = self.failed = self.records = 0
        self.started = self.shown = time.monotonic()
        self.drawn = False

    def results(self, skip_hashes: frozenset[str] = frozenset()) -> Iterator[Any]:
        from officialgraph.loaders.extract import extract_pages
        self.started = self.shown = time.monotonic()
        for result in extract_pages(self.files, page_date=self.date, jobs=self.jobs, skip_hashes=skip_hashes):
            self.done += 1
            self.size += result.size
            self.skipped += result.skipped
            self.records += len(result.records)
            if result.error:
                self.failed += 1
                self._failure(result)
            self._progress()
            yield result

    def progress_line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.size / elapsed
        left = (self.total_bytes - self.size) / rate if rate else float("inf")
        share = 100 * self.done / len(self.files) if self.files else 100
        return (f"pages {self.done}/{len(self.files)} ({share:.0f}%), {rate / 1e6:.2f} MB/s, "
                f"{_duration(left)} left")

    def _progress(self) -> None:
        if self.reporter.silent:
            return
        now = time.monotonic()
        last = self.done == len(self.files)
        if not last and now - self.shown < (REDRAW_EVERY if self.reporter.live else PROGRESS_EVERY):
            return
        self.shown = now
        if self.reporter.live:
            click.echo(f"\r{self.progress_line()}\x1b[K", err=True, nl=False)
            self.drawn = True
        else:
            click.echo(self.progress_line(), err=True)

    def _failure(self, result: Any) -> None:
        # Shown even with --silent: a page that was not extracted is not progress chatter.
        message = result.error if result.source in result.error else f"{result.source}: {result.error}"
        clear = "\r\x1b[K" if self.drawn else ""
        click.echo(f"{clear}page failed, skipped: {message}", err=True)

    def finish(self) -> None:
        """End the live line, say what was done, and fail (exit 1) if any page failed."""
        if self.drawn:
            click.echo(err=True)
            self.drawn = False
        elapsed = time.monotonic() - self.started
        skipped = f", {self.skipped} skipped as already done (--resume)" if self.skipped else ""
        self.reporter.say(f"{self.done - self.failed - self.skipped} pages extracted{skipped}, "
                          f"{self.records} article records, {self.size / 1e6:.2f} MB in {elapsed:.1f} s "
                          f"({self.size / 1e6 / max(elapsed, 1e-6):.2f} MB/s, {self.jobs} jobs)")

    def check(self) -> None:
        if self.failed:
            raise click.ClickException(f"{self.failed} page{'s' if self.failed != 1 else ''} failed")


def jobs_option(func: Callable) -> Callable:
    return click.option("--jobs", type=int, default=None,
                        help="Pages extracted in parallel [default: all cores].")(func)


def resume_hashes(path: Path) -> frozenset[str]:
    """page_hash values already in a JSON Lines output.

    A run killed mid-write leaves a torn last line; it is cut off together with the lines of the
    last page before it (that page may be incomplete), so that page is extracted again, whole.
    """
    import json
    if not path.exists():
        return frozenset()
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            data = _drop_last_page(data[:data.rfind(b"\n") + 1])
            fh.truncate(len(data))
    hashes = set()
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            hashes.add(json.loads(line)["page_hash"])
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}: line {number}: not a record with a page_hash; cannot --resume") from None
    return frozenset(hashes)


def _drop_last_page(data: bytes) -> bytes:
    import json
    lines = data.splitlines(keepends=True)
    last = None
    while lines:
        try:
            digest = json.loads(lines[-1])["page_hash"]
        except (ValueError, KeyError, TypeError):
            break
        if last is not None and digest != last:
            break
        last = digest
        lines.pop()
    return b"".join(lines)


def store_page_hashes(store: Any) -> frozenset[str]:
    """page_hash of every Article already in a store (what `build --resume` skips)."""
    if hasattr(store, "page_hashes"):
        return frozenset(store.page_hashes())
    graph = getattr(store, "graph", None)
    if graph is None:
        raise StoreError(f"the {getattr(store, 'kind', 'this')} store cannot list its pages; --resume is not available")
    return frozenset(attrs["page_hash"] for _, attrs in graph.nodes(data=True)
                     if attrs.get("label") == "Article" and attrs.get("page_hash"))


def counts_line(stats: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in stats.items())


# --- commands ---------------------------------------------------------------------------------

@click.group(context_settings=CONTEXT)
@click.version_option(package_name="officialgraph")
def main() -> None:
    """Knowledge graph of officials' public appearances from Chinese local-newspaper pages.

    \b
    Example:
      officialgraph build seeds/
      officialgraph query met-with 张俊峰 --table
      officialgraph export graphml -o graph.graphml --projection co-attendance
    """


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", required=True, help="JSON Lines file to write ('-' for stdout).")
@click.option("--date", help="Page date YYYY-MM-DD, for articles whose year the page does not state.")
@jobs_option
@click.option("--resume", is_flag=True,
              help="Append to OUTPUT, skipping pages whose content hash is already in it.")
@silent_option
@library_errors
def extract(paths: tuple[str, ...], output: str, date: str | None, jobs: int | None, resume: bool,
            silent: bool) -> None:
    """Extract article records from pages (.txt files or folders of them) to JSON Lines.

    Records are written as pages finish; a page that cannot be read is reported and skipped,
    and the command exits 1 at the end saying how many failed.

    \b
    Example:
      officialgraph extract seeds/ -o records.jsonl --jobs 2
      officialgraph extract city/ -o records.jsonl --resume   # after adding pages, or a stop
    """
    from officialgraph.loaders.records import dump_record
    run = PageRun(paths, date, jobs, Reporter(silent))
    if output == "-":
        if resume:
            raise InputError("--resume needs an output file, not stdout")
        _write_stream(run, sys.stdout, frozenset(), dump_record)
    else:
        path = Path(output)
        skip = resume_hashes(path) if resume else frozenset()
        try:
            with open(path, "a" if resume else "w", encoding="utf-8", newline="\n") as fh:
                _write_stream(run, fh, skip, dump_record)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
    run.finish()
    run.reporter.say(f"wrote {run.records} article records to {output}")
    run.check()


def _write_stream(run: PageRun, out: Any, skip: frozenset[str], dump: Callable[[Any], str]) -> None:
    """Each page's records in one write, flushed: a stopped run keeps every page it finished."""
    for result in run.results(skip):
        if result.records:
            out.write("".join(dump(record) + "\n" for record in result.records))
            out.flush()


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1)
@click.option("--date", help="Page date YYYY-MM-DD, for articles whose year the page does not state.")
@jobs_option
@click.option("--resume", is_flag=True, help="Skip pages whose content hash is already in the graph.")
@store_options
@batch_size_option
@silent_option
@library_errors
def build(paths: tuple[str, ...], date: str | None, jobs: int | None, resume: bool, silent: bool,
          store: str, batch_size: int | None, **kw: Any) -> None:
    """Extract pages and merge them into the graph (loading twice changes nothing).

    Records are loaded in batches as pages finish; a page that cannot be read is reported and
    skipped, what loaded is kept, and the command exits 1 at the end saying how many failed.

    \b
    Example:
      officialgraph build seeds/ --graph city.graph.json
      officialgraph build city/ --graph city.graph.json --resume
    """
    run = PageRun(paths, date, jobs, Reporter(silent))
    options = load_kwargs(store, batch_size)
    with writable_store(store, store_kwargs(kw)) as target:
        skip = store_page_hashes(target) if resume else frozenset()
        stats = target.load_records((record for result in run.results(skip) for record in result.records),
                                    **options)
    run.finish()
    run.reporter.say(f"built graph: {counts_line(stats)}")
    run.check()


@main.command(context_settings=CONTEXT)
@click.option("--years", type=int, default=1, show_default=True, help="Years of pages.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bytes.")
@click.option("--pages-per-year", type=int, default=4000, show_default=True, help="Pages in each year.")
@click.option("--start-year", type=int, default=2015, show_default=True, help="First year.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write pages/, gold/, truth/ and manifest.json into.")
@silent_option
@library_errors
def synth(years: int, seed: int, pages_per_year: int, start_year: int, output: Path, silent: bool) -> None:
    """Generate a synthetic corpus with known truth (pages plus gold) for tests and benchmarks.

    \b
    Example:
      officialgraph synth --years 10 --seed 1 -o decade/
      officialgraph extract decade/pages -o decade.jsonl
    """
    from officialgraph.synth import generate_corpus
    reporter = Reporter(silent)
    started = shown = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal shown
        now = time.monotonic()
        if reporter.silent or (done < total and now - shown < (REDRAW_EVERY if reporter.live else PROGRESS_EVERY)):
            return
        shown = now
        left = (now - started) / done * (total - done)
        line = f"pages {done}/{total} ({100 * done / total:.0f}%), {_duration(left)} left"
        click.echo(f"\r{line}\x1b[K" if reporter.live else line, err=True, nl=not reporter.live or done == total)

    summary = generate_corpus(output, years=years, seed=seed, pages_per_year=pages_per_year,
                              start_year=start_year, progress=progress)
    reporter.say(f"wrote {summary.pages} pages ({summary.bytes / 1e6:.1f} MB, {summary.articles} articles, "
                 f"{summary.appearances} appearances) with gold to {output} in {time.monotonic() - started:.1f} s")


@main.command(context_settings=CONTEXT)
@click.argument("records_file", metavar="RECORDS.jsonl", type=click.Path(path_type=Path))
@store_options
@batch_size_option
@silent_option
@library_errors
def load(records_file: Path, silent: bool, store: str, batch_size: int | None, **kw: Any) -> None:
    """Merge a JSON Lines file of records (from `extract`) into the graph.

    The whole file is checked first: a broken line stops the load before the graph changes.

    \b
    Example:
      officialgraph load records.jsonl --graph city.graph.json
    """
    from officialgraph.loaders.records import read_records
    reporter = Reporter(silent)
    checked = sum(1 for _ in read_records(records_file))
    options = load_kwargs(store, batch_size)
    with writable_store(store, store_kwargs(kw)) as target:
        stats = target.load_records(read_records(records_file), progress=reporter.records, **options)
    if reporter.live:
        click.echo(err=True)
    reporter.say(f"loaded {checked} records: {counts_line(stats)}")


# --- query: one subcommand per canned query, generated from its spec -------------------------

QUERY_HELP = """Run a canned query; `officialgraph query NAME --help` shows its arguments.

\b
Example:
  officialgraph query met-with 张俊峰
  officialgraph query timeline 王强 --region 甲区 --table
  officialgraph query top --by central --csv
"""


@main.group(context_settings=CONTEXT, help=QUERY_HELP)
def query() -> None:
    pass


def _query_params(spec: Any) -> list[click.Parameter]:
    params: list[click.Parameter] = []
    for arg in spec.args:
        if arg.positional:
            params.append(click.Argument([arg.name], required=arg.required))
            continue
        kind: Any = {"int": click.INT}.get(arg.type, click.STRING)
        if arg.choices:
            kind = click.Choice(arg.choices)
        params.append(click.Option([f"--{arg.name.replace('_', '-')}", arg.name], type=kind, default=arg.default,
                                   show_default=arg.default is not None, help=arg.help))
    return params


def _query_command(spec: Any) -> click.Command:
    @output_options
    @store_options
    @silent_option
    @library_errors
    def run(fmt: str, silent: bool, store: str, graph_file: Path | None, uri: str | None, user: str | None,
            password: str | None, database: str | None, **args: Any) -> None:
        from officialgraph.queries import run_query
        source = open_store(store, **store_kwargs(locals()))
        try:
            rows = run_query(source, spec.name, **args)
        finally:
            source.close()
        click.echo(render(rows, fmt, spec.columns), nl=False)
        if not rows and fmt == "table":
            Reporter(silent).say("(no rows)")

    arguments = "".join(f"\n  {a.name.upper():<10} {a.help}" for a in spec.args if a.positional)
    help_text = spec.description
    if arguments:
        help_text += f"\n\n\b\nArguments:{arguments}"
    help_text += f"\n\n\b\nExample:\n  {spec.example}"
    command = click.command(spec.name, help=help_text, context_settings=CONTEXT)(run)
    command.params[:0] = _query_params(spec)
    return command


def _add_query_commands(group: click.Group, make_command: Callable[[Any], click.Command]) -> None:
    """One subcommand of ``group`` per canned query (query and cypher share the specs)."""
    from officialgraph.queries import QUERIES
    for spec in QUERIES.values():
        group.add_command(make_command(spec))


_add_query_commands(query, _query_command)


# --- cypher: a canned query as Neo4j Browser input ---------------------------------------------

CYPHER_HELP = """Print a canned query's Cypher for Neo4j Browser: `:param name => value;` lines, then the
query. Paste the whole output into Browser's editor and run it. The arguments are those of
`officialgraph query NAME` (see `officialgraph cypher NAME --help`); no store is opened.

\b
Example:
  officialgraph cypher met-with 张俊峰 --limit 5
  officialgraph cypher events --topic 大气污染防治 --since 2021-11
"""


@main.group(context_settings=CONTEXT, help=CYPHER_HELP)
def cypher() -> None:
    pass


def _cypher_command(spec: Any) -> click.Command:
    @library_errors
    def show(**args: Any) -> None:
        from officialgraph.queries import check_args
        from officialgraph.queries.cypher import browser_script
        click.echo(browser_script(spec, check_args(spec, args)), nl=False)

    example = spec.example.replace("officialgraph query ", "officialgraph cypher ", 1)
    example = re.sub(r" --(table|csv|json)\b", "", example)
    help_text = f"The Cypher of `query {spec.name}`: {spec.description}\n\n\b\nExample:\n  {example}"
    command = click.command(spec.name, help=help_text, context_settings=CONTEXT)(show)
    command.params[:0] = _query_params(spec)
    return command


_add_query_commands(cypher, _cypher_command)


# --- export -----------------------------------------------------------------------------------

@main.group(context_settings=CONTEXT)
def export() -> None:
    """Write the graph in another format.

    \b
    Example:
      officialgraph export graphml -o graph.graphml
    """


@export.command("neo4j-admin", context_settings=CONTEXT)
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@graph_option
@silent_option
@library_errors
def neo4j_admin(out_dir: Path, graph_file: Path | None, silent: bool) -> None:
    """CSV files for `neo4j-admin database import full`: the first load of a large corpus.

    Writes one file per label and relationship type from the embedded graph (the rows the
    batched writer MERGEs), import.args (the import options) and empty_lists.json; after
    starting the imported database, `officialgraph.graph.admin_import.finish_import` adds the
    key constraints and the empty lists neo4j-admin leaves out.

    \b
    Example:
      officialgraph build city/ --graph city.graph.json
      officialgraph export neo4j-admin import/ --graph city.graph.json
      neo4j-admin database import full $(cat import/import.args) neo4j
    """
    from officialgraph.graph.admin_import import export_admin_csv, import_arguments
    source = open_store("memory", graph=graph_file)
    counts = export_admin_csv(source.graph, out_dir)
    reporter = Reporter(silent)
    reporter.say(f"wrote {out_dir}: {counts_line(counts)}")
    reporter.say("import with: neo4j-admin " + " ".join(import_arguments(out_dir)))


@export.command(context_settings=CONTEXT)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="GraphML file to write.")
@click.option("--projection", type=click.Choice(["co-attendance"]),
              help="Instead of the typed graph: people only, an edge per pair weighted by shared events.")
@store_options
@silent_option
@library_errors
def graphml(output: Path, projection: str | None, silent: bool, store: str, **kw: Any) -> None:
    """GraphML for Gephi, yEd or igraph: typed nodes (`label`), lists joined with |, Chinese intact.

    \b
    Example:
      officialgraph export graphml -o people.graphml --projection co-attendance
    """
    from officialgraph.graph.graphml import export_graphml
    source = open_store(store, **store_kwargs(kw))
    try:
        nx_graph = getattr(source, "graph", None)
        if nx_graph is None and hasattr(source, "to_networkx"):
            nx_graph = source.to_networkx()
        if nx_graph is None:
            raise StoreError(f"the {store} store cannot export GraphML")
        counts = export_graphml(nx_graph, output, projection=projection)
    finally:
        source.close()
    Reporter(silent).say(f"wrote {output}: {counts['nodes']} nodes, {counts['edges']} edges")


# --- dossier ----------------------------------------------------------------------------------

@main.command(context_settings=CONTEXT)
@click.argument("name")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write: one self-contained page, nothing fetched when opened.")
@click.option("--region", help="The person's home region, when the name is held in several.")
@store_options
@silent_option
@library_errors
def dossier(name: str, output: Path, region: str | None, silent: bool, store: str, **kw: Any) -> None:
    """One person's dossier as an HTML page: timeline, posts, co-attendance network, evidence.

    \b
    Example:
      officialgraph dossier 张俊峰 -o 张俊峰.html
      officialgraph dossier 王强 --region 甲区 -o 王强.html --store neo4j
    """
    from officialgraph.dossier import build_dossier, render_dossier
    source = open_store(store, **store_kwargs(kw))
    try:
        data = build_dossier(source, name, region=region)
    finally:
        source.close()
    atomic_write_text(output, lambda fh: fh.write(render_dossier(data)))
    Reporter(silent).say(f"wrote {output}: {len(data.timeline)} appearances, {len(data.posts)} posts, "
                         f"{len(data.network.nodes)} people in the network")


if __name__ == "__main__":  # pragma: no cover
    main()
