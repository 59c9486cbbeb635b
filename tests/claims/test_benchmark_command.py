"""The import benchmark's material and the parallel import path it measures."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from claims.extraction.benchmark import SENTENCES_PER_HOUR, one_hour_transcript
from claims.ingest.batch import import_files
from claims.models import Claim
from episodes.models import Episode
from episodes.parsers import parse


def test_synthetic_hour_is_a_transcript_of_about_600_sentences():
    parsed = parse(one_hour_transcript(7, checkable_share=0.15, seed=1))
    assert parsed.format == "transcript"
    assert parsed.title.startswith("Benchmark episode 7")
    assert parsed.show and parsed.published_on
    words = sum(len(turn.text.split()) for turn in parsed.turns)
    assert SENTENCES_PER_HOUR * 10 < words < SENTENCES_PER_HOUR * 20
    # Each one differs, so none is mistaken for a re-import or a correction.
    assert one_hour_transcript(8, checkable_share=0.15, seed=1) != (
        one_hour_transcript(7, checkable_share=0.15, seed=1)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_import_writes_what_a_serial_one_does(tmp_path):
    paths = []
    for number in range(1, 5):
        path = tmp_path / f"episode-{number}.txt"
        path.write_text(one_hour_transcript(number, checkable_share=0.15, seed=1))
        paths.append(path)
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    paths.append(tmp_path / "bad.txt")
    out, err = OutputWrapper(io.StringIO()), OutputWrapper(io.StringIO())
    totals = import_files(paths, out=out, err=err, verbosity=0, jobs=2)
    assert (totals.imported, totals.errors) == (4, 1)
    assert Episode.objects.count() == 4
    assert Claim.objects.count() == totals.claims > 0
    # Again: every file is unchanged, nothing is written.
    again = import_files(paths[:4], out=out, err=err, verbosity=0, jobs=2)
    assert (again.unchanged, again.claims) == (4, 0)
    assert Episode.objects.count() == 4


def test_benchmark_refuses_bad_options():
    with pytest.raises(CommandError, match="--sentences and --jobs"):
        call_command("benchmark", "--sentences", "0", "--episodes", "0")
