"""The intake's routes, on Starlette: ``/new``, ``/reply/<slug>``, ``/healthz`` and the stylesheet.

A POST goes, in order: signed token (403, the typed text shown again), abuse signs (held in
quarantine: 400, 422), the checks of ``entraide check`` (422, every problem beside its field),
preview or similar published threads (200, nothing written yet), rate limit (quarantine: 429), then
the durable write, and only then the receipt. Bad input always gets a 4xx page with a message.
Run it with ``entraide intake``, or ``uvicorn --factory entraide.intake.app:create_app``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from builder.i18n import format_day
from entraide import clock, markup, statedir
from entraide.composing import with_consent
from entraide.errors import ContentError
from entraide.intake import abuse, forms, proofofwork, rendering, spool, status, tokens
from entraide.intake.gitdelivery import GitDelivery
from entraide.intake.ledger import LEDGER_FILE, Ledger
from entraide.intake.limits import BodyLimit, BodyTooLarge
from entraide.intake.settings import Settings, from_environment
from entraide.intake.words import CONSENT, WORDS, message
from entraide.loading.loader import load_content
from entraide.model import LANGUAGES, LICENSES, ContentTree
from entraide.moderation import quarantine
from entraide.moderation.submissions import DUPLICATE_OVERLAP

log = logging.getLogger(__name__)

SWEEP_AFTER = 60.0
"""A worker starting next to running ones removes only temporary files older than this (seconds)."""
TREE_TTL = 30.0
"""Seconds a worker keeps the published content in memory before reading it again."""


@dataclass
class ContentCache:
    """The published content, read again in the background once ``TREE_TTL`` old.

    Reading the content takes a good part of a second on a large site: a request never waits for it,
    except the very first one. Until the new reading is ready, requests use the previous one.
    """

    settings: Settings
    tree: ContentTree | None = None
    loaded: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    refreshing: bool = False

    def get(self) -> ContentTree | None:
        with self.lock:
            if self.loaded == 0.0:
                self._load()
                return self.tree
            if time.monotonic() - self.loaded > TREE_TTL and not self.refreshing:
                self.refreshing = True
                threading.Thread(target=self._refresh, daemon=True).start()
            return self.tree

    def _refresh(self) -> None:
        try:
            tree = self._read()
            with self.lock:
                self.tree, self.loaded = tree, time.monotonic()
        finally:
            self.refreshing = False

    def _load(self) -> None:
        self.tree, self.loaded = self._read(), time.monotonic()

    def _read(self) -> ContentTree | None:
        """The published content, or ``None`` (and the operator told why) when it has problems."""
        try:
            return load_content(self.settings.project.content_dir, base=self.settings.project.root)
        except ContentError as error:
            log.error("the published content has problems; the intake cannot check posts:\n%s", error)
            return None


class Intake:
    """The routes' shared state: settings, templates, content, rate limiter."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.env = rendering.environment(settings.project.templates_dir or settings.project.root / "templates")
        self.content = ContentCache(settings)
        self.limiter = abuse.RateLimiter(settings.rate_file, settings.secret, settings.rate_count,
                                         settings.rate_window)
        self.ledger = Ledger(statedir.ensure(settings.project.state_dir) / LEDGER_FILE, settings.secret)
        self.pow = proofofwork.Verifier(settings.rate_file, settings.secret) if settings.proof_of_work else None
        self.git: GitDelivery | None = None
        if settings.delivery == "git":
            self.git = GitDelivery(settings.project.root, settings.project.state_dir, settings.remote,
                                   settings.max_backoff)
        self.stop = threading.Event()

    def known(self, submission_id: str) -> bool:
        """On disk already, waiting for the editors (the ledger also knows posts decided since)."""
        if self.git is not None:
            return self.git.known(submission_id)
        return (self.settings.project.submissions_dir / f"{submission_id}.md").is_file()

    def deliver(self, submission_id: str, text: str) -> spool.Receipt:
        """Durable before it returns: the file in submissions/, or in the git spool."""
        if self.git is not None:
            fresh = self.git.accept(submission_id, text)
            return spool.Receipt(submission_id, self.git.spool / f"{submission_id}.md", again=not fresh)
        return spool.deliver(self.settings.project.submissions_dir, submission_id, text)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """With git delivery, each worker runs a pusher thread; one at a time pushes (a file lock)."""
        thread = None
        if self.git is not None:
            thread = threading.Thread(target=self.git.run_forever, args=(self.stop,), daemon=True)
            thread.start()
        yield
        self.stop.set()
        if self.git is not None:
            self.git.wake.set()
        if thread is not None:
            thread.join(timeout=10)

    # -- pages ----------------------------------------------------------------------------------
    def lang(self, request: Request) -> str:
        asked = request.query_params.get("lang", "")
        return asked if asked in LANGUAGES else self.settings.lang

    def message_page(self, request: Request, status: int, text: str, title: str = "") -> Response:
        lang = self.lang(request)
        return rendering.page(self.env, "message.html", status, lang=lang, w=WORDS[lang], title=title or text,
                              text=text, back=self._form_url(request))

    def _form_url(self, request: Request) -> str:
        path = request.url.path if request.url.path.startswith(("/new", "/reply/")) else "/new"
        return path + (f"?lang={self.lang(request)}" if "lang" in request.query_params else "")

    def form_page(self, request: Request, form: forms.PostForm, thread_title: str, status: int = 200,
                  errors: dict[str, list[str]] | None = None, notice: str = "", preview: str = "",
                  similar: list[Any] | None = None) -> Response:
        lang = self.lang(request)
        tree = self.content.get()
        binding = request.cookies.get(tokens.COOKIE) or tokens.new_binding()
        errors = errors or {}
        summary = [(name, WORDS[lang].get(name, name), message(text, lang))
                   for name in [*forms.FIELDS, "general"] for text in errors.get(name, [])]
        response = rendering.page(
            self.env, "form.html", status, lang=lang, w=WORDS[lang], form=form, errors=errors, summary=summary,
            notice=notice, preview=preview, similar=similar or [], thread_title=thread_title,
            themes=[(t.slug, t.title(lang)) for t in (tree.themes if tree else [])], licenses=LICENSES,
            languages=LANGUAGES, consent=CONSENT[lang], token=tokens.issue(self.settings.secret, binding),
            honeypot=abuse.HONEYPOT, action=str(request.url.path) + (f"?lang={lang}" if lang != self.settings.lang
                                                                      else ""),
            other_lang=str(request.url.path) + f"?lang={'en' if lang == 'fr' else 'fr'}",
            message=lambda text: message(text, lang),
            pow_challenge=proofofwork.challenge(self.settings.secret, self.settings.proof_of_work) if self.pow else "",
        )
        if request.cookies.get(tokens.COOKIE) != binding:
            response.set_cookie(tokens.COOKIE, binding, max_age=int(self.settings.max_token_age), httponly=True,
                                samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    def thread_url(self, slug: str) -> str:
        base = self.settings.site_url
        return f"{base.rstrip('/')}/{slug}/" if base else ""

    # -- routes ---------------------------------------------------------------------------------
    async def new(self, request: Request) -> Response:
        tree = await run_in_threadpool(self.content.get)
        if tree is None:
            return self.message_page(request, 503, WORDS[self.lang(request)]["unavailable"])
        if request.method == "GET":
            theme = request.query_params.get("theme", "")
            if theme and theme not in tree.themes_by_slug:
                return self.message_page(request, 404, WORDS[self.lang(request)]["unknown_theme"].format(theme=theme))
            return self.form_page(request, forms.PostForm(theme=theme, lang=self.lang(request)), "")
        return await self.receive(request, "", "")

    async def reply(self, request: Request) -> Response:
        tree = await run_in_threadpool(self.content.get)
        if tree is None:
            return self.message_page(request, 503, WORDS[self.lang(request)]["unavailable"])
        slug = request.path_params["slug"]
        thread = tree.threads_by_slug.get(slug)
        if thread is None:
            return self.message_page(request, 404, WORDS[self.lang(request)]["unknown_thread"].format(slug=slug))
        if request.method == "GET":
            return self.form_page(request, forms.PostForm(reply_to=slug, lang=self.lang(request)), thread.title)
        return await self.receive(request, slug, thread.title)

    async def receive(self, request: Request, reply_to: str, thread_title: str) -> Response:
        lang, w, settings = self.lang(request), WORDS[self.lang(request)], self.settings
        try:
            data: FormData = await request.form(max_files=0, max_fields=40, max_part_size=settings.max_body_bytes)
        except BodyTooLarge:
            raise
        except (HTTPException, ValueError, UnicodeDecodeError):
            return self.message_page(request, 400, w["bad_request"])
        if any(not isinstance(value, str) for _key, value in data.multi_items()):
            return self.message_page(request, 400, w["bad_request"])
        form = forms.PostForm.from_fields(data, reply_to=reply_to, default_lang=lang)
        if form.lang not in LANGUAGES:
            form = forms.PostForm(**{**form.__dict__, "lang": lang})
        checked = tokens.check(settings.secret, str(data.get("token", "")), request.cookies.get(tokens.COOKIE, ""),
                               settings.max_token_age)
        if not checked.ok:
            return self.form_page(request, form, thread_title, 403, notice=w["csrf"])
        return await run_in_threadpool(self._process, request, form, data, checked.age, thread_title)

    def _process(self, request: Request, form: forms.PostForm, data: FormData, age: float,
                 thread_title: str) -> Response:
        lang, w, settings = self.lang(request), WORDS[self.lang(request)], self.settings
        now = clock.now()
        links = abuse.count_links(form.title, form.body)
        verdict = abuse.screen(str(data.get(abuse.HONEYPOT, "")), age, settings.min_fill_seconds, links,
                               settings.max_links)
        if verdict is not None:
            return self._hold(request, form, now, verdict, thread_title)
        tree = self.content.get()
        outcome = forms.problems(form, tree, settings.project.root, now)
        if not outcome.ok:
            return self.form_page(request, form, thread_title, 422, errors=outcome.errors)
        action = str(data.get("action", "send"))
        preview = markup.render(form.body, form.lang) if action == "preview" else ""
        similar = []
        if not form.is_reply and action != "send-anyway":
            similar = self._similar(form)
        if preview or similar:
            return self.form_page(request, form, thread_title, 200, preview=preview, similar=similar)
        submission_id = form.submission_id()
        seen = self.ledger.knows(submission_id)  # acknowledged once: the same receipt, nothing written
        if not seen and not self.known(submission_id):
            if self.pow is not None and (unproven := self.pow.problem(str(data.get(proofofwork.FIELD, "")))):
                return self._hold(request, form, now, abuse.Verdict(proofofwork.MISSING, unproven), thread_title)
            over = self.limiter.hit({"address": _client(request), "name": form.author.casefold()})
            if over is not None:
                held = abuse.Verdict(abuse.RATE_LIMITED, f"over the {over} limit")
                return self._hold(request, form, now, held, thread_title)
        if seen:
            receipt = spool.Receipt(submission_id, settings.project.submissions_dir / f"{submission_id}.md", True)
        else:
            receipt = self.deliver(submission_id, _with_consent(forms.submission(form, now), form, lang))
        token = self.ledger.record(receipt.id)  # after the write: a receipt only for what is on disk
        log.info("submission %s %s", receipt.id, "again" if receipt.again else "written")
        status_url = f"/status/{token}" + (f"?lang={lang}" if lang != settings.lang else "")
        response = rendering.page(self.env, "receipt.html", 200, lang=lang, w=w, receipt=receipt,
                                  status_url=status_url, status_url_full=self.public_url(request, status_url))
        response.headers["x-entraide-submission"] = receipt.id
        return response

    def _similar(self, form: forms.PostForm) -> list[dict[str, str]]:
        from search.service import similar_threads

        found = similar_threads(self.settings.project.search_dir, {"form": (form.title, form.body, form.lang)})
        return [{"slug": s.slug, "title": s.title, "url": self.thread_url(s.slug)}
                for s in found.get("form", []) if s.overlap >= DUPLICATE_OVERLAP]

    def _hold(self, request: Request, form: forms.PostForm, now: datetime, verdict: abuse.Verdict,
              thread_title: str = "") -> Response:
        lang, w = self.lang(request), WORDS[self.lang(request)]
        text = _with_consent(forms.submission(form, now), form, lang)
        if quarantine.count(self.settings.quarantine_dir) >= self.settings.max_quarantine:
            # under a flood, refusing (the person sees it, the text stays in the form) beats filling the disk
            log.error("quarantine full (%d posts): submission %s refused", self.settings.max_quarantine,
                      form.submission_id())
            return self.form_page(request, form, thread_title, 503, notice=w["quarantine_full"])
        quarantine.hold(self.settings.quarantine_dir, form.submission_id(), text, verdict.code, verdict.detail)
        log.warning("submission %s quarantined: %s (%s)", form.submission_id(), verdict.code, verdict.detail)
        status = {abuse.RATE_LIMITED: 429, abuse.TOO_MANY_LINKS: 422}.get(verdict.code, 400)
        reason = w[verdict.code.replace("-", "_") if verdict.code != abuse.HONEYPOT_FILLED else "honeypot_filled"]
        text = w["held_text"].format(reason=reason.format(max_links=self.settings.max_links))
        return rendering.page(self.env, "message.html", status, lang=lang, w=w, title=w["held_title"], text=text,
                              back=self._form_url(request))

    def public_url(self, request: Request, path: str) -> str:
        """``path`` as a full address the author can keep (behind a proxy, the address it was asked at)."""
        return str(request.base_url).rstrip("/") + path

    async def status_page(self, request: Request) -> Response:
        """The author's private page: where the post stands; withdraw it while it is pending."""
        lang, w = self.lang(request), WORDS[self.lang(request)]
        entry = await run_in_threadpool(self.ledger.find, request.path_params["token"])
        if entry is None:
            return self.message_page(request, 404, w["status_unknown"])
        notice = ""
        if request.method == "POST":
            notice = await self._withdraw(request, entry)
            entry = await run_in_threadpool(self.ledger.find, request.path_params["token"]) or entry
        found = await run_in_threadpool(status.of, self.settings.project, entry.id, entry.withdrawn)
        binding = request.cookies.get(tokens.COOKIE) or tokens.new_binding()
        thread_url = ""
        if found.thread and (base := self.thread_url(found.thread)):
            thread_url = base + (f"#{found.anchor}" if found.anchor else "")
        when = format_day(found.when[:10], lang) if found.when[:10] else ""
        contact = f" ({self.settings.contact})" if self.settings.contact else ""
        response = rendering.page(
            self.env, "status.html", 200, lang=lang, w=w, found=found, submission_id=entry.id, when=when,
            thread_url=thread_url, contact=contact, notice=notice, token=tokens.issue(self.settings.secret, binding),
            action=str(request.url.path) + (f"?lang={lang}" if lang != self.settings.lang else ""),
        )
        if request.cookies.get(tokens.COOKIE) != binding:
            response.set_cookie(tokens.COOKIE, binding, max_age=int(self.settings.max_token_age), httponly=True,
                                samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    async def _withdraw(self, request: Request, entry: Any) -> str:
        """Carry out the author's withdrawal; the sentence that says how it went."""
        w = WORDS[self.lang(request)]
        try:
            data = await request.form(max_files=0, max_fields=5, max_part_size=4096)
        except (HTTPException, ValueError, UnicodeDecodeError):
            return w["status_csrf"]
        checked = tokens.check(self.settings.secret, str(data.get("token", "")),
                               request.cookies.get(tokens.COOKIE, ""), self.settings.max_token_age)
        if not checked.ok or data.get("action") != "withdraw":
            return w["status_csrf"]
        current = await run_in_threadpool(status.of, self.settings.project, entry.id, entry.withdrawn)
        if current.state != status.PENDING:
            return w["status_not_pending"]
        if self.git is not None:
            await run_in_threadpool(self.git.withdraw, entry.id)
        else:
            try:
                done = await run_in_threadpool(status.withdraw_from_folder, self.settings.project, entry.id)
            except status.BusyError:
                return w["status_busy"]
            if not done:
                return w["status_not_pending"]
        await run_in_threadpool(self.ledger.mark_withdrawn, entry.id)
        log.info("submission %s withdrawn by its author", entry.id)
        return w["status_withdrawn_now"]

    async def healthz(self, request: Request) -> Response:
        folder = self.settings.project.submissions_dir
        ok = folder.is_dir() or not folder.exists()
        return PlainTextResponse("ok\n" if ok else "submissions/ is not a folder\n", status_code=200 if ok else 503)

    async def stylesheet(self, request: Request) -> Response:
        path = (self.settings.project.templates_dir or self.settings.project.root / "templates") / "intake"
        name = request.path_params["name"]
        if name not in ("intake.css", "intake.js", "pow.js"):
            return self.message_page(request, 404, WORDS[self.lang(request)]["not_found"])
        return FileResponse(path / name)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        w = WORDS[self.lang(request)]
        response = self.message_page(request, 413, w["too_big"].format(max_kb=self.settings.max_body_bytes // 1024))
        response.headers["connection"] = "close"
        await response(scope, receive, send)


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _with_consent(text: str, form: forms.PostForm, lang: str) -> str:
    """The submission with the exact consent sentence agreed to (kept in the log when accepted)."""
    return with_consent(text, lang, CONSENT[lang]) if form.consent else text


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application, for uvicorn's ``--factory``; settings come from the environment by default."""
    intake = Intake(settings or from_environment())
    for folder in (intake.settings.project.submissions_dir, intake.settings.quarantine_dir):
        spool.sweep(folder, older_than=SWEEP_AFTER)

    async def http_error(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 400
        w = WORDS[intake.lang(request)]
        text = {404: w["not_found"], 405: w["not_allowed"]}.get(status, w["bad_request"])
        return intake.message_page(request, status if 400 <= status < 500 else 400, text)

    async def body_too_large(request: Request, error: Exception) -> Response:
        w = WORDS[intake.lang(request)]
        response = intake.message_page(request, 413, w["too_big"].format(max_kb=intake.settings.max_body_bytes // 1024))
        response.headers["connection"] = "close"
        return response

    app = Starlette(
        routes=[
            Route("/new", intake.new, methods=["GET", "POST"]),
            Route("/reply/{slug}", intake.reply, methods=["GET", "POST"]),
            Route("/status/{token}", intake.status_page, methods=["GET", "POST"]),
            Route("/healthz", intake.healthz, methods=["GET"]),
            Route("/static/{name}", intake.stylesheet, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error, BodyTooLarge: body_too_large},
        lifespan=intake.lifespan,
    )
    limited = BodyLimit(app, intake.settings.max_body_bytes, intake.too_large)
    return rendering.SecurityHeaders(limited)
