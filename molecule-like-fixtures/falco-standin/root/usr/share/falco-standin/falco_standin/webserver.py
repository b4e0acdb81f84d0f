"""Falco's embedded webserver: the health endpoint and /versions."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import versions


class _Handler(BaseHTTPRequestHandler):
    server_version = "falco"
    sys_version = ""

    def do_GET(self):  # noqa: N802 (http.server naming)
        path = self.path.split("?", 1)[0]
        if path == self.server.healthz:
            self._send(200, {"status": "ok"})
        elif path == "/versions":
            self._send(200, versions.versions_json())
        else:
            self._send(404, {"error": "not found"})

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args):
        pass


class WebServer:
    def __init__(self, address, port, healthz):
        ThreadingHTTPServer.allow_reuse_address = True
        self.httpd = ThreadingHTTPServer((address, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.healthz = healthz
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
