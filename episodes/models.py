"""Shows, episodes and who appears in them (the people are the people app's)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from claimdesk.instances import QuickLoading
from claimdesk.weblinks import HTTP_URL_REGEX
from people.models import Person


class SourceFormat(models.TextChoices):
    SUMMARY = "summary", "Summary page"
    TRANSCRIPT = "transcript", "Speaker-labelled transcript"
    VTT = "vtt", "WebVTT captions"
    SRT = "srt", "SRT captions"


class Role(models.TextChoices):
    HOST = "host", "Host"
    GUEST = "guest", "Guest"
    OTHER = "other", "Other"


class Show(QuickLoading, models.Model):
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


class Episode(QuickLoading, models.Model):
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
        # The "episodes" URL namespace names the episode's page, whichever
        # app renders it (claimdesk/urls.py wires it to the claims pages).
        return reverse("episodes:detail", args=[self.slug])


class Appearance(QuickLoading, models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="appearances"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appearances"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.GUEST)

    # The log shows its changes on its episode's timeline.
    audit_timeline = "episode"

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
