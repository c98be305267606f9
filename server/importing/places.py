"""Countries and states/regions as master data writes them, to ISO 3166 codes.

Provider registers write a country as a code ("DE", "DEU"), in English ("United States",
"Germany") or in German ("Deutschland", "Vereinigte Staaten"), and a state as a code ("CA",
"DE-BY") or a name in either language ("Bayern", "Bavaria", "Kalifornien"). The ISO tables and
their German and English translations come from `pycountry`, so every country and every
subdivision is known, not only the ones someone thought of.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache, lru_cache

import pycountry

#: Spellings outside ISO 3166 that registers use.
_COUNTRY_ALIASES = {"d": "DE", "brd": "DE", "uk": "GB", "england": "GB", "usa": "US",
                    "u.s.": "US", "u.s.a.": "US", "america": "US", "holland": "NL"}

#: English names of German states that the ISO translations leave in German.
_REGION_ALIASES = {
    "DE": {"lower saxony": "DE-NI", "rhineland palatinate": "DE-RP", "saxony anhalt": "DE-ST",
           "hesse": "DE-HE", "mecklenburg western pomerania": "DE-MV",
           "north rhine westphalia": "DE-NW", "saxony": "DE-SN", "thuringia": "DE-TH"},
}


def _fold(text: str) -> str:
    """Case, accents, punctuation and spacing do not tell two places apart."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ß", "ss")
    return " ".join(text.replace("-", " ").replace(",", " ").split())


def _translations(domain: str) -> list[gettext.NullTranslations]:
    return [gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)
            for lang in ("de", "en")]


@cache
def _countries() -> dict[str, str]:
    languages = _translations("iso3166-1")
    table: dict[str, str] = {}
    for country in pycountry.countries:
        names = {country.alpha_2, country.alpha_3, country.name}
        names |= {getattr(country, a) for a in ("official_name", "common_name")
                  if hasattr(country, a)}
        for name in list(names):
            names |= {lang.gettext(name) for lang in languages}
        for name in names:
            table.setdefault(_fold(name), country.alpha_2)
    table.update(_COUNTRY_ALIASES)
    return table


@cache
def _regions(country: str) -> dict[str, str]:
    languages = _translations("iso3166-2")
    table: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or []:
        if sub.parent_code is not None:  # counties, districts: a state is what is meant
            continue
        names = {sub.code, sub.code.split("-", 1)[1], sub.name}
        names |= {lang.gettext(sub.name) for lang in languages}
        for name in names:
            table.setdefault(_fold(name), sub.code)
    table.update(_REGION_ALIASES.get(country, {}))
    return table


@lru_cache(maxsize=4096)  # a register repeats a handful of spellings on every row
def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country's code or name, or None if unknown."""
    return _countries().get(_fold(text))


@lru_cache(maxsize=4096)
def region_code(text: str, country: str) -> str | None:
    """The ISO 3166-2 code ("DE-BY", "US-CA") of a state of `country`, or None."""
    return _regions(country.upper()).get(_fold(text))
