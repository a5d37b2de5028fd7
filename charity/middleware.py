from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the visitor chose English with the language switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, so staff on an English
    system would get an English back office by accident. Here only an explicit choice (the
    cookie set by django.views.i18n.set_language) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class AuditActorMiddleware:
    """Entries the audit trail writes during a request are signed by the request's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import acting_as

        # The request, not request.user: the user is looked up only if something is recorded.
        with acting_as(request):
            return self.get_response(request)
