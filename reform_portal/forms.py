"""What every app's pages share when a service refuses a form."""

from django.core.exceptions import ValidationError


def errors_into(form, error: ValidationError) -> None:
    """A service's error next to the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
