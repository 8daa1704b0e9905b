"""What the screening flags as personal data, raw HTML or bad links — and what it leaves alone."""

from __future__ import annotations

import random

import pytest

from entraide.moderation.screening import LINK_SCHEME, PERSONAL_DATA, RAW_HTML, screen


@pytest.mark.parametrize("text", [
    "Écrivez-moi : prenom.nom+rh@entreprise.co.uk.",
    "Mon portable : 06 12 34 56 78.",
    "Fixe 01.23.45.67.89, merci",
    "Call me on +44 20 7946 0958 tomorrow",
    "Appelez le +33 (0)6 12 34 56 78",
    "IBAN : FR76 3000 6000 0112 3456 7890 189",
    "Mon NIR est 2 84 12 75 108 042 78",
])
def test_personal_data_is_flagged(text):
    assert [f.code for f in screen(text)] == [PERSONAL_DATA]


@pytest.mark.parametrize("text", [
    "Le 2025-03-04 à 12:30, nous avons couru 10 km en 55:30.",
    "Version 1.10.2 de l'outil, 3 000 € de budget, 15 % de hausse.",
    "Le ticket JIRA-12345 et la réunion de 9h30.",
    "Un semi-marathon en 1:58:12, puis 21,1 km.",
    "La loi L1132-1 du Code du travail.",
    "Écrivez à l'adresse indiquée sur le site (voir https://exemple.fr/contact).",
])
def test_ordinary_numbers_and_links_are_not_flagged(text):
    assert screen(text) == []


def test_raw_html_and_links_are_flagged_with_their_lines():
    text = "Bonjour\n<img src=x onerror=alert(1)>\n`<b>code</b>` est du code\n[x](javascript:alert(1)) [y](data:text/html,hi)"
    found = [(f.line, f.code) for f in screen(text, first_line=10)]
    assert found == [(11, RAW_HTML), (13, LINK_SCHEME), (13, LINK_SCHEME)]  # raw HTML is text: no relative link


def test_html_inside_a_fenced_block_is_code():
    assert screen("```html\n<div>exemple</div>\n```") == []


# -- personal data as a reader would read it, in every field -----------------------------------

OBFUSCATED = [
    ("claire [at] example.com", "claire [at] example.com"),
    ("claire (at) example dot com", "claire (at) example dot com"),
    ("claire at example dot com", "claire at example dot com"),
    ("claire[at]example[dot]fr", "claire[at]example[dot]fr"),
    ("claire {arobase} example (point) fr", "claire {arobase} example (point) fr"),
    ("claire＠example．com", "claire＠example．com"),
    ("cla\u200bire@exam\u200bple.com", "cla\u200bire@exam\u200bple.com"),
    ("ｃｌａｉｒｅ＠ｅｘａｍｐｌｅ．ｆｒ", "ｃｌａｉｒｅ＠ｅｘａｍｐｌｅ．ｆｒ"),
    ("claire @ example.com", "claire @ example.com"),
]


@pytest.mark.parametrize(("text", "written"), OBFUSCATED, ids=repr)
def test_obfuscated_email_addresses_are_personal_data(text, written):
    found = screen(f"Écrivez à {text} demain")
    assert [(f.code, f.match) for f in found] == [(PERSONAL_DATA, written)]
    assert found[0].message.startswith("personal data: an e-mail address (")


@pytest.mark.parametrize("text", ["０６ １２ ３４ ５６ ７８", "06\u200b12\u200b34\u200b56\u200b78", "06/12/34/56/78",
                                  "+33\u20606 12 34 56 78"], ids=repr)
def test_disguised_phone_numbers_are_personal_data(text):
    assert [f.code for f in screen(f"Appelez le {text}.")] == [PERSONAL_DATA]


@pytest.mark.parametrize("text", [
    "Nous nous voyons at home, dot.", "Look at the data dot by dot", "Rendez-vous à 9h30 au 3e étage.",
    "Le modèle [at] est noté ainsi.",
])
def test_words_that_merely_look_like_an_address_are_not_flagged(text):
    assert screen(text) == []


