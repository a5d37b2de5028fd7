"""The one base class of refusals whose message is for the person who asked.

A service refuses a change by raising a subclass (ReviewError, BatchStateError, SnapshotError,
SummaryError, ...) with a clear Chinese `message`; the view shows `error.message` (a message or a
form error), a command raises CommandError with it. A view or command may catch UserError itself
to handle every such refusal alike.
"""


class UserError(Exception):
    """A refusal; `message` (Chinese) says why, for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)
