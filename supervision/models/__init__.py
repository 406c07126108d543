from .bulletins import Bulletin, BulletinDepartment, BulletinSequence, Notice, RenderJob
from .inspections import Finding, FindingEvidence, Inspection, RectificationDemand

__all__ = [
    "Bulletin",
    "BulletinDepartment",
    "BulletinSequence",
    "Finding",
    "FindingEvidence",
    "Inspection",
    "Notice",
    "RectificationDemand",
    "RenderJob",
]
