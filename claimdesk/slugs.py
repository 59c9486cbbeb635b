"""Free slugs for any model with a unique ``slug`` field."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.utils.text import slugify

SLUG_MAX = 200


# Letters slugify drops, as they do not decompose into a Latin letter and
# its accent ("Łukasz Ødegaard" was /ukasz-degaard/): written as the Latin
# letters they are read as.
_LATIN = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o",
        "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Æ": "AE", "æ": "ae",
        "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "Ħ": "H",
        "ħ": "h", "Ŧ": "T", "ŧ": "t", "Ŋ": "N", "ŋ": "n", "ſ": "s",
    }
)  # fmt: skip


def _base(text: str, fallback: str) -> str:
    return (slugify(text.translate(_LATIN)) or fallback)[: SLUG_MAX - 4].rstrip("-")


def unique_slug(model: type[models.Model], text: str, fallback: str) -> str:
    """A free slug for ``model`` made from ``text``: "name", "name-2", …"""
    base = _base(text, fallback)
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def unique_slugs(
    model: type[models.Model], texts: Sequence[str], fallback: str
) -> list[str]:
    """Free slugs for many new rows of ``model``, in one query: the slugs
    ``unique_slug`` would give them one after the other."""
    bases = [_base(text, fallback) for text in texts]
    if not bases:
        return []
    # Every taken slug that one of the bases could collide with: the base
    # itself or the base, a hyphen and a number.
    pattern = "^(" + "|".join(sorted({_escape(base) for base in bases})) + r")(-\d+)?$"
    taken = set(
        model._default_manager.filter(slug__regex=pattern).values_list(
            "slug", flat=True
        )
    )
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _escape(base: str) -> str:
    """A slug as a PostgreSQL regular expression literal (letters, digits,
    hyphens and underscores; only the hyphen needs no escape)."""
    return "".join(c if c.isalnum() or c in "-_" else "\\" + c for c in base)
