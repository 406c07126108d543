"""Every write to the office's registers goes through these functions."""

from .numbering import code_check, code_next
from .proposals import answer_countersign, answer_draft, answer_send, satisfaction_record
from .registers import ItemInput, instruction_register, meeting_items_add, meeting_register, proposal_register
from .rules import source_rule_save

__all__ = [
    "ItemInput",
    "answer_countersign",
    "answer_draft",
    "answer_send",
    "code_check",
    "code_next",
    "instruction_register",
    "meeting_items_add",
    "meeting_register",
    "proposal_register",
    "satisfaction_record",
    "source_rule_save",
]
