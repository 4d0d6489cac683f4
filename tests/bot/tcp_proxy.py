"""A loopback TCP proxy a test controls: pass traffic, hang it, or cut it (the service looks down).

Fault tests put one in front of a shared service (the machine's PostgreSQL and Redis, or our action
server) instead of stopping the service itself, which other tests use at the same time.
"""

from __future__ import annotations

import select
import socket
import threading
from contextlib import suppress


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `hang()`, `cut()` and `restore()` change what it does.

    - pass (the start): bytes flow both ways.
    - hang: connections stay open but nothing is forwarded (a service that stopped answering).
    - cut: open connections are closed and new ones are refused (a service that is down).
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name=f"proxy-{self.port}", daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            readable, _, _ = select.select([self._listener], [], [], 0.1)
            if not readable:
                continue
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            if self.mode == "cut":
                self._close(client)  # refused: closed before a byte is exchanged
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                self._close(client)
                continue
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        """Copy bytes both ways until either side closes or the proxy cuts the connection."""
        pairs = {client: upstream, upstream: client}
        try:
            while not self._stopped.is_set():
                readable, _, _ = select.select(list(pairs), [], [], 0.1)
                if self.mode == "hang":
                    continue  # hold everything: the other side waits for an answer that never comes
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    pairs[source].sendall(data)
        except (OSError, ValueError):  # closed by cut() or by either side
            return
        finally:
            self._close(client)
            self._close(upstream)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with suppress(OSError):
            sock.close()

    def _close_all(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for sock in connections:
            self._close(sock)

    def hang(self) -> None:
        """Stop forwarding (connections stay open)."""
        self.mode = "hang"

    def cut(self) -> None:
        """Close every connection and refuse new ones."""
        self.mode = "cut"
        self._close_all()

    def restore(self) -> None:
        """Forward again; connections held by hang() are closed so that clients reconnect."""
        if self.mode == "hang":
            self._close_all()
        self.mode = "pass"

    def close(self) -> None:
        """Stop the proxy and close everything."""
        self._stopped.set()
        self._close_all()
        self._close(self._listener)
        self._thread.join(timeout=5)
