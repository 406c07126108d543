from .bulletins import Bulletin, BulletinDepartment, BulletinReceipt, BulletinSequence, Notice, RenderJob
from .inspections import DemandAttachment, Finding, FindingEvidence, Inspection, RectificationDemand

__all__ = [
    "Bulletin",
    "BulletinDepartment",
    "BulletinReceipt",
    "BulletinSequence",
    "DemandAttachment",
    "Finding",
    "FindingEvidence",
    "Inspection",
    "Notice",
    "RectificationDemand",
    "RenderJob",
]
