from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_BYTES before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; the import and photo forms check their own limits only once the file is
    there. This answers 413 from the declared length, so a huge body costs neither disk nor time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = filesizeformat(settings.MAX_REQUEST_BYTES)
            return HttpResponse(
                f"上传的内容过大：超过 {limit} 的上限，未处理。",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class AuditActorMiddleware:
    """Entries the audit trail writes during a request are signed by the request's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import acting_as

        # The request, not request.user: the user is looked up only if something is recorded.
        with acting_as(request):
            return self.get_response(request)
