from .bulletins import (
    Bulletin,
    BulletinDepartment,
    BulletinReceipt,
    Notice,
    NoticeAttachment,
    NumberSequence,
    RenderJob,
)
from .inspections import DemandAttachment, Finding, FindingEvidence, Inspection, RectificationDemand

__all__ = [
    "Bulletin",
    "BulletinDepartment",
    "BulletinReceipt",
    "DemandAttachment",
    "Finding",
    "FindingEvidence",
    "Inspection",
    "Notice",
    "NoticeAttachment",
    "NumberSequence",
    "RectificationDemand",
    "RenderJob",
]
