"""A scripted TCP server on a real loopback socket: each test says, byte by byte, how the
"bind service" misbehaves, and reads back what it managed to do to the client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Visit:
    """One connection as the server saw it."""

    request: bytes = b""
    sent: int = 0  # bytes the server got out before the client went away
    client_left: bool = False  # the client closed or cut the connection mid-script


@dataclass
class Scripted:
    url: str
    visits: list[Visit] = field(default_factory=list)


Script = Callable[[socket.socket, Visit], None]


def read_request(conn: socket.socket) -> bytes:
    """Headers and the Content-Length body of one request (enough for these tests)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def send(conn: socket.socket, visit: Visit, data: bytes) -> bool:
    """Send, counting; False once the client is gone."""
    try:
        conn.sendall(data)
    except OSError:
        visit.client_left = True
        return False
    visit.sent += len(data)
    return True


def drip(conn: socket.socket, visit: Visit, data: bytes, every_s: float) -> None:
    for i in range(len(data)):
        if not send(conn, visit, data[i : i + 1]):
            return
        time.sleep(every_s)


@contextmanager
def scripted_server(script: Script) -> Iterator[Scripted]:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    served = Scripted(f"http://127.0.0.1:{port}")
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        visit = Visit()
        served.visits.append(visit)
        with conn:
            try:
                visit.request = read_request(conn)
                script(conn, visit)
            except OSError:
                visit.client_left = True

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        stop.set()
        thread.join()
        listener.close()
