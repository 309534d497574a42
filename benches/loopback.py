"""A loopback HTTP/1.1 server for the bench scripts: one thread per connection, Connection:
close, the request's path handed to `respond(conn, path)`, which writes the whole answer."""
import socket, threading


class LoopbackServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def respond(self, conn, path):
        raise NotImplementedError

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            req = b""
            while b"\r\n\r\n" not in req:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                req += chunk
            self.respond(conn, req.split(b" ")[1].decode())
        except OSError:
            pass
        finally:
            conn.close()


def answer(conn, content_type, payload):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % (content_type, len(payload)) + payload)


def not_found(conn):
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
