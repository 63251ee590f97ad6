"""PostgreSQL: no seeker in two overlapping reservations, no consultant in two places.

Exclusion constraints over the reservation's time range (btree_gist lets the integer
ids take part). SQLite has no exclusion constraints; there the booking services check
overlaps inside IMMEDIATE transactions, which serialise every writer, and the partial
unique indexes of 0001 hold on both databases. See docs/adr/0007-no-double-booking.md.
"""

from django.db import migrations

UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE booking_reservation ADD CONSTRAINT reservation_seeker_no_overlap
       EXCLUDE USING gist (seeker_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
    """ALTER TABLE booking_reservation ADD CONSTRAINT reservation_consultant_no_overlap
       EXCLUDE USING gist (consultant_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled' AND consultant_id IS NOT NULL)""",
]
DOWN = [
    "ALTER TABLE booking_reservation DROP CONSTRAINT IF EXISTS reservation_consultant_no_overlap",
    "ALTER TABLE booking_reservation DROP CONSTRAINT IF EXISTS reservation_seeker_no_overlap",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
