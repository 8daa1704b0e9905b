"""A refused answer (``entraide.answers.Refusal``) said in the prompts' language.

The rules and the check's English messages live with the rules; this module only words them for a
contributor answering prompts in French or in English. A code with a ``/close`` variant has a
"did you mean" form, used when the rule found a close match.
"""

from __future__ import annotations

from entraide.answers import Refusal

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "choice": "Répondez {choices}.",
        "empty": "La réponse ne doit pas être vide.",
        "blank": "La réponse ne contient que des caractères invisibles.",
        "multiline": "La réponse doit tenir sur une ligne.",
        "too-long": "La réponse fait {length} caractères ; {max} au plus.",
        "hidden-character": "La réponse contient le caractère invisible ou d'inversion {character} : retirez-le.",
        "mixed-script": "Le mot « {word} » mêle des lettres qui se ressemblent de plusieurs alphabets ({scripts}) : "
                        "écrivez chaque mot dans un seul alphabet.",
        "tag-too-long": "L'étiquette « {tag} » dépasse {max} caractères.",
        "tag-shape": "L'étiquette « {tag} » doit être en minuscules, des mots reliés par des tirets, "
                     "comme « prise-de-parole ».",
        "tag-mixed-script": "L'étiquette « {tag} » mêle plusieurs alphabets ({scripts}) : écrivez-la dans un seul.",
        "too-many": "{count} étiquettes : {max} au plus.",
        "twice": "« {value} » est donnée deux fois.",
        "personal-data": "Donnée personnelle : {label} (« {match} »). Elle serait publiée : retirez-la.",
        "raw-html": "Le HTML n'est pas permis ici, c'est du texte simple : retirez « {match} ».",
        "link-scheme": "Ce lien n'est pas permis (seulement http, https et mailto) : « {match} ».",
        "relative-link": "Le lien relatif « {match} » ne mène nulle part sur le site : donnez l'adresse complète, "
                         "en https://.",
        "oversized": "La réponse est trop longue.",
        "unknown-theme": "Thème « {value} » inconnu ; thèmes : {themes}.",
        "unknown-theme/close": "Thème « {value} » inconnu ; vouliez-vous dire « {close} » ?",
        "unknown-thread": "Aucune discussion publiée « {value} » : donnez le slug de son adresse "
                          "(/conflit-entre-deux-collaborateurs/ → conflit-entre-deux-collaborateurs).",
        "unknown-thread/close": "Aucune discussion publiée « {value} » ; vouliez-vous dire « {close} » ?",
        "unknown-tag": "Étiquette « {tag} » inconnue : choisissez celles de content/tags.yml "
                       "(les éditeurs y ajoutent les nouvelles), ou aucune.",
        "unknown-tag/close": "Étiquette « {tag} » inconnue ; vouliez-vous dire « {close} » ?",
        "invalid": "Réponse refusée : {message}",
    },
    "en": {
        "choice": "Answer {choices}.",
        "empty": "The answer must not be empty.",
        "blank": "The answer holds only invisible characters.",
        "multiline": "The answer must fit on one line.",
        "too-long": "The answer is {length} characters long; at most {max} allowed.",
        "too-many": "{count} tags: at most {max} allowed.",
        "unknown-thread": "No published thread '{value}': give the slug of its address "
                          "(/conflit-entre-deux-collaborateurs/ → conflit-entre-deux-collaborateurs).",
        "unknown-tag": "Tag '{tag}' is not in content/tags.yml: choose tags from it (editors add new ones there), "
                       "or none.",
    },
}
"""Every code ``entraide.answers`` and the prompts can refuse with has its French wording (a test
holds it); English falls back to the check's own message."""

LABELS = {
    "fr": {
        "an e-mail address": "une adresse e-mail",
        "a phone number": "un numéro de téléphone",
        "an IBAN": "un IBAN",
        "a social security number": "un numéro de sécurité sociale",
    },
}
"""The kinds of personal data the screening names, in French."""


def worded(refusal: Refusal, lang: str | None) -> str:
    """``refusal`` in ``lang``; in both languages while the language is not chosen yet."""
    if lang is None:
        return f"{worded(refusal, 'fr')} / {worded(refusal, 'en')}"
    words = WORDS[lang]
    template = words.get(f"{refusal.code}/close" if refusal.details.get("close") else refusal.code)
    if template is None:
        return refusal.message[:1].upper() + refusal.message[1:] + ("" if refusal.message.endswith(("?", ".")) else ".")
    details = dict(refusal.details)
    if "label" in details:
        details["label"] = LABELS.get(lang, {}).get(details["label"], details["label"])
    if "choices" in details:  # written "o|n": joined with this language's "or"
        details["choices"] = either(tuple(details["choices"].split("|")), lang)
    return template.format(message=refusal.message, **details)


def either(choices: tuple[str, ...], lang: str | None) -> str:
    """``fr ou en``, ``n or r``: the answers a choice takes."""
    word = {"fr": " ou ", "en": " or "}.get(lang or "", "/")
    return ", ".join(choices[:-1]) + word + choices[-1] if len(choices) > 1 else choices[0]
