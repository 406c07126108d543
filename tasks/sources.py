"""What a task's source adds to its detail in the API. The app that keeps a source's
register (matters/) registers a function at start-up, so tasks never imports it."""

from collections.abc import Callable

FACTS: dict[str, Callable] = {}


def register(source: str, facts: Callable) -> None:
    FACTS[source] = facts


def facts_of(task) -> dict | None:
    facts = FACTS.get(task.plan.source)
    return facts(task) if facts else None
