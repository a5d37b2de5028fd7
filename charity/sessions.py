"""Staff sessions end after a working day without a request (SESSION_COOKIE_AGE), and the end
moves with use.

Django moves a session's end only when it saves the session; SESSION_SAVE_EVERY_REQUEST would save
it on every request of the back office (each change-list click, autocomplete and script
translation), one write each. Here a session is saved again only when its last save is older
than SESSION_REFRESH_SECONDS, so the idle timeout is exact to within that much, at one write per
few minutes of work. Public visitors have no session and are not touched.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

REFRESHED_KEY = "session_refreshed_at"


def mark_fresh(session):
    session[REFRESHED_KEY] = int(time.time())


def mark_fresh_on_login(sender, request, user, **kwargs):
    """user_logged_in: the login saves the session anyway; the next saves are due from now."""
    mark_fresh(request.session)


class SlidingSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response  # no session to keep alive: the public, or a login just made
        session = request.session
        if SESSION_KEY in session:  # still signed in after this request
            last = session.get(REFRESHED_KEY, 0)
            if time.time() - last >= settings.SESSION_REFRESH_SECONDS:
                mark_fresh(session)  # modified: SessionMiddleware saves it with a new end
        return response
