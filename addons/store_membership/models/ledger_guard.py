"""The one door through which balances of chain cards change.

``posting()`` is entered only by the ledger methods of ``loyalty.card`` (private methods, never
reachable over RPC). A context key would not do: a browser can send any context, while this
context variable lives in the server thread only.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_POSTING = ContextVar("store_membership_posting", default=False)


@contextmanager
def posting():
    token = _POSTING.set(True)
    try:
        yield
    finally:
        _POSTING.reset(token)


def is_posting():
    return _POSTING.get()
