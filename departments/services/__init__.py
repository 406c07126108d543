"""Writes to the department registry and to the office's people."""

from .merging import department_merge, department_set_active
from .people import account_change, account_create, account_password_reset, account_set_active
from .registry import alias_add, department_upsert, member_set

__all__ = [
    "account_change",
    "account_create",
    "account_password_reset",
    "account_set_active",
    "alias_add",
    "department_merge",
    "department_set_active",
    "department_upsert",
    "member_set",
]
