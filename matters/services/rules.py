from django.db import transaction

from departments.permissions import is_office
from tasks import rules

from ..models import SourceRule


@transaction.atomic
def source_rule_save(*, by, rule: SourceRule) -> SourceRule:
    """The office sets a source's default deadlines, reporting cycle and 回访."""
    rules.require(is_office(by), "只有政府办可以设置来源规则。")
    rule.full_clean()
    rule.save()
    return rule
