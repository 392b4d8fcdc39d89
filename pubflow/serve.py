"""Serve: a live preview of one edition for translators and editors.

Made of sphinx-autobuild's parts: its watcher (``RebuildServer``, on
watchfiles), its ignore filter, and its middleware that puts the live-reload
script into every HTML page, served by Starlette on uvicorn. What is rebuilt
is pubflow's own edition build (:func:`pubflow.build.build_html`), so the
preview is exactly what ``pubflow build`` makes. It watches the documents,
the edition's catalogs and the glossary; a glossary change is converted into
the OpenCC editions first, since that is where it shows.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sphinx_autobuild.filter import IgnoreFilter
from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
from sphinx_autobuild.server import RebuildServer
from sphinx_autobuild.utils import find_free_port
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles

from pubflow.build import Edition, Progress, build_html
from pubflow.config import ProjectConfig, load_config, parse_bilingual
from pubflow.errors import PubflowError
from pubflow.lock import project_lock

#: Files that change without being sources: compiled catalogs, editors' and pubflow's temporary files.
IGNORED = [r"\.mo$", r"~$", r"\.sw[a-p]$", r"/\.#", r"\.tmp$", r"/\.[^/]*\.po\.[^/]*$"]


@dataclass(frozen=True)
class Rebuild:
    """The change callback; run in a worker process by the watcher, so it carries only plain data."""

    root: Path
    edition: Edition

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        def say(message: str) -> None:
            print(f"pubflow: {message}", file=sys.stderr, flush=True)

        try:
            config = load_config(self.root)
            if changed_paths:
                say("changed: " + ", ".join(str(p.relative_to(config.root)) for p in changed_paths[:5]))
            # Each rebuild writes as `pubflow build` does, so it takes turns with the other writing verbs.
            with project_lock(config.output_dir, "serve", progress=say):
                if config.glossary_path.resolve() in [p.resolve() for p in changed_paths]:
                    self.convert(config, say)
                result = build_html(config, [self.edition], progress=say)
            for line in result.problems.get(self.edition.name, []):
                say(line)
        except PubflowError as error:
            say(f"error: {error} (the preview keeps the last good build)")

    def convert(self, config: ProjectConfig, say: Progress) -> None:
        from pubflow.convert import convert_catalogs

        locales = [config.locale(name) for name in self.edition.locales]
        opencc = [loc for loc in locales if loc.method == "opencc"]
        if opencc:
            convert_catalogs(config, opencc, progress=say)


def edition_to_serve(config: ProjectConfig, locale: str | None, bilingual: str | None) -> Edition:
    if bilingual:
        return Edition.of_pair(*parse_bilingual(bilingual, config.locales))
    return Edition.of_locale(config.locale(locale or config.source_language))


def watched_paths(config: ProjectConfig, edition: Edition) -> list[Path]:
    paths = [config.docs_dir]
    for name in edition.locales:
        folder = config.locale_dir / name
        if config.locale(name).method != "source":
            folder.mkdir(parents=True, exist_ok=True)
            paths.append(folder)
    if config.glossary_path.exists():
        paths.append(config.glossary_path)
    return paths


def make_app(config: ProjectConfig, edition: Edition, url_host: str) -> Starlette:
    ignore = IgnoreFilter([config.output_dir], IGNORED)
    watcher = RebuildServer(watched_paths(config, edition), ignore, change_callback=Rebuild(config.root, edition))  # type: ignore[arg-type]
    site = config.output_dir / "html"
    site.mkdir(parents=True, exist_ok=True)
    return Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=StaticFiles(directory=site, html=True), name="static"),
        ],
        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=url_host)],
        lifespan=watcher.lifespan,
    )


def _require_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PubflowError(
                f"cannot serve on {host}:{port}: {error.strerror.lower() if error.strerror else error} "
                "(another server?); pass --port N, or --port 0 for a free one"
            ) from None


def serve_edition(
    config: ProjectConfig,
    locale: str | None,
    bilingual: str | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    progress: Progress = lambda _: None,
) -> int:
    """Build the edition, then serve it until interrupted, rebuilding on every change."""
    edition = edition_to_serve(config, locale, bilingual)
    port = port or find_free_port()
    _require_free(host, port)  # before the build: uvicorn would say it only after, on a line of its own
    url_host = f"{host}:{port}"
    progress(f"building {edition.name}")
    Rebuild(config.root, edition)(changed_paths=())
    app = make_app(config, edition, url_host)
    progress(f"serving http://{url_host}/{edition.name}/index.html (Ctrl+C to stop)")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how a preview ends
        uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
