class AuditActorMiddleware:
    """Entries the audit trail writes during a request are signed by the request's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import acting_as

        # The request, not request.user: the user is looked up only if something is recorded.
        with acting_as(request):
            return self.get_response(request)
