"""`{{ user|person }}`: a person's 姓名 (else their login), the one way templates name people."""

from django import template

from departments.models import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    return display_name(user)
