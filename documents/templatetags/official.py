from django import template

from ..justify import justified

register = template.Library()
register.filter("justified", justified)
