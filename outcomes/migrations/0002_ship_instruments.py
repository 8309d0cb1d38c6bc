"""Ship the global instruments (``outcomes/shipped.py``): the ZRM 2017
structure, the resident's self-assessment and the participation ladder.
Reversible: removes them again (only while no measurement uses them)."""

from django.db import migrations

from outcomes.shipped import instruments_ship, instruments_unship


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_instruments_and_measurements")]

    operations = [migrations.RunPython(instruments_ship, instruments_unship)]