SUB = """\
---
title: "{title}"
theme: conflits
tags: [{tags}]
lang: fr
author: "{author}"
anonymous: false
date: 2025-06-01 08:30
consent: true
license: CC-BY-SA-4.0
---
{body}
"""
CLEAN = {"title": "Un recrutement", "tags": "recrutement", "author": "Inès T.", "body": "Je recrute."}
# (field, line, value carrying personal data)
FIELDS = [
    ("title", 2, "Écrivez à ines [at] example.com"),
    ("author", 6, "ines.t@example.com"),
    ("author", 6, "06 12 34 56 78"),
    ("tags", 4, "06-12-34-56-78"),
    ("", 12, "Mon adresse : ines (at) example dot com"),
]


@pytest.mark.parametrize(("field", "line", "value"), FIELDS, ids=[f"{f[0] or 'body'}: {f[2]}" for f in FIELDS])
def test_personal_data_is_found_in_every_field(make_project, run, field, line, value):
    from tests.conftest import valid_files

    values = dict(CLEAN)
    values[field or "body"] = value
    files = valid_files()
    files["submissions/2025-06-01-x.md"] = SUB.format(**values)
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    located = [line_ for line_ in result.stdout.splitlines() if "personal data:" in line_]
    prefix = f"submissions/2025-06-01-x.md:{line}:{' ' + field + ':' if field else ''} personal data: "
    assert len(located) == 1 and located[0].startswith(prefix), result.stdout
    refused = run(project, "accept", "2025-06-01-x", "--editor", "Ed")
    assert refused.exit_code == 1 and "cannot be accepted yet" in refused.output
    redacted = run(project, "redact", "2025-06-01-x", "--personal-data", "--yes", "--editor", "Ed")
    assert redacted.exit_code == 0, redacted.output
    if field != "tags":  # a placeholder is no tag: an editor rewrites that one with --replace
        assert run(project, "check").exit_code == 0


# -- links and images for the editor's eyes ----------------------------------------------------

def test_a_remote_image_is_flagged_for_the_editor():
    found = screen("Regardez :\n![graphique](https://tracker.example/pixel.png)", first_line=12)
    assert [(f.line, f.code) for f in found] == [(13, "remote-image")]
    assert found[0].message == ("a remote image (https://tracker.example/pixel.png): it is not shown on the site, "
                                "and loading it would tell its host who reads the post")


def test_many_links_are_flagged_for_the_editor():
    text = "\n".join(f"[lien {n}](https://example.com/{n})" for n in range(21))
    found = screen(text, first_line=12)
    assert [(f.line, f.code, f.message) for f in found] == [
        (12, "many-links", "the post holds 21 links (more than 20): spam or a link farm?")
    ]
    assert screen("\n".join(f"https://example.com/{n}" for n in range(20))) == []


@pytest.mark.parametrize("href", ["java%09script:alert(1)", "%6Aavascript:alert(1)", "jav&#x09;ascript:alert(1)",
                                  "jav%00ascript:alert(1)", "//evil.example/x", "%2F%2Fevil.example"])
def test_links_the_renderer_drops_once_decoded_are_flagged(href):
    found = screen(f"Voir [ici]({href}).")
    assert [f.code for f in found] == [LINK_SCHEME]


# -- every pattern is linear --------------------------------------------------------------------

ADVERSARIAL = [
    "](" + " " * 100_000, "](<" + " " * 100_000, "<!--" * 25_000, "![" * 50_000, "<a " * 33_000, "<" * 100_000,
    "a@" * 50_000, "a." * 50_000, "a [at] b" + " " * 100_000, "a [at] b" + " [dot] b" * 12_000, "a at b" + " dot b" * 16_000,
    "0" * 100_000, "+33 " * 25_000, "06 " * 33_000, "0 1 2 " * 17_000, "`" * 100_000, "[" * 100_000,
    "a" * 100_000, "@" * 100_000, ". " * 50_000, "FR76 " * 20_000, "\t" * 100_000, "\u2003" * 100_000,
    "a-" * 50_000, "x@y" + ".z" * 50_000, "x@" + "y-" * 50_000, "](a" * 33_000, "<a:" * 33_000, "1 84 " * 20_000,
    "\u200b" * 100_000, "[x](" * 25_000, "a " * 50_000 + "@",
]


