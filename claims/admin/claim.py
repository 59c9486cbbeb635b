"""ClaimAdmin: the claim list, the claim form and its writes."""

from __future__ import annotations

import functools
from html import escape

from django.contrib import admin, messages
from django.contrib.admin.views.main import ALL_VAR, ORDER_VAR, PAGE_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.forms.models import model_to_dict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from audit import timeline
from audit.admin import HistoryFromLogMixin
from audit.models import Event
from claimdesk.admin_tools import (
    ActionCheckboxMixin,
    ActionsOncePerRequestMixin,
    BoundedSearchMixin,
    EncodedLinksMixin,
    RememberedMediaMixin,
    SafeAutocompleteMixin,
    WorkflowWritesMixin,
)
from claimdesk.instances import from_rows
from claimdesk.lookups import int_array
from claimdesk.roles import EDITOR, REVIEWER, is_editor, is_reviewer
from claims import workflow
from claims.admin.exports import ExportActionsMixin
from claims.admin.filters import (
    ApprovalFilter,
    ForecastFilter,
    ShowFilter,
    SpeakerFilter,
)
from claims.admin.forms import ClaimForm, EvidenceForm
from claims.admin.inlines import (
    EvidenceInline,
    QuantityInline,
    ReadOnlyQuantityInline,
    ReviewNoteInline,
)
from claims.admin.paginator import EstimatedCountPaginator, within_filters
from claims.admin.steps import WorkflowStepsMixin
from claims.forms import (
    QUOTE_NOT_IN_SOURCE,
    as_posted,
    refresh_untouched,
    verdict_before,
    verdict_sent_back,
)
from claims.models import Claim, Evidence, Quantity, ReviewNote, Status
from claims.workflow import Step, rules

QUOTE_CONTEXT_CHARS = 300
STATUS_LABELS = dict(Status.choices)
# The claim's own fields on its change form (the rest is read-only); each
# is read-only too for a user the workflow does not let change it
# (get_readonly_fields). Every field the workflow can refuse is here:
# tests/claims/test_published_edits.py holds the two lists together.
FORM_FIELDS = (
    "text",
    "summary",
    "quote",
    "speaker",
    "claimant",
    "claim_type",
    "checkworthiness",
    "timestamp_seconds",
    "resolves_on",
)
# The inline's fields, which are also workflow.evidence_add's arguments.
EVIDENCE_FIELDS = EvidenceForm.Meta.fields


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


class ClaimChangeList(EncodedLinksMixin, ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The page's rows come from admin_rows (below): this queryset only
        # chooses and counts them (values_list drops any join) and is what
        # the actions get, which show nothing related. No joins: they were
        # planned on every view for nothing.
        return super().get_queryset(request, exclude_parameters).select_related(None)

    def get_results(self, request):
        super().get_results(request)
        paginator = self.paginator
        if self.page_num > paginator.num_pages >= 1:
            # The paginator showed the real last page for a page past it
            # (EstimatedCountPaginator.validate_number): that is this page.
            self.page_num = paginator.num_pages
        self.page_num = max(self.page_num, 1)  # and the first for one before it
        if isinstance(self.result_list, QuerySet):
            # All on one page (or "show all"): Django lists the queryset
            # itself. Its rows are read as a page's are, ids first: with the
            # rows' per-row lookups in the same query, the planner expected
            # a search's 4,350 matches (it found none) to cost enough for
            # two parallel workers, 4 ms just to start them.
            self.result_list = paginator.rows_of(self.result_list)
            return
        if (
            not self.result_list
            and self.page_num > 1
            and getattr(paginator, "estimated", False)
        ):
            # The estimated count ran past the real end (the last page link
            # of "about 250,465 claims" was empty): count exactly, once, on
            # this page only, and show the real last page.
            paginator.count_exactly()
            self.page_num = paginator.num_pages
            self.result_list = paginator.page(self.page_num).object_list
        if (
            getattr(paginator, "estimated", False)
            and self.page_num == paginator.num_pages
            and len(self.result_list) == self.list_per_page
        ):
            # The last page of an estimate, and full: the estimate may be
            # below the real count (the table's row estimate lags its rows),
            # so the next page is offered; past the real end, that page
            # counts exactly and shows the real last page (above). Found by
            # a new user: the oldest claims had no page link.
            paginator.__dict__["count"] = self.page_num * self.list_per_page + 1
            paginator.__dict__.pop("num_pages", None)
        if paginator.count != self.result_count:
            # Counted exactly above, or by the paginator for a page past
            # the end of an estimate below the real count.
            self.result_count = paginator.count
            self.multi_page = self.result_count > self.list_per_page
            self.can_show_all = self.result_count <= self.list_max_show_all


@functools.cache
def _claims_for_admin():
    """The admin's claims with what the list sorts by and the change page
    shows. Built once per process and never evaluated: each view filters a
    copy (``ClaimAdmin.get_queryset``)."""
    return Claim.objects.for_list().select_related(
        "assignee", "verdict_by", "approved_by"
    )


@functools.cache
def _admin_rows_sql() -> tuple[str, list, int]:
    """The SQL of ``Claim.objects.for_admin_rows()`` for an array of ids,
    its parameters, and where the ids go in them: compiled once per process
    (its five subqueries took 0.5 ms to compile per view)."""
    marker = -1
    rows = Claim.objects.for_admin_rows().order_by().filter(pk__any={marker})
    sql, params = rows.query.sql_with_params()
    return sql, list(params), [*params].index(int_array([marker]))


def admin_rows(ids: list[int]) -> list[Claim]:
    """The claims ``ids`` (in any order) with what a list row shows
    (``ClaimQuerySet.for_admin_rows``), built by ``from_rows``: as a raw
    query's, without its 1.7 ms of ``Model.__init__`` a page."""
    sql, params, at = _admin_rows_sql()
    db = router.db_for_read(Claim)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [*params[:at], int_array(ids), *params[at + 1 :]])
        columns = [column.name for column in cursor.description]
        return from_rows(Claim, db, columns, cursor.fetchall())


