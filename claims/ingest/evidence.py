"""Import evidence links from a CSV file: every row checked first, then all
written through the workflow in one transaction, or none.

The file has a header line naming its columns (``COLUMNS``, the columns
``export_claims --format evidence-csv`` writes); ``claim_id``, ``url`` and
``stance`` are required, the others may be left out. Each row is checked with
the form a reviewer fills in by hand (``claims.forms.EvidenceForm``: an
http(s) address, a stance, lengths), plus a claim that exists and a date
written YYYY-MM-DD. A file with any bad row writes nothing; the refusal lists
every bad row with its line number and reason (``EvidenceRefused``).

A link already on its claim, the same source by ``url_identity`` (scheme and
host in any case, a default port, a ``#fragment``), is not added again, so
importing a file twice adds nothing the second time; a row repeating an
earlier row of the file is skipped the same way. Each link added is one
``evidence.added`` event, as if added by hand, whose note names the file and
line (``workflow.evidence_add_many``).
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from claimdesk import limits
from claimdesk.roles import User
from claims.export import EVIDENCE_COLUMNS as COLUMNS
from claims.forms import EvidenceForm
from claims.ingest.plan import ImportRefused, checksum
from claims.models import Claim, Evidence, Stance
from claims.workflow import rules
from claims.workflow.sources import (
    EvidenceDraft,
    clean_url,
    evidence_add_many,
    url_identity,
)

REQUIRED = ("claim_id", "url", "stance")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORM_FIELDS = ("url", "stance", "title", "publisher", "published_on", "excerpt")


@dataclass(frozen=True)
class Problem:
    """Why a file, or one of its rows, cannot be imported."""

    line: int | None
    reason: str
    # A problem of the whole file found on a line (its encoding, a NUL
    # byte): no row to correct, so not counted as a bad row.
    of_file: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class EvidenceRefused(ImportRefused):
    """The file cannot be imported; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        rows = sum(
            1
            for problem in problems
            if problem.line and problem.line > 1 and not problem.of_file
        )
        if rows:
            summary = (
                f"{rows} bad row{'s' if rows != 1 else ''}, nothing imported; "
                "correct {} and import the whole file again".format(
                    "them" if rows != 1 else "it"
                )
            )
        else:
            summary = str(problems[0])
        super().__init__(summary)


@dataclass(frozen=True)
class Row:
    """A good row: what it adds, or why it adds nothing."""

    line: int
    draft: EvidenceDraft
    claim: str
    # The earlier line of the file with the same claim and source.
    repeats: int | None = None
    # The claim already has this source.
    present: bool = False

    @property
    def adds(self) -> bool:
        return self.repeats is None and not self.present


@dataclass(frozen=True)
class EvidencePlan:
    name: str
    checksum: str
    rows: tuple[Row, ...]

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.adds]

    @property
    def skipped(self) -> list[Row]:
        return [row for row in self.rows if not row.adds]


@dataclass
class EvidenceResult:
    plan: EvidencePlan
    added: list[Evidence] = field(default_factory=list)


# --- reading the file ------------------------------------------------------------


def _text(data: bytes) -> str:
    limit = limits.EVIDENCE_FILE_MAX_BYTES
    if len(data) > limit:
        raise EvidenceRefused(
            [
                Problem(
                    None,
                    f"the file is {len(data):,} bytes, over the {limit:,}-byte "
                    "limit; split it into smaller files",
                )
            ]
        )
    if not data.strip():
        raise EvidenceRefused(
            [Problem(None, f"the file is empty; its first line must be {_header()}")]
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A spreadsheet's "Unicode text" (Excel): UTF-16 with a byte-order
        # mark, its NUL bytes half of each character, not a sign of binary.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise EvidenceRefused(
                [
                    Problem(
                        None,
                        "the file starts like UTF-16 text but is not; save it "
                        "as CSV UTF-8 and import that",
                    )
                ]
            ) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise EvidenceRefused(
            [
                Problem(
                    line,
                    "the file holds a NUL byte: it is binary (a spreadsheet "
                    "workbook?), not a CSV file. Save it as CSV (UTF-8) and "
                    "import that",
                    of_file=True,
                )
            ]
        )
    try:
        # utf-8-sig: a spreadsheet's "CSV UTF-8" starts with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise EvidenceRefused(
            [
                Problem(
                    line,
                    f"the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
                    "save it as CSV UTF-8 and import it again",
                    of_file=True,
                )
            ]
        ) from None


def _header() -> str:
    optional = [name for name in COLUMNS if name not in REQUIRED]
    return (
        f"the column names {', '.join(COLUMNS)} (required: "
        f"{', '.join(REQUIRED)}; {', '.join(optional)} may be left out)"
    )


