"""Every sentence of the intake's pages, in French and in English."""

from __future__ import annotations

import re

from entraide.markup import plain_french_spacing

CONSENT = {
    "fr": "J'accepte que ce texte soit publié sur le site, sous la licence choisie, après relecture par les "
          "éditeurs. Je n'y ai mis aucune information qui permette d'identifier une autre personne.",
    "en": "I agree that this text may be published on the site, under the chosen licence, after the editors "
          "have read it. It holds nothing that could identify another person.",
}
"""Shown beside the box and recorded with the post: the exact words the author agreed to."""

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "new_title": "Poser une question",
        "reply_title": "Répondre à « {title} »",
        "intro": "Votre message sera relu par un éditeur avant d'être publié. Les champs sont obligatoires "
                 "sauf mention contraire.",
        "title": "Titre",
        "title_hint": "Votre question ou votre histoire, en une ligne.",
        "theme": "Thème",
        "theme_choose": "Choisissez un thème",
        "tags": "Étiquettes (facultatif)",
        "tags_hint": "Séparées par des virgules, en minuscules, par exemple : conflit, prise-de-parole.",
        "lang": "Langue du message",
        "body": "Votre message",
        "body_hint": "Markdown : une ligne vide entre deux paragraphes, **gras**, *italique*, « - » en début "
                     "de ligne pour une liste, [texte](https://adresse) pour un lien.",
        "author": "Nom affiché",
        "author_hint": "Par exemple « Claire M. ». Laissez vide si vous publiez anonymement.",
        "anonymous": "Publier anonymement (affiché « Membre anonyme »)",
        "consent_legend": "Accord de publication",
        "license": "Licence du texte",
        "honeypot": "Ne remplissez pas ce champ",
        "preview": "Prévisualiser",
        "send": "Envoyer",
        "send_anyway": "Envoyer quand même",
        "preview_heading": "Aperçu",
        "error_summary": "Il y a un problème",
        "error_prefix": "Erreur :",
        "similar_heading": "Votre question a peut-être déjà une réponse",
        "similar_intro": "Ces discussions publiées ressemblent à la vôtre. Si aucune ne répond à votre "
                         "question, envoyez-la quand même.",
        "receipt_title": "Message reçu",
        "receipt_id": "Numéro de votre message :",
        "receipt_next": "Un éditeur va le relire. S'il est accepté, il sera publié sur le site ; sinon, il "
                        "ne sera jamais publié. Gardez ce numéro si vous voulez en parler aux éditeurs.",
        "receipt_again": "Ce message nous était déjà parvenu : il n'a pas été enregistré deux fois.",
        "held_title": "Message mis de côté",
        "held_text": "Votre message n'a pas été perdu : il a été mis de côté pour qu'un éditeur le vérifie "
                     "avant toute suite ({reason}).",
        "too_fast": "le formulaire a été envoyé trop vite",
        "honeypot_filled": "un champ caché a été rempli",
        "too_many_links": "le message contient trop de liens (au plus {max_links})",
        "rate_limited": "trop de messages envoyés récemment depuis la même adresse ou sous le même nom",
        "csrf": "Le formulaire a expiré ou n'a pas pu être vérifié. Votre texte est conservé ci-dessous : "
                "renvoyez-le.",
        "too_big": "Le message est trop long pour être reçu (au plus {max_kb} Ko).",
        "bad_request": "La demande n'a pas pu être lue.",
        "not_found": "Cette page n'existe pas.",
        "unknown_theme": "Le thème « {theme} » n'existe pas.",
        "unknown_thread": "La discussion « {slug} » n'existe pas ou n'est pas publiée.",
        "not_allowed": "Cette adresse ne s'utilise pas ainsi.",
        "unavailable": "Le service est momentanément indisponible. Réessayez plus tard.",
        "back": "Revenir au formulaire",
        "other_lang": "English",
        "general": "Message",
        "consent": "Accord de publication",
        "status_link": "Suivre votre message :",
        "status_link_hint": "Ce lien est personnel : gardez-le pour vous. Il permet de voir où en est votre "
                            "message et de le retirer tant qu'il n'a pas été relu.",
        "status_title": "Où en est votre message",
        "status_pending": "En attente de relecture par un éditeur.",
        "status_accepted": "Accepté et publié le {when}.",
        "status_rejected": "Refusé le {when}. Il ne sera pas publié.",
        "status_reason": "Raison donnée par l'éditeur :",
        "status_withdrawn": "Retiré à votre demande le {when}. Il ne sera pas publié.",
        "status_taken_down": "Publié puis retiré du site le {when}.",
        "status_read": "Lire la discussion publiée",
        "status_takedown": "Vous souhaitez qu'il soit retiré du site ? Écrivez aux éditeurs{contact} en citant le "
                           "numéro {id} : ils le retirent, et il disparaît à la publication suivante.",
        "status_withdraw": "Retirer mon message",
        "status_withdraw_hint": "Il ne sera jamais publié. Ce choix est définitif.",
        "status_withdrawn_now": "Votre message est retiré : il ne sera pas publié.",
        "status_not_pending": "Ce message n'est plus en attente : il ne peut plus être retiré d'ici.",
        "status_unknown": "Ce lien de suivi n'est pas valide.",
        "status_busy": "Un éditeur est en train de travailler sur le site. Réessayez dans une minute.",
        "status_csrf": "La page a expiré. Rechargez-la, puis recommencez.",
        "pow_hint": "Votre navigateur fait une courte vérification anti-robot avant l'envoi : rien ne quitte "
                    "votre appareil.",
        "pow_noscript": "Sans JavaScript, la vérification anti-robot ne peut pas se faire : votre message sera "
                        "reçu, mis de côté, puis relu par un éditeur avant toute suite.",
        "proof_of_work": "la vérification anti-robot du navigateur n'a pas été faite",
        "quarantine_full": "Le service reçoit trop de messages en ce moment : le vôtre n'a pas été envoyé. Votre "
                           "texte est conservé ci-dessous ; réessayez dans quelques minutes.",
    },
    "en": {
        "new_title": "Ask a question",
        "reply_title": "Reply to “{title}”",
        "intro": "An editor reads your post before it is published. Every field is required unless marked "
                 "optional.",
        "title": "Title",
        "title_hint": "Your question or story, on one line.",
        "theme": "Theme",
        "theme_choose": "Choose a theme",
        "tags": "Tags (optional)",
        "tags_hint": "Separated by commas, in lowercase, for example: conflict, feedback.",
        "lang": "Language of the post",
        "body": "Your post",
        "body_hint": "Markdown: a blank line between paragraphs, **bold**, *italics*, “- ” at the start of a "
                     "line for a list, [text](https://address) for a link.",
        "author": "Name to show",
        "author_hint": "For example “Claire M.”. Leave empty if you post anonymously.",
        "anonymous": "Post anonymously (shown as “Anonymous member”)",
        "consent_legend": "Agreement to publish",
        "license": "Licence of the text",
        "honeypot": "Do not fill in this field",
        "preview": "Preview",
        "send": "Send",
        "send_anyway": "Send anyway",
        "preview_heading": "Preview",
        "error_summary": "There is a problem",
        "error_prefix": "Error:",
        "similar_heading": "Your question may already have an answer",
        "similar_intro": "These published threads look like yours. If none answers your question, send it anyway.",
        "receipt_title": "Post received",
        "receipt_id": "Your post's number:",
        "receipt_next": "An editor will read it. If it is accepted it will be published on the site; otherwise "
                        "it is never published. Keep this number if you want to ask the editors about it.",
        "receipt_again": "This post had already reached us: it was not recorded twice.",
        "held_title": "Post held back",
        "held_text": "Your post was not lost: it is held back for an editor to check before anything else "
                     "({reason}).",
        "too_fast": "the form was sent too quickly",
        "honeypot_filled": "a hidden field was filled in",
        "too_many_links": "the post holds too many links (at most {max_links})",
        "rate_limited": "too many posts sent lately from the same address or under the same name",
        "csrf": "The form has expired or could not be verified. Your text is kept below: send it again.",
        "too_big": "The post is too long to be received (at most {max_kb} KB).",
        "bad_request": "The request could not be read.",
        "not_found": "This page does not exist.",
        "unknown_theme": "There is no theme “{theme}”.",
        "unknown_thread": "There is no published thread “{slug}”.",
        "not_allowed": "This address is not used that way.",
        "unavailable": "The service is unavailable for a moment. Try again later.",
        "back": "Back to the form",
        "other_lang": "Français",
        "general": "Post",
        "consent": "Agreement to publish",
        "status_link": "Follow your post:",
        "status_link_hint": "This link is yours alone: keep it private. It shows where your post stands and lets "
                            "you withdraw it until an editor has read it.",
        "status_title": "Where your post stands",
        "status_pending": "Waiting for an editor to read it.",
        "status_accepted": "Accepted and published on {when}.",
        "status_rejected": "Rejected on {when}. It will not be published.",
        "status_reason": "The editor's reason:",
        "status_withdrawn": "Withdrawn at your request on {when}. It will not be published.",
        "status_taken_down": "Published, then taken off the site on {when}.",
        "status_read": "Read the published thread",
        "status_takedown": "Want it taken off the site? Write to the editors{contact}, quoting the number {id}: "
                           "they take it down, and it is gone with the site's next build.",
        "status_withdraw": "Withdraw my post",
        "status_withdraw_hint": "It will never be published. This cannot be undone.",
        "status_withdrawn_now": "Your post is withdrawn: it will not be published.",
        "status_not_pending": "This post is no longer waiting: it cannot be withdrawn from here any more.",
        "status_unknown": "This status link is not valid.",
        "status_busy": "An editor is working on the site right now. Try again in a minute.",
        "status_csrf": "The page has expired. Reload it, then try again.",
        "pow_hint": "Your browser runs a short anti-robot check before sending: nothing leaves your device.",
        "pow_noscript": "Without JavaScript the anti-robot check cannot run: your post will be received, held "
                        "back, and read by an editor before anything else.",
        "proof_of_work": "the browser's anti-robot check was not done",
        "quarantine_full": "The service is receiving too many posts right now: yours was not sent. Your text is "
                           "kept below; try again in a few minutes.",
    },
}

