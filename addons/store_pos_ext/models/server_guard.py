"""The one door through which the server writes what users may not: the pricing, settlement and
promotion-check fields of orders (``pos.order._store_server_fields``, each addon declares its
own), balances of chain cards and their ledger, promotion states and budgets.

``server_write()`` is entered only by private methods (never reachable over RPC). A context key
would not do: a browser can send any context, while this context variable lives in the server
thread only.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_SERVER_WRITE = ContextVar("store_server_write", default=False)


@contextmanager
def server_write():
    token = _SERVER_WRITE.set(True)
    try:
        yield
    finally:
        _SERVER_WRITE.reset(token)


def is_server_write():
    return _SERVER_WRITE.get()
