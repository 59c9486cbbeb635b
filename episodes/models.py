"""Shows, episodes and the people who speak in them."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

HTTP_URL_REGEX = r"^https?://"


class SourceFormat(models.TextChoices):
    SUMMARY = "summary", "Summary page"
    TRANSCRIPT = "transcript", "Speaker-labelled transcript"
    VTT = "vtt", "WebVTT captions"
    SRT = "srt", "SRT captions"


class Role(models.TextChoices):
    HOST = "host", "Host"
    GUEST = "guest", "Guest"
    OTHER = "other", "Other"


class Show(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | Q(url__regex=HTTP_URL_REGEX),
                name="episodes_show_http_url",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def matching_name(self, name: str) -> PersonQuerySet:
        """People whose name or one of whose aliases equals ``name`` (any case)."""
        name = " ".join(name.split())
        return self.filter(
            Q(name__iexact=name) | Q(aliases__name__iexact=name)
        ).distinct()


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True, help_text="Affiliation or who they are, e.g. “founder of Margins”."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(Lower("name"), name="person_name_lower_idx"),
            # Fuzzy name look-ups (pg_trgm): importer matching, name search.
            GinIndex(
                fields=["name"], name="person_name_trgm_idx", opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:person_detail", args=[self.slug])


class PersonAlias(models.Model):
    """Another spelling of a person's name (a misspelling, a nickname, a title)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "person aliases"
        indexes = [
            GinIndex(
                fields=["name"], name="alias_name_trgm_idx", opclasses=["gin_trgm_ops"]
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


class Episode(models.Model):
    show = models.ForeignKey(Show, on_delete=models.PROTECT, related_name="episodes")
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    subtitle = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    source_name = models.CharField(
        max_length=500, blank=True, help_text="File name the source was imported from."
    )
    source_format = models.CharField(max_length=20, choices=SourceFormat.choices)
    # Kept verbatim: claim offsets point into it.
    source_text = models.TextField()
    # sha256 of the source bytes: re-importing the same file is a no-op.
    source_checksum = models.CharField(max_length=64, unique=True)
    people = models.ManyToManyField(
        Person, through="Appearance", related_name="episodes", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(
                fields=["show", "-published_on"], name="episode_show_date_idx"
            ),
            models.Index(fields=["-published_on", "-id"], name="episode_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_format__in=SourceFormat.values),
                name="episodes_episode_source_format_valid",
            ),
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__regex=HTTP_URL_REGEX),
                name="episodes_episode_http_source_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # The pages live in the claims app (they show claims); a URL name
        # keeps this app free of any import of it.
        return reverse("claims:episode_detail", args=[self.slug])


class Appearance(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="appearances"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appearances"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.GUEST)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "person", "role"], name="appearance_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="episodes_appearance_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.episode}"
