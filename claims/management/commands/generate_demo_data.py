"""``manage.py generate_demo_data --claims N [--seed S]``: synthetic data at
scale for benchmarks (``claims/demo_data.py`` says what and how)."""

from django.core.management.base import BaseCommand, CommandError

from claims.demo_data import GenerationError, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with N synthetic claims and everything around "
        "them (episodes with sources, people, amounts, evidence, notes, "
        "history), made set-wise inside PostgreSQL in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")

    def handle(self, *args, claims, seed, verbosity, **options):
        if claims > 20_000_000:
            raise CommandError(
                f"{claims:,} claims is more than this generator makes in one "
                "transaction; use at most 20,000,000."
            )

        def progress(name: str, seconds: float) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {name}: {seconds:.1f} s")

        try:
            report = generate(claims, seed=seed, progress=progress)
        except GenerationError as error:
            raise CommandError(str(error)) from None
        rows = ", ".join(
            f"{table.split('_', 1)[1]} {count:,}"
            for table, count in report.rows.items()
        )
        self.stdout.write(
            f"Generated {report.claims:,} claims in {report.seconds:.1f} s "
            f"({report.claims_per_second:,.0f} claims/s; VACUUM and ANALYZE "
            f"{report.steps[-1][1]:.1f} s more). Rows now: {rows}."
        )
