"""Loaded first by a test subprocess (PYTHONPATH=tests/offline): every non-loopback socket
connection raises, before any model is imported. Used by tests/test_themes_offline.py."""

import ipaddress
import socket

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _check(sock, address):
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise OSError(f"network access blocked: connect to {address!r}")


def _guarded(sock, address):
    _check(sock, address)
    return _connect(sock, address)


def _guarded_ex(sock, address):
    _check(sock, address)
    return _connect_ex(sock, address)


socket.socket.connect = _guarded
socket.socket.connect_ex = _guarded_ex
