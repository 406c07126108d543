"""What every app's forms share: errors from a service, and a select fit for long lists."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


def errors_into(form, error: ValidationError) -> None:
    """A service's error next to the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class LongSelect(forms.Select):
    """A select of hundreds or thousands of options (a province's departments, five years
    of plans), written in one pass. Django draws each option through its own template:
    with 2 000 departments and as many plans, the filter form took 0.7 s of the dashboard.
    The HTML is the same: the chosen option is marked `selected`, groups are optgroups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}

        def options(choices):
            return format_html_join(
                "",
                "{}",
                (
                    (
                        format_html('<optgroup label="{}">{}</optgroup>', value, options(label))
                        if isinstance(label, list | tuple)
                        else format_html(
                            '<option value="{}"{}>{}</option>',
                            value,
                            " selected" if str(value) in chosen else "",
                            label,
                        ),
                    )
                    for value, label in choices
                ),
            )

        final = {"name": name} | self.build_attrs(self.attrs, attrs)
        return format_html("<select{}>{}</select>", flatatt(final), options(self.choices))