def _csv_error(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "a value opened with a double quote is never closed"
    if "expected after" in message:
        return (
            'a double quote inside a quoted value must be doubled ("") and '
            "the value must end at its closing quote"
        )
    if "field larger than field limit" in message:
        # Or a quote left open, which makes the rest of the file one value.
        return (
            f"a value is longer than {csv.field_size_limit():,} characters "
            f"(an excerpt holds at most {limits.EXCERPT_MAX_CHARS:,}; a double quote "
            "left open makes the rest of the file one value)"
        )
    return f"not readable as CSV ({message})"


def _delimiter(text: str) -> str:
    """Tab-separated (a spreadsheet's "Unicode text", "Text (tab
    delimited)") when the header has tabs and no comma; CSV otherwise."""
    header = text.split("\n", 1)[0]
    return "\t" if "\t" in header and "," not in header else ","


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its values), blank lines left out."""
    reader = csv.reader(
        io.StringIO(text, newline=""), strict=True, delimiter=_delimiter(text)
    )
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = _csv_error(error)
            if not reason.startswith("a value is longer"):
                reason += "; save the file as CSV again"
            raise EvidenceRefused([Problem(line, reason)]) from None
        if values and any(value.strip() for value in values):
            yield line, values
        line = reader.line_num + 1


def _columns(line: int, header: list[str]) -> list[str]:
    names = [name.strip().lower().replace(" ", "_") for name in header]
    problems = []
    missing = [name for name in REQUIRED if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    # Counted in one pass: names.count() per name was quadratic, 14 s for a
    # header of 100,000 empty columns.
    repeated = sorted(name for name, n in Counter(names).items() if n > 1)
    if missing:
        hint = ""
        if len(names) == 1 and any(sep in header[0] for sep in ";\t|"):
            hint = "; the columns must be separated by commas"
        problems.append(f"missing columns: {', '.join(missing)}{hint}")
    if unknown:
        problems.append(
            f"unknown columns: {', '.join(repr(name) for name in unknown[:10])}"
        )
    if repeated:
        problems.append(
            f"columns named twice: {', '.join(repr(name) for name in repeated[:10])}"
        )
    if problems:
        raise EvidenceRefused(
            [
                Problem(
                    line, f"{'; '.join(problems)}. The first line must give {_header()}"
                )
            ]
        )
    return names


# --- checking the rows -----------------------------------------------------------


class RowForm(forms.Form):
    """The fields of the form a reviewer fills in by hand (``EvidenceForm``),
    checked as a plain form: the same rules (an http(s) address, a stance,
    lengths, a date), without the model validation that asks the database
    about each check constraint, two queries a row. The workflow and the
    database's constraints still check every link they write."""

    def __init__(self, data: dict[str, str]):
        super().__init__(data)
        self.fields = copy.deepcopy(EvidenceForm.base_fields)


def _claim_id(value: str) -> tuple[int | None, str | None]:
    value = value.strip()
    if not value:
        return None, "claim_id is empty; give the id of the claim the link is for"
    claim_id = limits.as_id(value)
    if claim_id is None:
        return None, f"claim_id “{value[:40]}” is not a claim id (a whole number)"
    return claim_id, None


def _form_problems(values: dict[str, str], form: RowForm) -> list[str]:
    problems = []
    for name in _FORM_FIELDS:
        if name not in form.errors:
            continue
        given = values.get(name, "").strip()
        if name == "stance":
            choices = ", ".join(Stance.values)
            problems.append(
                f"stance “{given[:40]}” is not one of {choices}"
                if given
                else f"stance is empty; give one of {choices}"
            )
        elif not given:
            problems.append(f"{name} is empty")
        else:
            shown = given if len(given) <= 60 else given[:59] + "…"
            reason = " ".join(form.errors[name]).rstrip(".")
            problems.append(f"{name} “{shown}”: {reason}")
    return problems