def test_every_screening_pattern_is_linear_on_adversarial_inputs():
    """Every pattern, the whole screening and the renderer, on ~100 KB hostile inputs. Each pattern was
    written to be linear (see the screening module); the subprocess timeout is only a generous bound
    that turns a regression into a failure instead of a hung test run."""
    import subprocess
    import sys

    script = (
        "from entraide.moderation.screening import PATTERNS, screen\n"
        "from entraide.markup import render, plain_text\n"
        "from tests.test_screening import ADVERSARIAL\n"
        "for text in ADVERSARIAL:\n"
        "    for pattern in PATTERNS:\n"
        "        list(pattern.finditer(text))\n"
        "    screen(text)\n"
        "    render(text[:40_000])\n"
        "    plain_text(text[:40_000])\n"
        "print('done')\n"
    )
    from tests.conftest import REPO

    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "done", done.stderr


# -- checksums tell real account and social security numbers from look-alikes -----------------

def _mod97_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits, computed here independently of the library the screening uses."""
    digits = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def _grouped(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _ibans(seed: int) -> list[tuple[str, bool]]:
    """Valid German and British IBANs (no national check digit of their own), and the same with wrong
    check digits."""
    rng = random.Random(seed)
    cases = []
    for country, letters, length in (("DE", 0, 18), ("GB", 4, 14)):
        for _ in range(10):
            bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(letters))
            bban += "".join(rng.choice("0123456789") for _ in range(length))
            check = _mod97_check_digits(country, bban)
            cases.append((_grouped(country + check + bban), True))
            wrong = f"{(int(check) + rng.randint(1, 90)) % 97 + 2:02d}"
            if wrong != check:
                cases.append((_grouped(country + wrong + bban), False))
    return cases


@pytest.mark.parametrize(("text", "real"), _ibans(14), ids=repr)
def test_an_iban_is_flagged_only_when_its_checksum_holds(text, real):
    # the digits of a look-alike may still hold a phone-number-shaped run: only IBAN findings count here
    found = [f.message for f in screen(f"Virement sur {text} merci") if "IBAN" in f.message]
    assert found == ([f"personal data: an IBAN ({text})"] if real else [])


@pytest.mark.parametrize("text", ["FR76 ABCD EFGH IJKL MNOP QRST UVW", "FR76 3000 6000 0112 3456 7890 188",
                                  "GB82 WEST 1234 5698 7654 33"], ids=repr)
def test_iban_look_alikes_are_not_flagged(text):
    assert screen(f"Référence {text}") == []


def _nirs(seed: int) -> list[tuple[str, bool]]:
    """Social security numbers with their key (97 minus the number modulo 97), and with a wrong key."""
    rng = random.Random(seed)
    cases = []
    for _ in range(20):
        body = f"{rng.choice('12')}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}" \
               f"{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
        key = 97 - int(body) % 97
        spaced = f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]}"
        cases.append((f"{spaced} {key:02d}", True))
        cases.append((f"{spaced} {(key + rng.randint(1, 95)) % 97 + 1:02d}", False))
    return [(text, real) for text, real in cases if real or not text.endswith(f"{97 - int(text[:-3].replace(' ', '')) % 97:02d}")]


@pytest.mark.parametrize(("text", "real"), _nirs(14), ids=repr)
def test_a_social_security_number_is_flagged_only_when_its_key_matches(text, real):
    found = [f.code for f in screen(f"Mon numéro de sécurité sociale : {text}.")]
    assert found == ([PERSONAL_DATA] if real else [])


@pytest.mark.parametrize(("text", "real"), [
    ("06 12 34 56 78", True), ("+33 1 42 68 53 00", True), ("+44 20 7946 0958", True),
    ("+1 555 010 9999", False), ("+33 0 00 00 00 00", False), ("00 99 12 34 56 78", False),
], ids=repr)
def test_a_phone_number_is_flagged_only_when_a_numbering_plan_allocates_it(text, real):
    assert [f.code for f in screen(f"Appelez le {text} demain")] == ([PERSONAL_DATA] if real else [])
