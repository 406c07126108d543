"""SQL the ORM does not spell the same way on SQLite and PostgreSQL."""

from django.db.models import DateField, Func, IntegerField
from django.utils import timezone


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


class LocalDate(Func):
    """The local calendar date of a stored (UTC) datetime.

    PostgreSQL converts with the zone's rules. On SQLite, Django's conversion is a Python
    function called once a row, which costs seconds over 100 000 reports; SQLite's own
    date() with the zone's current offset does the same for a zone without summer time,
    such as Asia/Shanghai."""

    output_field = DateField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return connection.ops.datetime_cast_date_sql(sql, tuple(params), timezone.get_current_timezone_name())

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
        return f"date({sql}, '{minutes:+d} minutes')", params
