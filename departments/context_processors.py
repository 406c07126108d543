from tasks.querysets import membership_of


def membership(request):
    """The signed-in user's department, role and unread notifications, for the page header."""
    if not request.user.is_authenticated:
        return {"membership": None}
    from tasks.selectors import unread_count

    return {"membership": membership_of(request.user), "unread": unread_count(user=request.user)}
