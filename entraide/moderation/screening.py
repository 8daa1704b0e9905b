"""Flags in an untrusted post what an editor must look at before it is published.

* personal data: e-mail addresses, phone numbers, IBANs, French social security numbers — they block
  acceptance until redacted (``entraide redact``) or overridden with a reason;
* raw HTML, which is never interpreted on the site (shown as text) but usually means a paste gone wrong
  or an attempt at something;
* links whose scheme is not http, https or mailto (``javascript:``, ``data:``…), removed by the
  sanitiser anyway, flagged so nobody wonders where they went;
* relative links (``../autre/page``, ``page.html``, ``www.example.org``): the post's text is shown on
  a thread page and in the feeds, where such a link leads nowhere — only a full address works;
* oversized posts; and, for the editor's eyes only, remote images and posts with many links.

Personal data is looked for in the text as a reader would read it: NFKC-normalised (full-width ``＠``
is ``@``), invisible characters removed (a zero-width space inside an address hides nothing), and
spelled-out forms (``name [at] example [dot] com``, ``name (at) example dot com``) too.

Every pattern is linear in the length of its input: no nested or adjacent unbounded repetitions that
could match the same characters, and bounded repetitions elsewhere (``tests/test_screening.py``
runs each one on 100 KB adversarial inputs). Each finding carries the line where it was seen, so
that editors and GitHub annotations point at it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum import iban
from stdnum.fr import nir

from entraide.errors import shown
from entraide.loading.characters import is_invisible

MAX_SUBMISSION_CHARS = 12_000
MAX_LINKS = 20

PERSONAL_DATA = "personal-data"
RAW_HTML = "raw-html"
LINK_SCHEME = "link-scheme"
RELATIVE_LINK = "relative-link"
OVERSIZED = "oversized"
REMOTE_IMAGE = "remote-image"
MANY_LINKS = "many-links"

_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?:\s?@\s?|\s?{_OPEN}\s?(?:at|arobase|chez|@)\s?{_CLOSE}\s?)"
_DOT = rf"(?:\.|\s?{_OPEN}\s?(?:dot|point)\s?{_CLOSE}\s?|\s(?:dot|point)\s)"
_LOCAL = r"(?<![\w.+-])[\w.+-]+"
_TLD = re.compile(r"[a-z]{2,}", re.I)

_EMAILS = [
    re.compile(rf"{_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.I),
    re.compile(r"(?<![\w.+-])[\w.+-]+\s(?:at|arobase)\s[\w-]+(?:\s(?:dot|point)\s[\w-]+)+", re.I),
]
_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    ("an IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"), iban.is_valid),
    (
        "a social security number",
        re.compile(r"(?<!\d)[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3}(?: ?\d{2})?(?!\d)"),
        lambda text: _social_security_number(text),
    ),
    (
        "a phone number",
        re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[ .-]?(?:\(0\))?[ .-]?\d{1,4}(?:[ .-]?\d{2,4}){2,4}(?!\d|[.-]\d)"),
        lambda text: _phone_number(text),
    ),
    (
        "a phone number",
        re.compile(r"(?<![\w.-])0[1-9](?:[ ./-]?\d{2}){4}(?!\d|[./-]\d)"),
        lambda text: _phone_number(text),
    ),
]
"""Each kind of personal data: a linear pattern that finds candidates, then the check that tells a real
one from a look-alike (an IBAN's mod-97 checksum, a social security number's key, a phone number
numbering plans allow), by kept libraries rather than rules of our own."""
_RAW_HTML = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|!--)")
# Where a link's target can stand — and nowhere else: ``big data:``, ``Note :`` or ``javascript: les
# bases`` are prose. A Markdown link or image ``](target``, a reference definition ``[x]: target``, an
# autolink ``<scheme:…>``, and a URL attribute of raw HTML (shown as text, but flagged all the same).
_TARGETS = [
    re.compile(r"\]\(\s*(<[^<>\n]{0,300}|[^\s)]{0,300})"),
    re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*(<[^<>\n]{0,300}|\S{0,300})"),
    re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]{0,300})"),
]
_URL_ATTRIBUTE = re.compile(
    r"(?<![\w-])(?:href|src|action|formaction|data|poster|background|xlink:href)[ \t]*=[ \t]*"
    r"(\"[^\"]{0,300}|'[^']{0,300}|[^\s>]{1,300})",
    re.I,
)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_ALLOWED_SCHEMES = {"http", "https", "mailto"}

PATTERNS: tuple[re.Pattern[str], ...] = (
    *_EMAILS, *(pattern for _label, pattern, _valid in _PATTERNS), _RAW_HTML, *_TARGETS, _URL_ATTRIBUTE, _CODE_SPAN,
    _TLD,
)
"""Every regular expression the screening runs, for the test that feeds them adversarial inputs."""


@dataclass(frozen=True)
class Finding:
    line: int
    code: str
    message: str
    match: str = ""
    label: str = ""
    """What kind of personal data it is (``an e-mail address``), for a message worded elsewhere."""


def readable(line: str) -> tuple[str, list[int]]:
    """``line`` as a reader sees it (NFKC, invisible characters dropped), and for each of its
    characters the index of the character of ``line`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(line):
        if is_invisible(char):
            continue
        for normal in unicodedata.normalize("NFKC", char):
            out.append(normal)
            origin.append(index)
    return "".join(out), origin


def personal_data(line: str) -> list[tuple[str, str]]:
    """``(label, text as written)`` for each e-mail address, phone number, IBAN… in one line."""
    text, origin = readable(line)
    found: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []

    def keep(label: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if any(s <= start and end <= e for s, e in spans):
            return
        spans.append((start, end))
        found.append((label, line[origin[start] : origin[end - 1] + 1]))

    for pattern in _EMAILS:
        for match in pattern.finditer(text):
            last = re.split(r"\W+", match.group(0).rstrip())[-1]
            if _TLD.fullmatch(last):
                keep("an e-mail address", match)
    for label, pattern, valid in _PATTERNS:
        for match in pattern.finditer(text):
            if valid(match.group(0)):
                keep(label, match)
    return found


def _social_security_number(text: str) -> bool:
    """A NIR with its key must have the right key; without one (13 digits) nothing can be checked, and
    the strict shape the pattern asks for (sex, month, department) is kept as enough."""
    digits = text.replace(" ", "")
    return len(digits) == 13 or nir.is_valid(digits)


def _phone_number(text: str) -> bool:
    """A number some numbering plan allocates (French by default, as the site's readers are)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, "FR"))
    except phonenumbers.NumberParseException:
        return False


def screen(text: str, first_line: int = 1) -> list[Finding]:
    """Every finding in ``text``, whose first line is ``first_line`` of its file."""
    findings: list[Finding] = []
    for number, raw_line, line, fenced in _lines(text, first_line):
        for label, written in personal_data(raw_line):
            findings.append(
                Finding(number, PERSONAL_DATA, f"personal data: {label} ({shown(written)})", written, label)
            )
        if not fenced:
            for match in _RAW_HTML.finditer(line):
                findings.append(
                    Finding(
                        number,
                        RAW_HTML,
                        f"raw HTML is shown as text, not interpreted: {shown(match.group(0), 60)}",
                        match.group(0),
                    )
                )
        if not fenced:
            findings += [_bad_link(number, what, target) for what, target in _bad_targets(line)]
            findings += [_relative_link(number, target) for target in _relative_targets(line)]
    findings += _links(text, first_line, findings)
    if len(text) > MAX_SUBMISSION_CHARS:
        findings.append(
            Finding(
                first_line,
                OVERSIZED,
                f"the post is {len(text)} characters long; at most {MAX_SUBMISSION_CHARS} for a submission",
            )
        )
    return findings


def _lines(text: str, first_line: int) -> Iterator[tuple[int, str, str, bool]]:
    """Each line of ``text``: its number, as written, without its code spans (code is shown as code:
    HTML or a link in it is just text), and whether it is inside a fenced code block."""
    fenced = False
    for number, raw_line in enumerate(text.split("\n"), start=first_line):
        if raw_line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        yield number, raw_line, _CODE_SPAN.sub("", raw_line), fenced


def relative_links(text: str, first_line: int = 1) -> list[Finding]:
    """Only the relative links of ``text`` (for published posts, which are not screened otherwise)."""
    if "](" not in text and "]:" not in text and "=" not in text:
        return []  # no link target can be written without one of these
    return [
        _relative_link(number, target)
        for number, _raw, line, fenced in _lines(text, first_line)
        if not fenced
        for target in _relative_targets(line)
    ]


def link_targets(line: str, raw_html: bool = True) -> list[str]:
    """The link targets written on one line of Markdown (code spans already removed): in links,
    images, reference definitions, autolinks and (unless ``raw_html`` is false) raw HTML's URL
    attributes."""
    targets = [match.group(1) for pattern in _TARGETS for match in pattern.finditer(line)]
    for tag in _RAW_HTML.finditer(line) if raw_html else ():
        targets += [match.group(1) for match in _URL_ATTRIBUTE.finditer(tag.group(0))]
    return targets


def _bad_targets(line: str) -> list[tuple[str, str]]:
    """``(what, target)`` for each target on ``line`` whose scheme, once decoded, is not allowed."""
    from entraide.markup import link_scheme

    found = []
    for target in link_targets(line):
        written = target.lstrip("<\"' \t")
        scheme = link_scheme(written)
        if scheme is None or scheme in _ALLOWED_SCHEMES:
            continue
        literal = written[: len(scheme) + 1].lower() == scheme + ":"
        what = f"link scheme '{shown(scheme)}:'" if literal else f"the link '{shown(written, 60)}'"
        found.append((what, scheme if literal else written))
    return list(dict.fromkeys(found))  # ``](<javascript:…>)`` is one link, not a link and an autolink


def _relative_targets(line: str) -> list[str]:
    """Each target on ``line`` that has no scheme and leads elsewhere than this page: ``../page``,
    ``/page``, ``page.html``, ``www.example.org``. An anchor (``#section``) is fine; ``//host`` is
    another host without a scheme, which the scheme rule already refuses. Raw HTML is shown as
    text, never as a link, so its attributes lead nowhere and are not reported here."""
    from entraide.markup import decoded_url, link_scheme

    found = []
    for target in link_targets(line, raw_html=False):
        written = target.lstrip("<\"' \t")
        if target.startswith("<"):
            written = written.removesuffix(">")
        url = decoded_url(written)
        if not url or url.startswith(("#", "//", "\\", "/\\")) or link_scheme(written) is not None:
            continue
        found.append(written)
    return list(dict.fromkeys(found))


def _relative_link(line: int, target: str) -> Finding:
    return Finding(
        line,
        RELATIVE_LINK,
        f"a relative link ({shown(target, 60)}) leads nowhere on the site: give the full https:// address",
        target,
    )


def _bad_link(line: int, what: str, match: str) -> Finding:
    return Finding(
        line, LINK_SCHEME, f"{what} is not allowed (only http, https and mailto); the link will be removed", match
    )


def _links(text: str, first_line: int, found: list[Finding]) -> list[Finding]:
    """Links the renderer would drop once decoded, remote images, and too many links."""
    from entraide.markup import links_and_images, safe_href

    if "](" not in text and "://" not in text and "www." not in text and "<" not in text:
        return []
    links, images = links_and_images(text)
    findings: list[Finding] = []
    flagged = {f.line for f in found if f.code == LINK_SCHEME}
    for line, href in links:
        if safe_href(href) is None and first_line + line not in flagged:
            findings.append(_bad_link(first_line + line, f"the link '{shown(href, 60)}'", href))
    for line, src in images:
        if src.lower().startswith(("http:", "https:", "//")):
            findings.append(
                Finding(
                    first_line + line,
                    REMOTE_IMAGE,
                    f"a remote image ({shown(src, 60)}): it is not shown on the site, and loading it would "
                    "tell its host who reads the post",
                    src,
                )
            )
    if len(links) > MAX_LINKS:
        findings.append(
            Finding(
                first_line,
                MANY_LINKS,
                f"the post holds {len(links)} links (more than {MAX_LINKS}): spam or a link farm?",
            )
        )
    return findings
