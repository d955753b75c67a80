"""Who may administer the catalog (管理员校验) — a stop-gap until roles exist.

There is no authentication yet; the roles issue adds it. Until then administrator mutations
(updateSynonyms) call `is_local_administrator`, which lets through only requests whose TCP peer
is 127.0.0.1, i.e. someone on the server itself. This is NOT authentication: behind a reverse
proxy on the same machine every request arrives from 127.0.0.1, so do not put the service
behind one while this check is the only gate. Replace the check, not its callers, when roles land.
"""

from __future__ import annotations

from resolvers.context import Info

# The only peer address treated as an administrator for now (IPv4 loopback).
LOCAL_ADMIN_HOSTS = frozenset({"127.0.0.1"})


def is_local_administrator(info: Info) -> bool:
    """Whether the request comes from the server itself (127.0.0.1): the temporary admin check."""
    request = info.context.request
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return host in LOCAL_ADMIN_HOSTS
