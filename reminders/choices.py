"""The reminder rules' kinds as a model field's choices. The values and their Chinese names
are the plain-Python schedule's (`schedule.Kind`), so the two cannot drift apart."""

from .schedule import Kind

RULE_KINDS = [(kind.value, kind.label) for kind in Kind]
