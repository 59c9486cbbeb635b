"""People: everyone who speaks in an episode or is reported as a claim's
claimant, the other spellings of their names, and look-alike names waiting for
an editor to merge or dismiss them.

Everything about people lives in this app: the models, name resolution
(``resolver.py``), the writes (``workflow.py``: merge, aliases, edits),
loading known people from a file (``loading.py``) and the admin. It imports
no other Claimdesk app; the apps that point at people (episodes, claims) are
found through the models' relations when two people are merged.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from claimdesk.instances import QuickLoading
from claimdesk.weblinks import HTTP_URL_REGEX


class PersonQuerySet(models.QuerySet):
    def matching_name(self, name: str) -> PersonQuerySet:
        """People whose name or one of whose aliases equals ``name`` (any case)."""
        name = " ".join(name.split())
        return self.filter(
            Q(name__iexact=name) | Q(aliases__name__iexact=name)
        ).distinct()


class Person(QuickLoading, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True, help_text="Affiliation or who they are, e.g. “founder of Margins”."
    )
    # Published as the claimant's ``sameAs`` in ClaimReview: tells a search
    # engine which person this is (a Wikipedia or Wikidata page, say).
    profile_url = models.URLField(
        "profile link",
        max_length=500,
        blank=True,
        help_text="A page that identifies this person (Wikipedia, Wikidata, an "
        "official site). Published with their claims' reviews.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(profile_url="") | Q(profile_url__regex=HTTP_URL_REGEX),
                name="people_person_http_url",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), name="person_name_lower_idx"),
            # Fuzzy name look-ups (pg_trgm): importer matching, name search.
            # fastupdate off: a new name goes into the index at once, not
            # into GIN's pending list, which every look-up reads in full
            # until a VACUUM: with 5,000 names pending (a bulk load) a
            # claim search's name look-up took 11-13 ms instead of 1.
            GinIndex(
                fields=["name"],
                name="person_name_trgm_idx",
                opclasses=["gin_trgm_ops"],
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.slug])


class PersonAlias(QuickLoading, models.Model):
    """Another spelling of a person's name (a misspelling, a nickname, a title)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    # The log shows its changes on its person's timeline.
    audit_timeline = "person"

    class Meta:
        verbose_name_plural = "person aliases"
        indexes = [
            # fastupdate off, as person_name_trgm_idx.
            GinIndex(
                fields=["name"],
                name="alias_name_trgm_idx",
                opclasses=["gin_trgm_ops"],
                fastupdate=False,
            ),
        ]
        constraints = [
            # One spelling points at one person, whatever its case.
            models.UniqueConstraint(Lower("name"), name="personalias_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class PossibleDuplicate(models.Model):
    """Two people whose names look alike (fuzzy match at import), for an editor
    to merge or dismiss. Never merged silently: "Dario Amade" may be a typo of
    "Dario Amodei" or a different person."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="duplicate_flags"
    )
    similar_to = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Name similarity, 0..100.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=200, blank=True)

    # The log shows its changes on its person's timeline.
    audit_timeline = "person"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "similar_to"], name="possibleduplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(person=F("similar_to")),
                name="possibleduplicate_not_self",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="possibleduplicate_open_idx",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ~ {self.similar_to} ({self.score:.0f})"
