"""pg_trgm's companion for names: ``unaccent``, so that a search for "zoe"
finds "Zoë" and "o'neil" finds "O’Neil" (people list, admin, autocomplete).
A trusted extension: the database's owner may create it."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0005_name_indexes_without_pending_list")]

    operations = [UnaccentExtension()]
