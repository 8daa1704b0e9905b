"""What the screening flags as personal data, raw HTML or bad links — and what it leaves alone."""

from __future__ import annotations

import pytest

from entraide.moderation.screening import LINK_SCHEME, PERSONAL_DATA, RAW_HTML, screen


@pytest.mark.parametrize("text", [
    "Écrivez-moi : prenom.nom+rh@entreprise.co.uk.",
    "Mon portable : 06 12 34 56 78.",
    "Fixe 01.23.45.67.89, merci",
    "Call me on +44 20 7946 0958 tomorrow",
    "Appelez le +33 (0)6 12 34 56 78",
    "IBAN : FR76 3000 6000 0112 3456 7890 189",
    "Mon NIR est 2 84 12 75 108 042 17",
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
    assert found == [(11, RAW_HTML), (13, LINK_SCHEME), (13, LINK_SCHEME)]


def test_html_inside_a_fenced_block_is_code():
    assert screen("```html\n<div>exemple</div>\n```") == []
