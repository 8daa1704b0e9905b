"""Flags in an untrusted post what an editor must look at before it is published.

* personal data: e-mail addresses, phone numbers, IBANs, French social security numbers — they block
  acceptance until redacted (``entraide redact``) or overridden with a reason;
* raw HTML, which is never interpreted on the site (shown as text) but usually means a paste gone wrong
  or an attempt at something;
* links whose scheme is not http, https or mailto (``javascript:``, ``data:``…), removed by the
  sanitiser anyway, flagged so nobody wonders where they went;
* oversized posts.

Each finding carries the line where it was seen, so that editors and GitHub annotations point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SUBMISSION_CHARS = 12_000

PERSONAL_DATA = "personal-data"
RAW_HTML = "raw-html"
LINK_SCHEME = "link-scheme"
OVERSIZED = "oversized"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("an e-mail address", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")),
    ("an IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")),
    (
        "a social security number",
        re.compile(r"(?<!\d)[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3}(?: ?\d{2})?(?!\d)"),
    ),
    (
        "a phone number",
        re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[ .-]?(?:\(0\))?[ .-]?\d{1,4}(?:[ .-]?\d{2,4}){2,4}(?!\d|[.-]\d)"),
    ),
    ("a phone number", re.compile(r"(?<![\d.-])0[1-9](?:[ .-]?\d{2}){4}(?!\d|[.-]\d)")),
]
_RAW_HTML = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>")
_LINK = re.compile(
    r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.-]*):|<([a-zA-Z][a-zA-Z0-9+.-]*):[^>\s]*>|\b(javascript|vbscript|data):", re.I
)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_ALLOWED_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Finding:
    line: int
    code: str
    message: str
    match: str = ""


def screen(text: str, first_line: int = 1) -> list[Finding]:
    """Every finding in ``text``, whose first line is ``first_line`` of its file."""
    findings: list[Finding] = []
    fenced = False
    for number, raw_line in enumerate(text.split("\n"), start=first_line):
        if raw_line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        for label, pattern in _PATTERNS:
            for match in pattern.finditer(raw_line):
                if not any(f.line == number and match.group(0) in f.match for f in findings):
                    findings.append(
                        Finding(number, PERSONAL_DATA, f"personal data: {label} ({match.group(0)})", match.group(0))
                    )
        line = _CODE_SPAN.sub("", raw_line)  # code is shown as code: HTML in it is just text
        if not fenced:
            for match in _RAW_HTML.finditer(line):
                findings.append(
                    Finding(
                        number,
                        RAW_HTML,
                        f"raw HTML is shown as text, not interpreted: {match.group(0)[:60]}",
                        match.group(0),
                    )
                )
        for match in _LINK.finditer(line):
            scheme = next(group for group in match.groups() if group).lower()
            if scheme not in _ALLOWED_SCHEMES:
                findings.append(
                    Finding(
                        number,
                        LINK_SCHEME,
                        f"link scheme '{scheme}:' is not allowed (only http, https and mailto); "
                        "the link will be removed",
                        scheme,
                    )
                )
    if len(text) > MAX_SUBMISSION_CHARS:
        findings.append(
            Finding(
                first_line,
                OVERSIZED,
                f"the post is {len(text)} characters long; at most {MAX_SUBMISSION_CHARS} for a submission",
            )
        )
    return findings