def _page_number(request) -> int:
    """The page ``?p=`` asks for, as Django's ChangeList reads it (5.2)."""
    try:
        return int(request.GET.get(PAGE_VAR, 1))
    except ValueError:
        return 1


# Searches expected to match more claims than this are not ranked.
RANKED_UP_TO = 10_000


@admin.register(Claim)
class ClaimAdmin(
    ActionsOncePerRequestMixin,
    ActionCheckboxMixin,
    BoundedSearchMixin,
    WorkflowWritesMixin,
    HistoryFromLogMixin,
    WorkflowStepsMixin,
    ExportActionsMixin,
    RememberedMediaMixin,
    SafeAutocompleteMixin,
    admin.ModelAdmin,
):
    form = ClaimForm
    list_display = (
        "claim_text",
        "speaker_column",
        "episode_column",
        "status_badge",
        "evidence_count",
        "approved",
    )
    list_filter = (
        "status",
        "claim_type",
        ApprovalFilter,
        ShowFilter,
        SpeakerFilter,
        ForecastFilter,
    )
    search_fields = ("text", "quote", "speaker__name", "claimant__name")
    search_help_text = (
        "Searches the claim text, the summary, the quote, and the speaker's "
        "and claimant's names. Best matches first; a search matching very many "
        "claims lists them newest first."
    )
    # Newest episode first, in the order of the claims in it: exactly the
    # key of claim_newest_idx (the claim's copy of its episode's date), so a
    # page is a walk of that index, with no sort.
    ordering = ("-episode_date", "-episode_id", Coalesce("quote_start", 0), "id")
    list_per_page = 50
    # An exact count of the unfiltered table on every page view is a full
    # scan once the table is large.
    show_full_result_count = False
    # No COUNT over the whole table for the unfiltered list once it is big.
    paginator = EstimatedCountPaginator
    # Facet counts are one COUNT per filter option on every page view.
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ("episode", "speaker", "claimant")
    actions = (
        "start_research",
        "set_verdict",
        "approve",
        "reopen",
        "assign_to_me",
        "export_csv",
        "export_spreadsheet_csv",
        "export_json",
    )

    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "episode",
                    "text",
                    "summary",
                    "quote",
                    ("speaker", "claimant"),
                    ("claim_type", "checkworthiness"),
                    ("timestamp_seconds", "resolves_on"),
                )
            },
        ),
    )
    change_fieldsets = (
        (
            None,
            {
                "fields": (
                    "loaded_version",
                    "status_badge",
                    "text",
                    "summary",
                    "quote_in_context",
                    "quote",
                    "episode",
                    ("speaker", "claimant"),
                    ("claim_type", "checkworthiness"),
                    "score_reasons",
                    ("timestamp_seconds", "resolves_on"),
                    "other_mentions",
                    "note",
                )
            },
        ),
        (
            "Review",
            {
                "fields": (
                    "assignee",
                    "verdict_by",
                    "rationale",
                    ("approved_by", "approved_at"),
                )
            },
        ),
        ("History", {"fields": ("history",)}),
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    ("quote_start", "quote_end"),
                    "version",
                    ("created_at", "updated_at"),
                ),
            },
        ),
    )
    change_readonly_fields = (
        "history",
        "quote_in_context",
        "score_reasons",
        "other_mentions",
        "episode",
        "status_badge",
        "verdict_by",
        "rationale",
        "approved_by",
        "approved_at",
        "quote_start",
        "quote_end",
        "version",
        "created_at",
        "updated_at",
    )

    class Media:
        css = {"all": ("claims/admin.css", "audit/timeline.css")}

    # --- permissions: the workflow is the guard; these hide what it would refuse

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        # History is append-only and protects its claim; a wrong claim is
        # marked not checkable, never deleted.
        return False

    # --- reads

    def get_queryset(self, request):
        # A copy of one built per process: resolving the evidence count's
        # subquery took 0.5-1 ms a view.
        return _claims_for_admin().all()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            # The widest page of the desk, and the one opened most: no
            # navigation sidebar beside its table (the breadcrumbs and the
            # header lead everywhere else). It was 6–15 ms of each view at a
            # million claims (the app list with its permission checks).
            "is_nav_sidebar_enabled": False,
            # The "Import evidence" link: the roles that add evidence.
            "can_import_evidence": rules.has_role_for(Step.ADD_EVIDENCE, request.user),
        }
        return super().changelist_view(request, extra_context)

    def get_paginator(self, request, queryset, per_page, orphans=0, **kwargs):
        return self.paginator(
            queryset,
            per_page,
            orphans,
            search_bound=getattr(request, "claim_search_bound", None),
            # One speaker's claims: hundreds, not a share of the table.
            short=SpeakerFilter.parameter_name in request.GET,
            # The first page (?p= read as Django's ChangeList reads it): its
            # ids come with the count, in one round trip.
            first_page=_page_number(request) == 1 and ALL_VAR not in request.GET,
            # What the columns below read (claimant, users, the search
            # vector and long texts left out).
            rows=admin_rows,
            **kwargs,
        )

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        if (
            obj is not None
            and request.method == "POST"
            # Read again: ClaimForm._check_version locked the row in this
            # transaction, so this is the version it compared with.
            and request.POST.get("loaded_version")
            != str(Claim.objects.values_list("version", flat=True).get(pk=obj.pk))
        ):
            # A save refused as stale (ClaimForm._check_version): the amounts
            # the user left alone show what is saved now, as the claim's
            # fields do, so saving again does not write back the old ones.
            # Read again: validating the posted rows wrote them into their
            # instances.
            for index, formset in enumerate(formsets):
                if formset.model is not Quantity:
                    continue
                formset = formsets[index] = self._amounts_as_saved(
                    request, formset, obj
                )
                saved = Quantity.objects.in_bulk(
                    [form.instance.pk for form in formset.initial_forms]
                )
                for form in formset.initial_forms:
                    if form.instance.pk in saved:
                        form.refreshed(
                            refresh_untouched(
                                form,
                                model_to_dict(
                                    saved[form.instance.pk], fields=list(form.fields)
                                ),
                            )
                        )
        return super().get_inline_formsets(request, formsets, inline_instances, obj)

    @staticmethod
    def _amounts_as_saved(request, formset, claim):
        """The amounts' formset of a stale save, rebuilt on the rows saved
        now: one row per saved amount, in the inline's order, with what the
        user posted for it (or, for an amount another editor added, its
        saved values), then the user's new rows. An amount another editor
        deleted meanwhile is dropped, and a message says so with what the
        form held for it: before, its posted row stayed, paired by Django
        with the wrong saved row, the one after it went unshown, and every
        save after that failed with no error shown."""
        prefix = formset.prefix
        data = formset.data
        posted_initial = formset.initial_form_count()
        posted = {}  # pk → the posted row's values, by field name
        new_rows, gone = [], []
        for i in range(formset.total_form_count()):
            row_prefix = f"{prefix}-{i}-"
            row = {
                key[len(row_prefix) :]: data.getlist(key)
                for key in data
                if key.startswith(row_prefix)
            }
            row |= {
                "initial-" + key[len("initial-" + row_prefix) :]: data.getlist(key)
                for key in data
                if key.startswith("initial-" + row_prefix)
            }
            if i >= posted_initial:
                new_rows.append(row)
                continue
            pk = (row.get("id") or [""])[0]
            if pk.isdigit():
                posted[int(pk)] = row
        saved = list(type(formset)(instance=claim, prefix=prefix).get_queryset())
        ids = {amount.pk for amount in saved}
        for pk, row in posted.items():
            if pk not in ids:
                gone.append((row.get("text") or [""])[0])
        if not gone and len(posted) == len(saved):
            return formset  # the same rows: as posted
        rebuilt = data.copy()
        management = {
            f"{prefix}-{name}"
            for name in (
                "TOTAL_FORMS",
                "INITIAL_FORMS",
                "MIN_NUM_FORMS",
                "MAX_NUM_FORMS",
            )
        }
        for key in list(rebuilt):
            if (
                key.startswith((f"{prefix}-", f"initial-{prefix}-"))
                and key not in management
            ):
                del rebuilt[key]
        blank = formset.empty_form
        rows = []
        for amount in saved:
            row = posted.get(amount.pk)
            if row is None:  # added meanwhile: its saved values
                values = model_to_dict(amount, fields=list(blank.fields))
                row = {"id": [str(amount.pk)], "claim": [str(claim.pk)]}
                for name, field in blank.fields.items():
                    if name in values:
                        shown = as_posted(field, values[name])
                        row[name] = row[f"initial-{name}"] = [shown]
            rows.append(row)
        rows += new_rows
        for i, row in enumerate(rows):
            for key, values in row.items():
                if key.startswith("initial-"):
                    rebuilt.setlist(f"initial-{prefix}-{i}-{key[8:]}", values)
                else:
                    rebuilt.setlist(f"{prefix}-{i}-{key}", values)
        rebuilt[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        rebuilt[f"{prefix}-INITIAL_FORMS"] = str(len(saved))
        for text in gone:
            messages.warning(
                request,
                f"Meanwhile another editor deleted the amount “{text}”; it is no "
                "longer in the form. Add it again if it belongs here.",
            )
        return type(formset)(
            rebuilt,
            formset.files,
            instance=claim,
            prefix=prefix,
            queryset=formset.queryset,
            form_kwargs=formset.form_kwargs,
        )

    def get_search_results(self, request, queryset, search_term):
        """The list page's search (``ClaimQuerySet.search``): the stored
        search vector through its GIN index, and people's names through
        their trigram indexes, never ``ILIKE`` over joins. Bounded first
        (``BoundedSearchMixin``). No joins, so no DISTINCT."""
        if not search_term.strip():
            return queryset, False
        if self.search_refused(request, search_term):
            return queryset.none(), False
        found = queryset.search(search_term)
        # Best match first, unless the user sorted by a column. Ranking reads
        # every match, so a search that may match more than RANKED_UP_TO
        # claims stays newest first, walking the index (which finds the
        # first 50 of a common word's matches after a few hundred claims).
        # The bound also spares the page an exact count of a common word's
        # matches (get_paginator).
        bound, rows = Claim.objects.search_statistics(search_term)
        # The count's figure: the bound is over the whole table; a filtered
        # list holds the filters' share of it (found by a new user: a search
        # filtered to 4,743 claims said "about 12,085", with empty pages).
        request.claim_search_bound = within_filters(queryset, bound, rows)
        if ORDER_VAR not in request.GET and bound <= RANKED_UP_TO:
            return found.order_by("-search_rank", "-id"), False
        # Listed in an index's order: see ClaimQuerySet.by_id_if_few.
        return found.by_id_if_few(), False

    def lookup_allowed(self, lookup, value, request=None):
        # ShowFilter keeps the related-field filter's parameter; Django
        # allows a relation's parameter only for a field path in list_filter.
        return lookup == ShowFilter.parameter_name or super().lookup_allowed(
            lookup, value, request
        )

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # What the workflow lets this user change now (a reviewer cannot
        # change what a published verdict rates).
        editable = workflow.editable_fields(obj, request.user)
        locked = tuple(name for name in FORM_FIELDS if name not in editable)
        if not is_editor(request.user):
            # Reviewers take claims with "Assign to me"; assigning others is
            # an editor's job (workflow.claim_assign).
            locked += ("assignee",)
        return (*self.change_readonly_fields, *locked)

    def get_inlines(self, request, obj):
        if obj is None:
            return [QuantityInline]
        # On a published claim a reviewer sees the amounts but cannot change
        # them (what the verdict rates: workflow.editable_fields).
        quantities = (
            QuantityInline
            if "quantities" in workflow.editable_fields(obj, request.user)
            else ReadOnlyQuantityInline
        )
        return [quantities, EvidenceInline, ReviewNoteInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(groups__name__in=[EDITOR, REVIEWER]) | Q(is_superuser=True),
                    is_active=True,
                )
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- columns and read-only displays

    # The list's columns run for every row of every page: written with
    # f-strings and html.escape rather than format_html (the same markup in
    # a third of the time; test_admin_scale compares it with Django's).

    @admin.display(description="Claim", ordering="text")
    def claim_text(self, obj):
        return str(obj)

    # The rows come from Claim.objects.for_admin_rows(): the related names
    # are annotations, not related objects.

    @admin.display(description="Speaker", ordering="speaker__name")
    def speaker_column(self, obj):
        if obj.speaker_id is None:
            return "—"
        return SafeString(
            f'<a href="?{SpeakerFilter.parameter_name}={obj.speaker_id}" '
            f'title="Only claims by this speaker">{escape(obj.speaker_name)}</a>'
        )

    @admin.display(description="Episode", ordering="episode__published_on")
    def episode_column(self, obj):
        title = obj.episode_title
        if len(title) > 45:
            title = title[:44].rstrip() + "…"
        return SafeString(
            f'{escape(title)}<div class="claim-episode-meta">'
            f"{escape(obj.show_name)} · "
            f"{escape(str(obj.episode_published_on or 'undated'))}</div>"
        )

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        status = obj.status
        badge = (
            f'<span class="claim-status claim-status-{escape(status)}">'
            f"{escape(STATUS_LABELS.get(status, status))}</span>"
        )
        if obj.is_verdict and not obj.is_approved:
            badge += (
                '<span class="claim-status claim-status-proposed">'
                "awaiting approval</span>"
            )
        return SafeString(badge)

    @admin.display(description="Evidence", ordering="evidence_count")
    def evidence_count(self, obj):
        return obj.evidence_count

    @admin.display(description="Approved", boolean=True, ordering="approved_at")
    def approved(self, obj):
        # No verdict yet: nothing to approve (a blank, not a red cross).
        return obj.is_approved if obj.is_verdict else None

    @admin.display(description="Quote in context")
    def quote_in_context(self, obj):
        before, quote, after = obj.quote_context(QUOTE_CONTEXT_CHARS)
        if obj.quote_start is None:
            return format_html(
                '<div class="claim-quote-context"><mark>{}</mark></div>'
                '<p class="help">This quote was not found in the episode source, '
                "so it has no context.</p>",
                quote,
            )
        source_length = len(obj.episode.source_text)
        return format_html(
            '<div class="claim-quote-context">{}{}<mark>{}</mark>{}{}</div>',
            "…" if obj.quote_start > QUOTE_CONTEXT_CHARS else "",
            before,
            quote,
            after,
            "…" if obj.quote_end + QUOTE_CONTEXT_CHARS < source_length else "",
        )

    @admin.display(description="History, newest first")
    def history(self, obj):
        return timeline.render(Event.objects.about(obj))

    @admin.display(description="Why this score")
    def score_reasons(self, obj):
        reasons = obj.checkworthiness_reasons or []
        if not reasons:
            return "—"
        return format_html_join(", ", "{}", ((reason,) for reason in reasons))

    @admin.display(description="Also said at")
    def other_mentions(self, obj):
        mentions = obj.mentions.all()
        if not mentions:
            return "—"
        return format_html(
            '<ul class="claim-mentions">{}</ul>',
            format_html_join(
                "",
                "<li>{}<q>{}</q></li>",
                (
                    (
                        f"[{_clock(m.timestamp_seconds)}] "
                        if m.timestamp_seconds is not None
                        else "",
                        m.quote,
                    )
                    for m in mentions
                ),
            ),
        )

    # --- writes: every one through the workflow

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        offsets = {}
        if form.quote_offsets is not None:
            offsets = dict(
                zip(("quote_start", "quote_end"), form.quote_offsets, strict=True)
            )
        if not change:
            claim = workflow.claim_create(
                episode=data["episode"],
                text=data["text"],
                summary=data.get("summary", ""),
                quote=data["quote"],
                actor=request.user,
                speaker=data.get("speaker"),
                claimant=data.get("claimant"),
                timestamp_seconds=data.get("timestamp_seconds"),
                claim_type=data["claim_type"],
                checkworthiness=data.get("checkworthiness"),
                resolves_on=data.get("resolves_on"),
                **offsets,
            )
        else:
            # ClaimForm.clean() has already locked the row and compared the
            # version, so this cannot be stale within this transaction.
            claim = obj
            # For response_change: a verdict the save sends back is said.
            request.claimdesk_verdict_before = verdict_before(obj)
            saved = self.write(
                request,
                "The claim was not saved",
                workflow.claim_update,
                whole=True,
                claim=obj,
                actor=request.user,
                expected_version=data["loaded_version"],
                changes=form.changes(),
                note=data.get("note", ""),
            )
            # The form holds the new assignee; the row still has the old one.
            current = Claim.objects.only("assignee_id").get(pk=obj.pk).assignee_id
            assignee = data.get("assignee")
            if (
                saved
                and "assignee" in data
                and current != getattr(assignee, "pk", None)
            ):
                self.write(
                    request,
                    "The assignee was not changed",
                    workflow.claim_assign,
                    claim=obj,
                    assignee=assignee,
                    actor=request.user,
                )
        # Said with the answer, once the whole save is through (a part
        # refused later keeps nothing: found in review).
        request.claimdesk_quote_not_found = form.quote_not_found
        # The admin goes on with this object (inlines, log entry, redirect).
        obj.pk = claim.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def _quote_warning(self, request) -> None:
        if getattr(request, "claimdesk_quote_not_found", False) and not getattr(
            request, "claimdesk_refused", False
        ):
            self.message_user(request, QUOTE_NOT_IN_SOURCE, messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        self._quote_warning(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._quote_warning(request)
        before = getattr(request, "claimdesk_verdict_before", None)
        if before and before[1] and not getattr(request, "claimdesk_refused", False):
            status = Claim.objects.filter(pk=obj.pk).values_list("status", flat=True)
            if said := verdict_sent_back(before, status.first()):
                self.message_user(request, said, messages.WARNING)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        if self.object_refused(request):
            # The claim itself was refused: write nothing beside it.
            self.skip_formset(formset)
            return
        if formset.model is Quantity:
            formset.save(commit=False)
            if (
                formset.new_objects
                or formset.changed_objects
                or formset.deleted_objects
            ):
                self.write(
                    request,
                    "The amounts were not saved",
                    workflow.quantities_save,
                    claim=form.instance,
                    actor=request.user,
                    save=[
                        *formset.new_objects,
                        *(q for q, _ in formset.changed_objects),
                    ],
                    delete=formset.deleted_objects,
                    note=form.cleaned_data.get("note", ""),
                )
            return
        # Writes nothing: new and deleted rows go through the workflow below.
        formset.save(commit=False)
        claim, actor = form.instance, request.user
        # Each list keeps only what the workflow accepted, for the log entry.
        if formset.model is Evidence:
            formset.deleted_objects = [
                evidence
                for evidence in formset.deleted_objects
                if self.write(
                    request,
                    f"Evidence “{evidence}” was not removed",
                    workflow.evidence_remove,
                    evidence=evidence,
                    actor=actor,
                    reason=form.cleaned_data.get("note", ""),
                )
            ]
            formset.new_objects = [
                evidence
                for evidence in formset.new_objects
                if self.write(
                    request,
                    f"Evidence “{evidence}” was not added",
                    workflow.evidence_add,
                    claim=claim,
                    actor=actor,
                    **{name: getattr(evidence, name) for name in EVIDENCE_FIELDS},
                )
            ]
        elif formset.model is ReviewNote:
            formset.new_objects = [
                note
                for note in formset.new_objects
                if self.write(
                    request,
                    "The note was not added",
                    workflow.note_add,
                    claim=claim,
                    actor=actor,
                    body=note.body,
                )
            ]
