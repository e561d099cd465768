"""Extract messages and update the catalogs: ``messages.po`` for the platform, ``<area>.po`` for areas
that keep their own (so areas developed side by side never edit the same file).

    .venv/bin/python scripts/i18n.py            # extract + update every catalog; en is filled from the source
    .venv/bin/python scripts/i18n.py --zh t.json   # then fill zh_CN from {"English msgid": "中文", ...}

English is the source language, so the en catalogs are kept complete automatically (msgstr = msgid
unless a different English wording was entered). zh_CN entries left empty are listed at the end;
tests/test_i18n.py fails until they are translated.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gongzhi"
LOCALE = SRC / "locale"
LOCALES = ("zh_CN", "en")
#: Areas with a catalog of their own; everything else goes to messages.po.
AREA_CATALOGS = ("registry", "standards", "assess", "reports", "genai", "datasec", "participation")
KEYWORDS = {"_": None, "N_": None, "t": None, "gettext": (2,), "ngettext": (2, 3)}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """msgid -> first source location, for every marked string under ``folder``."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(folder),
        METHODS,
        OPTIONS,
        keywords=KEYWORDS,
        strip_comment_tags=True,  # type: ignore[arg-type]
    ):
        if skip and filename.split("/")[0] in skip:
            continue
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, f"{folder.name}/{filename}:{lineno}")
    return found


def update(domain: str, messages: dict[str, str]) -> list[str]:
    """Write ``<domain>.po`` for each locale; returns the zh_CN msgids still untranslated."""
    untranslated: list[str] = []
    for locale in LOCALES:
        path = LOCALE / locale / "LC_MESSAGES" / f"{domain}.po"
        old: dict[str, str] = {}
        created = None
        if path.exists():
            with path.open("rb") as f:
                previous = read_po(f, locale=locale)
            old = {m.id: m.string for m in previous if m.id and isinstance(m.id, str)}
            created = previous.creation_date  # keep the header stable: no churn when nothing changed
        catalog = Catalog(locale=locale, project="gongzhi", domain=domain, fuzzy=False, creation_date=created)
        for msgid in sorted(messages):
            string = old.get(msgid) or ""
            if locale == "en" and not string:
                string = msgid
            if locale == "zh_CN" and not string:
                untranslated.append(msgid)
            catalog.add(msgid, string)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=0, sort_output=True, omit_header=False)
    return untranslated


def fill_zh(translations: dict[str, str]) -> None:
    """Put the given zh_CN translations into whichever catalog holds each msgid."""
    folder = LOCALE / "zh_CN" / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale="zh_CN")
        changed = False
        for message in catalog:
            if message.id in translations and message.string != translations[message.id]:
                message.string = translations[message.id]
                changed = True
        if changed:
            catalog.fuzzy = False
            with path.open("wb") as f:
                write_po(f, catalog, width=0, sort_output=True, omit_header=False)


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zh", type=Path, help="JSON file mapping English msgids to zh_CN translations")
    args = parser.parse_args()
    todo: dict[str, list[str]] = {}
    core = extract(SRC, skip=AREA_CATALOGS)
    todo["messages"] = update("messages", core)
    for area in AREA_CATALOGS:
        if (SRC / area).is_dir():
            todo[area] = update(area, {k: v for k, v in extract(SRC / area).items() if k not in core})
    if args.zh:
        fill_zh(json.loads(args.zh.read_text(encoding="utf-8")))
        todo = {
            domain: [m for m in missing if m not in json.loads(args.zh.read_text(encoding="utf-8"))]
            for domain, missing in todo.items()
        }
    for domain, missing in todo.items():
        if missing:
            print(f"{domain}: {len(missing)} zh_CN messages to translate")  # noqa: T201 - a tool's report
            for msgid in missing:
                print(f"  {msgid!r}")  # noqa: T201


if __name__ == "__main__":
    main()
