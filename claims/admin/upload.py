"""Import an episode file from the admin: upload, preview, confirm.

The preview is a dry run of the same ``claims.ingest.import_episode`` the
command line uses, so what it shows is what the import writes. Between
preview and confirm the file waits in a private temporary folder under a name
made of the uploader's id and the file's sha256; confirm re-reads it, checks
the hash, imports it and deletes it. Editors only (the workflow refuses
claims from anyone else).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claimdesk.roles import is_editor
from claims.ingest import (
    DEFAULT_MIN_SCORE,
    ImportRefused,
    Outcome,
    checksum,
    import_episode,
    rehearse_correction,
)
from episodes.parsers import FORMATS

PENDING_MAX_AGE = 24 * 3600  # seconds a previewed upload waits for its confirm

# Messages that start with a file's name: shown as written, not capitalised
# (templates/admin/base_site.html).
AS_WRITTEN = "as-written"


def pending_dir() -> Path:
    folder = Path(
        getattr(settings, "CLAIMDESK_UPLOAD_DIR", "")
        or Path(tempfile.gettempdir()) / "claimdesk-uploads"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def pending_path(user_id: int, digest: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValidationError("The preview has expired; upload the file again.")
    return pending_dir() / f"{user_id}-{digest}"


def forget_old_uploads() -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in pending_dir().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="A summary page, speaker-labelled transcript, WebVTT or SRT file."
    )
    show = forms.CharField(
        required=False,
        max_length=200,
        help_text="Show name, if the file does not give it (or to override it).",
    )
    format = forms.ChoiceField(
        required=False,
        choices=[("", "Detect from the file"), *((f, f) for f in sorted(FORMATS))],
    )
    min_score = forms.FloatField(
        label="Minimum check-worthiness",
        required=False,
        min_value=0,
        max_value=1,
        initial=DEFAULT_MIN_SCORE,
        help_text="Sentences scoring lower are not stored (0 to 1). Summary-page "
        "quotes are always kept.",
    )

    def clean_min_score(self):
        score = self.cleaned_data["min_score"]
        return DEFAULT_MIN_SCORE if score is None else score

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CLAIMDESK_MAX_SOURCE_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"{upload.name} is {upload.size:,} bytes, over the {limit:,}-byte "
                "limit; upload a smaller file.",
                code="too_big",
            )
        return upload


class ConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput, max_length=500)
    show = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    format = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        choices=[("", ""), *((f, f) for f in FORMATS)],
    )
    min_score = forms.FloatField(
        widget=forms.HiddenInput, min_value=0, max_value=1, initial=DEFAULT_MIN_SCORE
    )

    def options(self) -> dict:
        return {
            "show_name": self.cleaned_data["show"] or None,
            "fmt": self.cleaned_data["format"] or None,
            "min_score": self.cleaned_data["min_score"],
        }


def import_view(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user):
        raise PermissionDenied("Only editors import episodes.")
    context = {
        **admin.site.each_context(request),
        "title": "Import an episode",
        "plan": None,
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_episode(
                data,
                name=upload.name,
                show_name=form.cleaned_data["show"] or None,
                fmt=form.cleaned_data["format"] or None,
                min_score=form.cleaned_data["min_score"],
                dry_run=True,
                actor=request.user,
            )
        except ImportRefused as error:
            form.add_error("file", f"{upload.name}: {error}")
        else:
            if result.outcome == Outcome.UNCHANGED:
                messages.info(
                    request,
                    f"{upload.name} is already imported as “{result.episode}”"
                    f"{result.elsewhere() or '; nothing to do'}.",
                    extra_tags=AS_WRITTEN,
                )
                return HttpResponseRedirect(
                    reverse("admin:episodes_episode_change", args=[result.episode.pk])
                )
            forget_old_uploads()
            digest = checksum(data)
            pending_path(request.user.pk, digest).write_bytes(data)
            context["plan"] = result.plan
            # A corrected version of this episode: confirming updates it,
            # sends back to research the verdicts it would no longer rate,
            # and leaves the claims whose passage it no longer holds without
            # their place (rehearsed: rehearse_correction).
            context["updates"] = result.episode
            if result.outcome == Outcome.DRY_RUN_UPDATE:
                try:
                    rehearsal = rehearse_correction(
                        result.plan, result.episode, request.user
                    )
                    context["reopens"] = rehearsal.reopened
                    context["lost"] = rehearsal.lost
                except ImportRefused as error:
                    form.add_error("file", f"{upload.name}: {error}")
                    context["plan"] = context["updates"] = None
            context["confirm_form"] = ConfirmForm(
                initial={
                    "digest": digest,
                    "name": upload.name,
                    "show": form.cleaned_data["show"],
                    "format": form.cleaned_data["format"],
                    "min_score": form.cleaned_data["min_score"],
                }
            )
    context["form"] = form
    return TemplateResponse(request, "admin/claims/import_episode.html", context)


def _confirm(request: HttpRequest, context: dict) -> HttpResponse:
    confirm = ConfirmForm(request.POST)
    error = None
    if confirm.is_valid():
        try:
            path = pending_path(request.user.pk, confirm.cleaned_data["digest"])
            data = path.read_bytes()
        except (ValidationError, FileNotFoundError):
            error = "The preview has expired; upload the file again."
        else:
            if checksum(data) != confirm.cleaned_data["digest"]:
                error = "The previewed file changed; upload it again."
    else:
        error = "The preview has expired; upload the file again."
    if error:
        messages.error(request, error)
        return HttpResponseRedirect(reverse("claims_import_episode"))
    name = confirm.cleaned_data["name"]
    try:
        result = import_episode(
            data, name=name, actor=request.user, **confirm.options()
        )
    except (ImportRefused, ValidationError) as exc:
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"{name}: {reason}", extra_tags=AS_WRITTEN)
        return HttpResponseRedirect(reverse("claims_import_episode"))
    finally:
        path.unlink(missing_ok=True)
    count = result.episode.claims.count()
    messages.success(
        request,
        f"{name}: {result.outcome} as “{result.episode}” with {count} "
        f"claim{'s' if count != 1 else ''}.",
        extra_tags=AS_WRITTEN,
    )
    return HttpResponseRedirect(
        reverse("admin:episodes_episode_change", args=[result.episode.pk])
    )
