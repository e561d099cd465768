"""Message catalogs (zh_CN first, en complete) and locale negotiation.

Source strings are English. Code marks a string for translation with ``N_`` where it is defined
(an error message, a label) and translates it with ``gettext(locale, msgid)`` where it is shown.
The catalogs live in ``gongzhi/locale/<locale>/LC_MESSAGES/messages.po`` and are compiled in
memory on first use, so there is no build step.

>>> gettext("en", "Sign in")
'Sign in'
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from gongzhi.config import SUPPORTED_LOCALES, Locale

LOCALE_NAMES: dict[Locale, str] = {"zh_CN": "中文", "en": "English"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog of one locale (unknown locales fall back to the source strings)."""
    if locale not in SUPPORTED_LOCALES:
        return Translations()
    folder = resources.files("gongzhi").joinpath("locale", locale, "LC_MESSAGES")
    # messages.po (the platform) first, then each area's own catalog (registry.po, assess.po, ...).
    areas = sorted(p.name for p in folder.iterdir() if p.name.endswith(".po") and p.name != "messages.po")
    names = ["messages.po", *areas]
    merged: Translations | None = None
    for name in names:
        with folder.joinpath(name).open("rb") as f:
            catalog = read_po(f, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        part = Translations(fp=buffer)
        merged = part if merged is None else merged.merge(part)
    return merged or Translations()


def gettext(locale: str, message: str, **params: Any) -> str:
    """Translate ``message`` into ``locale`` and fill ``{name}`` placeholders from ``params``."""
    text = translations(locale).gettext(message)
    return text.format(**params) if params else text


def ngettext(locale: str, singular: str, plural: str, n: int, **params: Any) -> str:
    """Translate a message with a count; ``{n}`` is filled in with the count."""
    text = translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def negotiate_locale(requested: str | None, accept_language: str | None, default: Locale) -> Locale:
    """Pick the locale: an explicit choice (cookie or query), then Accept-Language, then the default."""
    if requested:
        found = match_locale(requested)
        if found:
            return found
    if accept_language:
        weighted: list[tuple[float, int, str]] = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                continue
            if weight > 0:
                weighted.append((-weight, position, tag.strip()))
        for _, _, tag in sorted(weighted):
            found = match_locale(tag)
            if found:
                return found
    return default


def match_locale(tag: str) -> Locale | None:
    """Map a language tag such as ``zh-Hans-CN`` or ``en_GB`` to a supported locale."""
    lang = tag.replace("_", "-").split("-")[0].lower()
    if lang == "zh":
        return "zh_CN"
    if lang == "en":
        return "en"
    return None
