from .selectors import unread_count


def unread(request):
    """The signed-in user's unread notifications, for the page header."""
    if not request.user.is_authenticated:
        return {}
    return {"unread": unread_count(user=request.user)}
