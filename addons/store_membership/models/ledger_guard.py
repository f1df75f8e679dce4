"""The one door through which the server writes what users may not: balances of chain cards
and the ledger, the settlement and promotion-check fields of orders, promotion states and budgets.

``posting()`` is entered only by private methods (never reachable over RPC). A context key would
not do: a browser can send any context, while this context variable lives in the server thread only.
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
