"""What ends a session (or a password) also ends its open sockets.

Sockets are checked again before every push (``samenspraak.sockets``); these
hooks make them close at once instead of at the next push:
- sign-out (Django's ``user_logged_out``) closes that session's sockets;
- "sign out everywhere" and ending one session in the session list (the
  usersessions adapter) close those sessions' sockets;
- a new or reset password makes every socket of the person check again: the
  sessions made with the old password no longer pass, the current one does.
"""

from __future__ import annotations

from typing import Any

from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from samenspraak.sockets import session_sockets_close, user_sockets_recheck


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Any) -> None:
        sessions = list(sessions)
        for session in sessions:
            session_sockets_close(session.session_key)
        super().end_sessions(sessions)


def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    session_sockets_close(getattr(session, "session_key", None))


def on_password_changed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        user_sockets_recheck(user)


def connect_session_hooks() -> None:
    from allauth.account.signals import password_changed, password_reset, password_set
    from django.contrib.auth.signals import user_logged_out

    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.sockets.logged_out")
    for name, signal in (("changed", password_changed), ("reset", password_reset), ("set", password_set)):
        signal.connect(on_password_changed, dispatch_uid=f"accounts.sockets.password_{name}")
