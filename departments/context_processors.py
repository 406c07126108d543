from tasks.querysets import membership_of


def membership(request):
    """The signed-in user's department and role, for the page header."""
    return {"membership": membership_of(request.user)}
