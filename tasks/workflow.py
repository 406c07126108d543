"""The task status machine: which moves are allowed. Plain Python."""

from .choices import TaskStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.ASSIGNED, S.CANCELLED}),
    S.ASSIGNED: frozenset({S.ACKNOWLEDGED, S.DRAFT, S.SUSPENDED, S.CANCELLED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.COMPLETION_REQUESTED, S.SUSPENDED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETION_REQUESTED, S.SUSPENDED, S.CANCELLED}),
    S.COMPLETION_REQUESTED: frozenset({S.COMPLETED, S.IN_PROGRESS, S.SUSPENDED, S.CANCELLED}),
    # Reopening a closed task is a decision the office takes with a reason.
    S.COMPLETED: frozenset({S.IN_PROGRESS}),
    S.SUSPENDED: frozenset({S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.CANCELLED}),
    S.CANCELLED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
