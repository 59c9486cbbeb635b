"""Free slugs for any model with a unique ``slug`` field."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify

SLUG_MAX = 200


def unique_slug(model: type[models.Model], text: str, fallback: str) -> str:
    """A free slug for ``model`` made from ``text``: "name", "name-2", …"""
    base = (slugify(text) or fallback)[: SLUG_MAX - 4].rstrip("-")
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
