"""Where the chat listens and who may use it, checked before the slow start: a busy port was
reported after Gradio and the model had loaded, 6 s in."""

from __future__ import annotations

import errno
import socket

from .errors import InputError


def check_can_listen(host: str, port: int) -> None:
    """InputError saying what is wrong if the chat could not listen there: Gradio's own
    message names its settings, not ours, and uvicorn prints its error on a line of its own."""
    if not 0 < port < 65536:
        raise InputError(f"port {port} is not a port number: pick one from 1 to 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise InputError(
            f"cannot listen on {host}: no such host name or address; pass --host 127.0.0.1 (this computer "
            "only) or --host 0.0.0.0 (every network it is on)"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(
                    f"cannot listen on {host}:{port}: another program (another qa chat?) is using that "
                    "port; pass --port with another number, or stop that program"
                ) from None
            reason = exc.strerror or str(exc)
            raise InputError(f"cannot listen on {host}:{port} ({reason}); pass another --host or --port") from None


def parse_auth(value: str) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError("auth must look like user:password (both parts non-empty)")
    return user, password
