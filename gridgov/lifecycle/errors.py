"""The two refusals of a move. Both carry a message for users; nothing has changed."""


class IllegalMove(Exception):
    """The state or a rule of the trade does not allow this move now (HTTP 409 / 400)."""


class NotAllowed(Exception):
    """The user may see the object but holds no role that may take this action (HTTP 403)."""