def _check(
    values: dict[str, str],
) -> tuple[int | None, EvidenceDraft | None, list[str]]:
    """The row's claim id, the draft it adds, and what is wrong with it (the
    claim's existence is checked for all rows at once, later)."""
    problems = []
    claim_id, problem = _claim_id(values.get("claim_id", ""))
    if problem:
        problems.append(problem)
    date = values.get("published_on", "").strip()
    if date and not (_ISO_DATE.fullmatch(date) and _is_date(date)):
        problems.append(
            f"published_on “{date[:40]}” is not a date written YYYY-MM-DD "
            "(or leave it empty)"
        )
        values = {**values, "published_on": ""}
    data = {name: values.get(name, "") for name in _FORM_FIELDS}
    data["stance"] = data["stance"].strip().lower()
    form = RowForm(data)
    if not form.is_valid():
        problems.extend(_form_problems(values, form))
    if problems:
        return claim_id, None, problems
    cleaned = form.cleaned_data
    draft = EvidenceDraft(
        claim_id=claim_id,
        url=clean_url(cleaned["url"]),
        stance=cleaned["stance"],
        title=cleaned["title"],
        publisher=cleaned["publisher"],
        published_on=cleaned["published_on"],
        excerpt=cleaned["excerpt"],
    )
    return claim_id, draft, []


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _present(claim_ids: set[int]) -> set[tuple[int, str]]:
    """(claim id, url identity) of the links these claims already have."""
    return {
        (claim_id, url_identity(url))
        for claim_id, url in Evidence.objects.filter(
            claim_id__in=claim_ids
        ).values_list("claim_id", "url")
    }


def plan_evidence(data: bytes, *, name: str) -> EvidencePlan:
    """Read and check every row; ``EvidenceRefused`` lists each bad one."""
    text = _text(data)
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise EvidenceRefused(
            [Problem(None, f"the file is empty; its first line must be {_header()}")]
        )
    columns = _columns(*first)
    separator = "tab" if _delimiter(text) == "\t" else "comma"
    max_rows = limits.EVIDENCE_FILE_MAX_ROWS
    results: list[tuple[int, int | None, EvidenceDraft | None, list[str]]] = []
    for count, (line, values) in enumerate(records, start=1):
        if count > max_rows:
            raise EvidenceRefused(
                [
                    Problem(
                        None,
                        f"the file has more than {max_rows:,} rows; split it into "
                        f"files of at most {max_rows:,} rows",
                    )
                ]
            )
        if len(values) != len(columns):
            reason = (
                f"{len(values)} value{'s' if len(values) != 1 else ''}, but the "
                f"first line names {len(columns)} columns"
            )
            if len(values) > len(columns):
                reason += f" (a value holding a {separator} must be in double quotes)"
            results.append((line, None, None, [reason]))
            continue
        results.append((line, *_check(dict(zip(columns, values, strict=True)))))
    if not results:
        raise EvidenceRefused(
            [Problem(None, "the file has no rows under its header; nothing to import")]
        )
    claims = dict(
        Claim.objects.filter(pk__in={r[1] for r in results if r[1] is not None})
        .values_list("pk", "text")
        .order_by()
    )
    problems: list[Problem] = []
    checked: list[tuple[int, EvidenceDraft]] = []
    for line, claim_id, draft, reasons in results:
        if claim_id is not None and claim_id not in claims:
            reasons = [
                f"no claim has the id {claim_id}; check the id on the claim's page",
                *reasons,
            ]
        if reasons:
            problems.append(Problem(line, "; ".join(reasons)))
        else:
            checked.append((line, draft))
    if problems:
        raise EvidenceRefused(problems)
    present = _present(set(claims))
    seen: dict[tuple[int, str], int] = {}
    rows = []
    for line, draft in checked:
        key = (draft.claim_id, url_identity(draft.url))
        rows.append(
            Row(
                line=line,
                draft=replace(draft, note=f"imported from {name}, line {line}"),
                claim=claims[draft.claim_id],
                repeats=seen.get(key),
                present=key in present,
            )
        )
        seen.setdefault(key, line)
    return EvidencePlan(name=name, checksum=checksum(data), rows=tuple(rows))


def import_evidence(
    data: bytes, *, name: str, actor: User, dry_run: bool = False
) -> EvidenceResult:
    """Plan the file and, unless ``dry_run``, add its new links in one
    transaction. ``EvidenceRefused`` for a bad file or an actor who may not
    add evidence."""
    check_actor(actor)
    plan = plan_evidence(data, name=name)
    if dry_run:
        return EvidenceResult(plan)
    with transaction.atomic():
        ids = sorted({row.draft.claim_id for row in plan.rows})
        # Lock the claims, then look again for links already on them: one
        # added by hand since the plan is not added twice.
        list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        present = _present(set(ids))
        drafts = [
            row.draft
            for row in plan.new
            if (row.draft.claim_id, url_identity(row.draft.url)) not in present
        ]
        added = (
            evidence_add_many(drafts=drafts, actor=actor, source=name) if drafts else []
        )
    return EvidenceResult(plan, added)


def check_actor(actor: User) -> None:
    """Refuse, before reading a file, someone who may not add evidence."""
    try:
        rules.require_reviewer(actor)
    except ValidationError as error:
        raise EvidenceRefused([Problem(None, error.messages[0])]) from None
