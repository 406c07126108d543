"""A real HTTP server on the loopback standing in for a WeCom/DingTalk group robot: it
records what it receives and answers as it is told (fail, refuse, be slow)."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Robot:
    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []  # answers to give, in order; then 200
        self.errcode = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(robot.delay)
                with robot.lock:
                    status = robot.statuses.pop(0) if robot.statuses else 200
                    robot.received.append(
                        {
                            "path": self.path,
                            "query": dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)),
                            "headers": dict(self.headers),
                            "body": body,
                            "json": json.loads(body),
                            "status": status,
                        }
                    )
                answer = json.dumps({"errcode": robot.errcode if status == 200 else 1, "errmsg": "ok"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except BrokenPipeError:
                    pass  # the sender died waiting (a killed worker): what it sent is recorded

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=t0k"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def delivered(self) -> list[dict]:
        with self.lock:
            return [r for r in self.received if r["status"] == 200 and not self.errcode]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