_KINDS = {
    "an e-mail address": "une adresse e-mail",
    "a phone number": "un numéro de téléphone",
    "an IBAN": "un IBAN",
    "a social security number": "un numéro de sécurité sociale",
}

_FRENCH: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern, re.S), french) for pattern, french in [
    (r"must not be empty", "ce champ est à remplir"),
    (r"must fit on one line", "doit tenir sur une seule ligne"),
    (r"is (\d+) characters long; at most (\d+) allowed", r"fait \1 caractères ; \2 au plus"),
    (r"the text is (\d+) characters long; at most (\d+) allowed", r"le texte fait \1 caractères ; \2 au plus"),
    (r"the post is (\d+) characters long; at most (\d+) for a submission",
     r"le message fait \1 caractères ; \2 au plus pour une proposition"),
    (r"has (\d+) items; at most (\d+) allowed", r"\1 étiquettes ; \2 au plus"),
    (r"expected one of (.+); found '(.*)'", r"choisissez parmi \1 (et non « \2 »)"),
    (r"expected one of (.+); found '(.*)' \(editors add licences in content/licenses.yml\)",
     r"choisissez parmi \1 (et non « \2 »)"),
    (r"expected an SPDX licence id such as (.+); found '(.*)'", r"choisissez une licence, par exemple \1"),
    (r"unknown theme '(.*)'; themes: (.+)", r"le thème « \1 » n'existe pas ; thèmes : \2"),
    (r"unknown theme '(.*)'; did you mean '(.*)'\?", r"le thème « \1 » n'existe pas ; vouliez-vous dire « \2 » ?"),
    (r"tag '(.*)' must be lowercase words joined by hyphens, such as '(.+)'",
     r"l'étiquette « \1 » doit être en minuscules, les mots reliés par des tirets, par exemple « \2 »"),
    (r"tag '(.*)' is longer than (\d+) characters", r"l'étiquette « \1 » dépasse \2 caractères"),
    (r"HTML is not allowed here, the title is plain text: remove (.+)",
     r"le titre est du texte simple, sans HTML : retirez \1"),
    (r"the post has no text after its front matter", "le message est vide"),
    (r"missing author: give a display name, or set anonymous: true",
     "indiquez un nom affiché, ou cochez « Publier anonymement »"),
    (r"the author has not agreed to publication; consent must be true", "cochez la case pour accepter la publication"),
    (r"personal data: (an e-mail address|a phone number|an IBAN|a social security number) \((.*)\)",
     "donnée personnelle : {kind} ({found}) ; retirez-la pour que le message puisse être publié"),
    (r"link scheme '(.*)' is not allowed \(only http, https and mailto\); the link will be removed",
     r"lien « \1 » refusé : seuls les liens http, https et mailto sont permis"),
    (r"the link '(.*)' .*", r"le lien « \1 » n'est pas permis : seuls les liens http, https et mailto le sont"),
    (r"a relative link \((.*)\) leads nowhere on the site: give the full https:// address",
     r"le lien relatif « \1 » ne mène nulle part sur le site : donnez l'adresse complète, en https://"),
    (r"a remote image \((.*?)\).*", r"image distante (\1) : les images ne sont pas affichées, mettez plutôt un lien"),
    (r"the post holds (\d+) links \(more than (\d+)\).*", r"le message contient \1 liens (plus de \2)"),
    (r"no published thread '(.*)'; did you mean '(.*)'\?",
     r"la discussion « \1 » n'est pas publiée ; vouliez-vous dire « \2 » ?"),
    (r"no published thread '(.*)'", r"la discussion « \1 » n'est pas publiée"),
]]
"""The messages of ``entraide check`` a form can show, in French; the others are shown as they are."""


def message(text: str, lang: str) -> str:
    """A problem found by ``entraide check``, in the page's language."""
    if lang != "fr":
        return text
    for pattern, french in _FRENCH:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        if "{kind}" in french:
            return plain_french_spacing(french.format(kind=_KINDS[found.group(1)], found=found.group(2)))
        return plain_french_spacing(found.expand(french))
    return text
