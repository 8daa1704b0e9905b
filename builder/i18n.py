"""Interface strings and date formatting in French (the default) and English.

Templates never hold words of their own: they ask ``Translator`` for them, so the whole interface
switches language with the plugin's ``language`` option.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel.dates import format_date
from markupsafe import Markup

from entraide.markup import plain_french_spacing
from entraide.wording import singular

STRINGS: dict[str, dict[str, str]] = {
    "home": {"fr": "Accueil", "en": "Home"},
    "ask_question": {"fr": "Poser une question", "en": "Ask a question"},
    "search_reason_unclosed": {"fr": "un guillemet n’est pas refermé", "en": "a quote is not closed"},
    "search_reason_filter_field": {
        "fr": "« {field}: » ne se cherche pas dans la requête (seul title: le peut) ; "
              "filtrez par thème, étiquette ou langue",
        "en": "'{field}:' cannot be searched in the query, only title: can; filter by theme, tag or language instead",
    },
    "search_reason_parenthesis": {"fr": "les parenthèses ne sont pas équilibrées", "en": "unbalanced parenthesis"},
    "search_reason_not_word": {"fr": "NOT doit être suivi d’un mot", "en": "NOT must be followed by a word"},
    "search_reason_only_excluded": {
        "fr": "il faut au moins un mot qui ne soit pas exclu par NOT",
        "en": "a query needs at least one word that is not excluded",
    },
    "search_reason_scope_word": {
        "fr": "{field}: doit être suivi d’un mot, d’une expression ou d’un groupe",
        "en": "{field}: must be followed by a word, a phrase or a group",
    },
    "search_reason_wildcard_end": {
        "fr": "l’astérisque se place à la fin d’un mot, comme dans manag*",
        "en": "a wildcard goes at the end of a word, as in manag*",
    },
    "search_reason_common": {
        "fr": "ces mots sont trop courants pour être cherchés (le, de, the…) : "
        "ajoutez un mot qui dit ce que vous cherchez",
        "en": "these words are too common to search for (le, the, of…): add a word that says what you are looking for",
    },
    "search_reason_prefix_short": {
        "fr": "un début de mot demande au moins {n} lettres",
        "en": "a prefix needs at least {n} letters",
    },
    "search_reason_too_long": {"fr": "la requête est trop longue", "en": "the query is too long"},
    "search_ask": {"fr": "Poser cette question", "en": "Ask this question"},
    "search_browse": {"fr": "Ou parcourir les thèmes :", "en": "Or browse the themes:"},
    "reply_link": {"fr": "Répondre", "en": "Reply"},
    "themes": {"fr": "Thèmes", "en": "Themes"},
    "tags": {"fr": "Étiquettes", "en": "Tags"},
    "tag": {"fr": "Étiquette", "en": "Tag"},
    "anonymous": {"fr": "Membre anonyme", "en": "Anonymous member"},
    "latest": {"fr": "Dernières discussions", "en": "Latest discussions"},
    "featured": {"fr": "À la une", "en": "Featured"},
    "takeaways": {"fr": "À retenir", "en": "Key takeaways"},
    "best_reply": {"fr": "Meilleure réponse", "en": "Best reply"},
    "go_to_best_reply": {"fr": "Aller à la meilleure réponse", "en": "Go to the best reply"},
    "opening_post": {"fr": "Message d’ouverture", "en": "Opening post"},
    "no_reply": {"fr": "Pas encore de réponse.", "en": "No reply yet."},
    "in_reply_to": {"fr": "En réponse à {name}", "en": "In reply to {name}"},
    "permalink": {"fr": "Lien permanent vers ce message", "en": "Permalink to this post"},
    "breadcrumb": {"fr": "Fil d’Ariane", "en": "Breadcrumb"},
    "license": {"fr": "Licence", "en": "Licence"},
    "license_after_source": {"fr": "licence", "en": "licence"},
    "originally_on": {"fr": "Publié à l’origine sur", "en": "Originally published on"},
    "colon": {"fr": "\u202f:", "en": ":"},
    "posted_by": {"fr": "par", "en": "by"},
    "posted_on": {"fr": "le", "en": "on"},
    "theme": {"fr": "Thème", "en": "Theme"},
    "language": {"fr": "Langue", "en": "Language"},
    "lang_fr": {"fr": "français", "en": "French"},
    "lang_en": {"fr": "anglais", "en": "English"},
    "previous_page": {"fr": "Page précédente", "en": "Previous page"},
    "next_page": {"fr": "Page suivante", "en": "Next page"},
    "pagination": {"fr": "Pagination", "en": "Pagination"},
    "page_of": {"fr": "Page {page} sur {pages}", "en": "Page {page} of {pages}"},
    "all_themes": {"fr": "Tous les thèmes", "en": "All themes"},
    "all_tags": {"fr": "Toutes les étiquettes", "en": "All tags"},
    "all_threads": {"fr": "Toutes les discussions", "en": "All discussions"},
    "all_threads_count": {"fr": "Toutes les discussions ({n})", "en": "All discussions ({n})"},
    "threads_tagged": {"fr": "Discussions avec l’étiquette « {tag} »", "en": "Discussions tagged “{tag}”"},
    "welcome": {
        "fr": "Des managers s’entraident : questions, histoires et réponses de pairs, relues par des éditeurs.",
        "en": "Managers helping each other: questions, stories and peers’ answers, reviewed by editors.",
    },
    "search": {"fr": "Rechercher", "en": "Search"},
    "not_found_title": {"fr": "Page introuvable", "en": "Page not found"},
    "not_found_text": {
        "fr": "Cette page n’existe pas, ou plus : une discussion retirée, ou une adresse mal recopiée. "
        "Cherchez ce qui vous amène, ou parcourez les thèmes.",
        "en": "This page does not exist, or no longer does: a withdrawn discussion, or a mistyped address. "
        "Search for what brought you here, or browse the themes.",
    },
    "search_label": {"fr": "Rechercher dans les discussions", "en": "Search the discussions"},
    "search_placeholder": {"fr": "ex. conflit équipe, télétravail", "en": "e.g. team conflict, remote work"},
    "search_theme": {"fr": "Thème", "en": "Theme"},
    "search_lang": {"fr": "Langue", "en": "Language"},
    "search_tag": {"fr": "Étiquette", "en": "Tag"},
    "all_languages": {"fr": "Toutes les langues", "en": "All languages"},
    "search_more": {"fr": "Plus de résultats", "en": "More results"},
    "search_help": {
        "fr": "Accents et pluriels sont sans importance. OR pour l’un ou l’autre, NOT ou - pour exclure, "
        "« guillemets » (\"…\") pour des mots qui se suivent, manag* pour un début de mot, "
        "title:mot dans les titres seuls.",
        "en": "Accents and plurals do not matter. OR for either word, NOT or - to exclude, \"quotes\" for words "
        "that follow each other, manag* for the start of a word, title:word in titles only.",
    },
    "search_needs_js": {
        "fr": "La recherche fonctionne dans le navigateur : activez JavaScript, ou parcourez les thèmes.",
        "en": "Search runs in your browser: enable JavaScript, or browse the themes.",
    },
    "search_prompt": {"fr": "Tapez un ou plusieurs mots.", "en": "Type one or more words."},
    "search_searching": {"fr": "Recherche…", "en": "Searching…"},
    "search_none": {"fr": "Aucune discussion ne correspond à « {q} ».", "en": "No discussion matches “{q}”."},
    "search_any": {
        "fr": "Chercher plutôt l’un ou l’autre de ces mots : {q}",
        "en": "Search for any of these words instead: {q}",
    },
    "search_partial_heading": {
        "fr": "Résultats partiels : contiennent une partie des mots",
        "en": "Partial results: contain some of the words",
    },
    "search_partial_only": {
        "fr": "Aucune discussion ne contient tous les mots de « {q} » ; {n} en contiennent une partie.",
        "en": "No discussion holds every word of “{q}”; {n} hold some of them.",
    },
    "search_partial_more": {"fr": " Et {n} avec une partie des mots.", "en": " And {n} with some of the words."},
    "search_corrected": {
        "fr": "Aucune discussion ne contient « {typed} » : résultats pour « {searched} ».",
        "en": "No discussion holds “{typed}”: showing results for “{searched}”.",
    },
    "search_elsewhere": {
        "fr": "{n} résultats dans d’autres thèmes : chercher dans tous les thèmes",
        "en": "{n} results in other themes: search every theme",
    },
    "search_one": {"fr": "1 discussion trouvée.", "en": "1 discussion found."},
    "search_many": {"fr": "{n} discussions trouvées.", "en": "{n} discussions found."},
    "search_bad_query": {"fr": "Requête incomprise : {reason}.", "en": "Query not understood: {reason}."},
    "search_failed": {"fr": "La recherche a échoué ({reason}).", "en": "Search failed ({reason})."},
    "search_unsupported": {
        "fr": "La recherche demande un navigateur plus récent (depuis 2023) ; vous pouvez parcourir les thèmes.",
        "en": "Search needs a more recent browser (2023 or later); you can browse the themes.",
    },
    "contribute": {"fr": "Contribuer", "en": "Contribute"},
    "footer_licence": {
        "fr": "Chaque texte est publié sous la licence indiquée avec lui et reste à son auteur ; les noms "
        "affichés sont ceux que les auteurs ont choisis, ou « Membre anonyme ».",
        "en": "Each text is published under the licence shown with it and stays its author's; names are the "
        "ones authors chose, or “Anonymous member”.",
    },
    "footer_nav": {"fr": "Liens du site", "en": "Site links"},
    "footer_contact": {"fr": "Contacter les éditeurs", "en": "Contact the editors"},
    "footer_feed": {"fr": "Flux Atom", "en": "Atom feed"},
    "footer_made": {
        "fr": "Fait avec entraide et Material for MkDocs.",
        "en": "Made with entraide and Material for MkDocs.",
    },
    "contribute_intro": {
        "fr": "Chaque message est relu par un éditeur avant d’être publié. Vous pouvez poser une question, "
        "raconter une situation ou répondre à une discussion.",
        "en": "Every post is read by an editor before it is published. You can ask a question, tell a story "
        "or reply to a discussion.",
    },
    "contribute_form": {
        "fr": "Le plus simple : remplir le formulaire en ligne.",
        "en": "The simplest way: fill in the online form.",
    },
    "contribute_form_link": {"fr": "Ouvrir le formulaire", "en": "Open the form"},
    "contribute_pr": {"fr": "Par une demande de fusion (pull request)", "en": "By a pull request"},
    "contribute_pr_steps": {
        "fr": "Ajoutez un fichier Markdown dans le dossier {folder} du dépôt du site, par une demande de "
        "fusion. Son nom est l’identifiant du message : lettres minuscules, chiffres et tirets, par exemple "
        "{example}. Un fichier, un message : une réponse ne modifie jamais un autre fichier.",
        "en": "Add a Markdown file to the {folder} folder of the site's repository, by a pull request. Its "
        "name is the post's id: lowercase letters, digits and hyphens, for example {example}. One file, one "
        "post: a reply never edits another file.",
    },
    "contribute_repository": {"fr": "Le dépôt du site", "en": "The site's repository"},
    "contribute_question": {"fr": "Une nouvelle question", "en": "A new question"},
    "contribute_reply": {"fr": "Une réponse", "en": "A reply"},
    "contribute_reply_intro": {
        "fr": "La ligne {reply_to} donne l’adresse de la discussion : ce qui suit le nom du site dans son lien.",
        "en": "The line {reply_to} names the discussion: what follows the site's address in its link.",
    },
    "contribute_fields": {
        "fr": "Thèmes possibles : {themes}. Licences possibles : {licenses}. Pour publier anonymement, "
        "écrivez {anonymous} et laissez {author} vide. La ligne {consent} dit que vous acceptez la publication.",
        "en": "Themes: {themes}. Licences: {licenses}. To post anonymously, write {anonymous} and leave "
        "{author} out. The line {consent} says you agree to publication.",
    },
    "contribute_next": {"fr": "Et ensuite ?", "en": "What happens next"},
    "contribute_next_text": {
        "fr": "Les vérifications automatiques signalent dans la demande de fusion tout ce qui est à corriger "
        "(champ, ligne et raison). Un éditeur accepte ou refuse le message, en donnant la raison d’un refus ; "
        "un message accepté paraît à la publication suivante du site.",
        "en": "Automatic checks point out in the pull request anything to fix (field, line and reason). An "
        "editor accepts or rejects the post, giving the reason for a rejection; an accepted post appears with "
        "the site's next build.",
    },
    "contributors": {"fr": "Contributeurs", "en": "Contributors"},
    "contributors_intro": {
        "fr": "Merci à celles et ceux qui partagent leur expérience. "
        "Les messages anonymes ne sont comptés pour personne.",
        "en": "Thanks to everyone who shares their experience. Anonymous posts are counted for no one.",
    },
    "contributor_name": {"fr": "Nom", "en": "Name"},
    "contributor_threads": {"fr": "Discussions ouvertes", "en": "Threads started"},
    "contributor_replies": {"fr": "Réponses", "en": "Replies"},
    "contributor_best": {"fr": "Meilleures réponses", "en": "Best replies"},
    "anonymous_posts": {"fr": "Messages anonymes : {n}", "en": "Anonymous posts: {n}"},
    "related": {"fr": "Discussions proches", "en": "Related discussions"},
    "empty_theme": {"fr": "Aucune discussion dans ce thème pour l’instant.", "en": "No discussion in this theme yet."},
}

PLURALS: dict[str, dict[str, tuple[str, str]]] = {
    "threads": {"fr": ("{n} discussion", "{n} discussions"), "en": ("{n} discussion", "{n} discussions")},
    "replies": {"fr": ("{n} réponse", "{n} réponses"), "en": ("{n} reply", "{n} replies")},
}


class Translator:
    """Interface strings for one language."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = STRINGS[key][self.lang]
        if self.lang == "fr":  # French typography: a narrow no-break space before : ; ! ? and inside « »
            text = plain_french_spacing(text)
        return text.format(**values) if values else text

    def markup(self, key: str, **values: object) -> Markup:
        """The string as HTML: its own text escaped, each value escaped too unless it is markup
        already (a ``<code>`` the template made)."""
        text = STRINGS[key][self.lang]
        if self.lang == "fr":
            text = plain_french_spacing(text)
        return Markup.escape(text).format(**values)

    def plural(self, key: str, n: int) -> str:
        one, other = PLURALS[key][self.lang]
        return (one if singular(n, self.lang) else other).format(n=n)

    def date(self, value: datetime) -> str:
        return format_day(value.date().isoformat(), self.lang)


@lru_cache(maxsize=8192)
def format_day(iso_day: str, lang: str) -> str:
    """A day written out for readers (``4 mars 2025``, ``March 4, 2025``); cached: dates repeat."""
    return format_date(datetime.fromisoformat(iso_day).date(), format="long", locale=lang)
