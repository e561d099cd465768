"""Every user-facing string is in both catalogs: zh_CN (the default) translated, en complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from gongzhi.i18n import gettext, negotiate_locale, translations

SRC = Path(__file__).parent.parent / "src"
KEYWORDS = {"_": None, "N_": None, "t": None, "gettext": (2,), "ngettext": (2, 3)}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(SRC),
        METHODS,
        OPTIONS,
        keywords=KEYWORDS,
        strip_comment_tags=True,  # type: ignore[arg-type]
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogs(locale: str) -> list[Catalog]:
    """Every catalog file of a locale (messages.po and the areas' own)."""
    found = []
    for path in sorted((SRC / "gongzhi" / "locale" / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            found.append(read_po(f, locale=locale))
    return found


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_catalog_translates_every_source_message(locale: str) -> None:
    translated = {m.id if isinstance(m.id, str) else m.id[0] for c in catalogs(locale) for m in c if m.id and m.string}
    missing = sorted(source_messages() - translated)
    assert not missing, f"{locale}: untranslated messages (run `make i18n` and fill them in): {missing}"
    fuzzy = [m.id for c in catalogs(locale) for m in c if m.id and "fuzzy" in m.flags]
    assert not fuzzy, f"{locale} has fuzzy entries: {fuzzy}"


def test_placeholders_survive_translation() -> None:
    import re

    for m in (m for c in catalogs("zh_CN") for m in c):
        if m.id and isinstance(m.id, str) and isinstance(m.string, str):
            pattern = r"\{\w+\}|%\(\w+\)s"
            assert sorted(re.findall(pattern, m.id)) == sorted(re.findall(pattern, m.string)), m.id


def test_default_is_chinese_and_english_is_available() -> None:
    assert gettext("zh_CN", "Sign in") == "登录"
    assert gettext("en", "Sign in") == "Sign in"
    assert gettext("zh_CN", "Job {id}", id=7) == "任务 7"
    assert translations("fr").gettext("Sign in") == "Sign in"


@pytest.mark.parametrize(
    ("requested", "accept", "expected"),
    [
        (None, None, "zh_CN"),
        ("en", "zh-CN", "en"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr, zh-TW;q=0.5", "zh_CN"),
        ("xx", "de", "zh_CN"),
        (None, "en;q=0, zh;q=0.1", "zh_CN"),
    ],
)
def test_locale_negotiation(requested: str | None, accept: str | None, expected: str) -> None:
    assert negotiate_locale(requested, accept, "zh_CN") == expected
