"""The ways a message leaves the portal besides the inbox: e-mail and a group robot's
webhook. Each sender takes a rendered message and either delivers it or raises
ChannelError saying why; retrying is the caller's business."""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

SITE_NAME = "改革任务督查督办平台"


class ChannelError(Exception):
    """A message could not be delivered; the text says why, for the record."""


@dataclass
class Item:
    title: str
    url: str = ""
    body: str = ""
    time: str = ""


@dataclass
class Message:
    """What one delivery says: a subject and one item, or a day's items for a digest."""

    key: str  # unique per delivery: receivers may use it to drop a repeat
    subject: str
    items: list[Item] = field(default_factory=list)
    digest: bool = False

    def text(self) -> str:
        return render_to_string("email/message.txt", {"message": self, "site": SITE_NAME}).strip() + "\n"

    def html(self) -> str:
        return render_to_string("email/message.html", {"message": self, "site": SITE_NAME})


def absolute(url: str) -> str:
    return settings.PORTAL["BASE_URL"].rstrip("/") + url if url.startswith("/") else url


def send_email(message: Message, address: str) -> None:
    if not address:
        raise ChannelError("账户未填写电子邮箱。")
    email = EmailMultiAlternatives(
        subject=f"【{SITE_NAME}】{message.subject}",
        body=message.text(),
        to=[address],
        # The same id on a repeat, so a mail client shows a resent message once.
        headers={"Message-ID": f"<{message.key}@{urllib.parse.urlsplit(absolute('/')).hostname or 'localhost'}>"},
    )
    email.attach_alternative(message.html(), "text/html")
    try:
        email.send()
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise ChannelError(f"邮件发送失败：{error}") from error


def webhook_body(message: Message) -> bytes:
    """The text message that both WeCom and DingTalk group robots accept."""
    return json.dumps(
        {"msgtype": "text", "text": {"content": message.text()}, "portal": {"key": message.key}},
        ensure_ascii=False,
    ).encode("utf-8")


def sign(secret: str, timestamp: str) -> str:
    """DingTalk's 加签: base64 of HMAC-SHA256 over "timestamp\\nsecret", keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, timestamp: str) -> str:
    if not secret:
        return url
    query = urllib.parse.urlencode({"timestamp": timestamp, "sign": sign(secret, timestamp)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


# Where a webhook may go. Anyone can type a robot's address, and the worker posts from
# inside the office network: without these checks it would post to the database's port,
# to 169.254.169.254 or to any intranet service, and tell the user what answered.
# https only; http, loopback, private, link-local and reserved addresses only for a host
# or network the office lists in PORTAL["WEBHOOK_ALLOWED_HOSTS"].
class AddressRefused(OSError):
    """The robot's name resolves to an address the portal does not post to."""


def _listed(host: str, address=None) -> bool:
    host = host.strip("[]").lower()
    for entry in settings.PORTAL.get("WEBHOOK_ALLOWED_HOSTS", ()):
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            if entry.lower() == host:
                return True
            continue
        if address is not None and address in network:
            return True
        try:
            if ipaddress.ip_address(host) in network:
                return True
        except ValueError:
            pass
    return False


def _public(address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_global and not address.is_multicast


def webhook_url_problem(url: str) -> str | None:
    """Why the portal will not post to this address, in Chinese; None if it may (names are
    resolved and checked again at each send, where they may have changed)."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return "Webhook 地址的端口无效。"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return "Webhook 地址须以 https:// 开头。"
    if parts.username or parts.password:
        return "Webhook 地址不能包含用户名或密码。"
    if parts.scheme == "http" and not _listed(host):
        return "Webhook 地址须使用 https（http 仅限系统设置中列出的内网地址）。"
    if port == 0:
        return "Webhook 地址的端口无效。"
    if _listed(host):
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "Webhook 地址不能指向本机或内部网络。"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return None if _public(address) else "Webhook 地址不能指向本机或内部网络。"


def validate_webhook_url(url: str) -> None:
    problem = webhook_url_problem(url)
    if problem:
        raise ValidationError(problem, code="webhook_url")


def _checked_connection(host_listed: bool):
    """socket.create_connection for http.client that resolves the name once and connects
    only to addresses the portal may post to: the address checked is the one connected to."""

    def connect(address, timeout=None, source_address=None, **_):
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_, sockaddr in infos:
            resolved = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if not (host_listed or _listed(host, resolved) or _public(resolved)):
                raise AddressRefused(f"{host} 解析为 {resolved}")
        error = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as failure:
                error = failure
                sock.close()
        raise error or OSError("无可用地址")

    return connect


def send_webhook(message: Message, url: str, secret: str) -> None:
    """Post to the robot. The reason of a failure is kept for the record (the admin);
    people are shown only that it failed."""
    if not url:
        raise ChannelError("未填写 Webhook 地址。")
    problem = webhook_url_problem(url)
    if problem:
        raise ChannelError(problem)
    timestamp = str(int(time.time() * 1000))
    body = webhook_body(message)
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Portal-Delivery": message.key}
    if secret:
        headers["X-Portal-Timestamp"] = timestamp
        headers["X-Portal-Signature"] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    parts = urllib.parse.urlsplit(signed_url(url, secret, timestamp))
    timeout = settings.PORTAL["WEBHOOK_TIMEOUT"]
    # http.client, not urllib: no proxy from the environment, and no redirect is followed.
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    connection._create_connection = _checked_connection(_listed(parts.hostname))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(10_000)
    except AddressRefused as error:
        raise ChannelError(f"Webhook 地址指向本机或内部网络，已拒绝发送（{error}）。") from error
    except (OSError, http.client.HTTPException) as error:
        raise ChannelError(f"Webhook 无法连接：{error}") from error
    finally:
        connection.close()
    if 300 <= response.status < 400:
        raise ChannelError(f"Webhook 返回重定向 HTTP {response.status}，未跟随。")
    if response.status >= 400:
        raise ChannelError(f"Webhook 返回 HTTP {response.status}")
    # The robots answer 200 with an error code in the body when they refuse a message.
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise ChannelError(f"Webhook 拒收：errcode {code}")
