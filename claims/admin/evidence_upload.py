"""Import evidence links from the admin: upload a CSV file, preview, confirm.

The same ``claims.ingest.evidence.import_evidence`` as ``manage.py
import_evidence``: the preview is its dry run (every row checked; a bad file
is a form error listing each bad row with its line), the confirm writes the
new links in one transaction, each an event in the log with the uploader as
actor. Between the two the file waits where an episode upload waits
(``upload.pending_path``), named by the uploader and its sha256. Reviewers
and editors, the roles that add evidence (``rules.has_role_for``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claimdesk import limits
from claims.admin.upload import AS_WRITTEN, forget_old_uploads, pending_path
from claims.ingest import checksum
from claims.ingest.evidence import REQUIRED, EvidenceRefused, import_evidence
from claims.workflow import Step, rules

# Bad rows shown on the page; the rest are counted.
PROBLEMS_SHOWN = 200


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header line naming the columns claim_id, url, title, "
        "publisher, published_on, stance, excerpt (required: "
        f"{', '.join(REQUIRED)}), then one evidence link per row; UTF-8. "
        "export_claims --format evidence-csv writes this format.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = limits.EVIDENCE_FILE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"{upload.name} is {upload.size:,} bytes, over the {limit:,}-byte "
                "limit; split it into smaller files.",
                code="too_big",
            )
        return upload


class ConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput, max_length=500)


def _refusal(name: str, refused: EvidenceRefused) -> list[str]:
    lines = [f"{name}: {refused}."]
    if len(refused.problems) > 1 or refused.problems[0].line:
        lines += [str(problem) for problem in refused.problems[:PROBLEMS_SHOWN]]
    hidden = len(refused.problems) - PROBLEMS_SHOWN
    if hidden > 0:
        lines.append(f"… and {hidden:,} more bad rows.")
    return lines


def import_evidence_view(request: HttpRequest) -> HttpResponse:
    if not rules.has_role_for(Step.ADD_EVIDENCE, request.user):
        raise PermissionDenied("Only reviewers and editors add evidence.")
    context = {
        **admin.site.each_context(request),
        "title": "Import evidence",
        "plan": None,
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_evidence(
                data, name=upload.name, actor=request.user, dry_run=True
            )
        except EvidenceRefused as refused:
            for line in _refusal(upload.name, refused):
                form.add_error("file", line)
        else:
            plan = result.plan
            if not plan.new:
                messages.info(
                    request,
                    f"Every link in {upload.name} is already on its claim; "
                    "nothing to import.",
                )
                return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))
            forget_old_uploads()
            digest = checksum(data)
            pending_path(request.user.pk, digest).write_bytes(data)
            context["plan"] = plan
            context["confirm_form"] = ConfirmForm(
                initial={"digest": digest, "name": upload.name}
            )
    context["form"] = form
    return TemplateResponse(request, "admin/claims/import_evidence.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    confirm = ConfirmForm(request.POST)
    again = HttpResponseRedirect(reverse("claims_import_evidence"))
    expired = "The preview has expired; upload the file again."
    if not confirm.is_valid():
        messages.error(request, expired)
        return again
    try:
        path = pending_path(request.user.pk, confirm.cleaned_data["digest"])
        data = path.read_bytes()
    except (ValidationError, FileNotFoundError):
        messages.error(request, expired)
        return again
    name = confirm.cleaned_data["name"]
    try:
        if checksum(data) != confirm.cleaned_data["digest"]:
            messages.error(request, "The previewed file changed; upload it again.")
            return again
        result = import_evidence(data, name=name, actor=request.user)
    except (EvidenceRefused, ValidationError) as error:
        reasons = (
            _refusal(name, error)
            if isinstance(error, EvidenceRefused)
            else [f"{name}: {' '.join(error.messages)}"]
        )
        for reason in reasons:
            messages.error(request, reason, extra_tags=AS_WRITTEN)
        return again
    finally:
        path.unlink(missing_ok=True)
    added = len(result.added)
    skipped = len(result.plan.rows) - added
    messages.success(
        request,
        f"{name}: added {added} evidence link{'s' if added != 1 else ''}"
        + (
            f"; {skipped} already on their claim or repeated, skipped."
            if skipped
            else "."
        ),
        extra_tags=AS_WRITTEN,
    )
    return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))
