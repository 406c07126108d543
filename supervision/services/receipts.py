"""An issued bulletin delivered and signed for: each unit it names or covers gets it once,
in its inbox and channels; a member of the unit records its 阅知; the office reminds (催阅)
the units that have not read it, at most once a day each."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from departments.models import Department
from departments.permissions import department_id_of
from notifications.choices import NotificationKind
from tasks.choices import AssignmentRole
from tasks.models import Assignment

from .. import rules
from ..choices import BulletinStatus
from ..models import Bulletin, BulletinReceipt
from .notify import tell


def recipients(bulletin: Bulletin) -> list[int]:
    """The units named in the bulletin and the supervised units leading its inspected tasks."""
    named = set(bulletin.verdicts.values_list("department_id", flat=True))
    leads = Assignment.objects.filter(
        task__findings__inspection_id=bulletin.inspection_id, role=AssignmentRole.LEAD
    ).values_list("department_id", flat=True)
    supervised = set(Department.objects.supervised().filter(pk__in=leads).values_list("pk", flat=True))
    return sorted(named | supervised)


def receipts_send(bulletin: Bulletin) -> int:
    """Send the issued bulletin to every recipient unit not yet sent it; called in the
    transaction that issues it, so a unit is told once and only if the issue holds."""
    already = set(bulletin.receipts.values_list("department_id", flat=True))
    new = [pk for pk in recipients(bulletin) if pk not in already]
    now = timezone.now()
    BulletinReceipt.objects.bulk_create(BulletinReceipt(bulletin=bulletin, department_id=pk, sent_at=now) for pk in new)
    if new:
        tell(
            channels=True,
            department_ids=new,
            kind=NotificationKind.REQUEST,
            title=f"督查通报：{bulletin.number} {bulletin.title}",
            body="请阅读通报并在通报页面点击“阅知”。",
            url=bulletin.get_absolute_url(),
        )
    return len(new)


def receipt_for(bulletin: Bulletin, user) -> BulletinReceipt | None:
    """The receipt a department member may sign for this bulletin, if the unit received it."""
    if not rules.is_department_member(user) or bulletin.status not in (
        BulletinStatus.ISSUED,
        BulletinStatus.SUPERSEDED,
    ):
        return None
    receipts = BulletinReceipt.objects.select_related("read_by__membership")  # the reader is named by 姓名
    return receipts.filter(bulletin=bulletin, department_id=department_id_of(user)).first()


@transaction.atomic
def bulletin_read(*, bulletin: Bulletin, by) -> BulletinReceipt:
    """Record the unit's 阅知. The first member to sign stands; a second press changes nothing."""
    receipt = receipt_for(bulletin, by)
    if receipt is None:
        raise PermissionDenied("本单位未收到这份通报，无需阅知。")
    receipt = BulletinReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.read_at is None:
        receipt.read_by, receipt.read_at = by, timezone.now()
        receipt.save(update_fields=["read_by", "read_at"])
    return receipt


@transaction.atomic
def bulletin_remind(*, bulletin: Bulletin, by, today: date | None = None) -> int:
    """催阅: remind the units that have not read the bulletin, each at most once a day.
    Returns how many units were reminded."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以催阅。")
    today = today or timezone.localdate()
    unread = BulletinReceipt.objects.select_for_update().filter(bulletin=bulletin, read_at__isnull=True)
    if not unread.exists():
        raise ValidationError("各单位均已阅知，无需催阅。")
    due = list(unread.exclude(reminded_on=today).values_list("pk", "department_id"))
    if not due:
        raise ValidationError("今天已催阅过，每个单位每天最多催阅一次，请明天再催。")
    BulletinReceipt.objects.filter(pk__in=[pk for pk, _ in due]).update(reminded_on=today, reminders=F("reminders") + 1)
    tell(
        channels=True,
        department_ids=[department_id for _, department_id in due],
        kind=NotificationKind.URGE,
        title=f"催阅：{bulletin.number} {bulletin.title}",
        body="本单位尚未阅知这份督查通报，请阅读后点击“阅知”。",
        url=bulletin.get_absolute_url(),
    )
    return len(due)
