"""SQL the ORM does not spell the same way on SQLite and PostgreSQL."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from `start` to `end` (negative when `end` is earlier)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date − date is an integer count of days.
        return super().as_sql(
            compiler, connection, template="(CAST(%(expressions)s AS date))", arg_joiner=" AS date) - CAST("
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )
