"""The ways a message leaves the portal besides the inbox: e-mail and a group robot's
webhook. Each sender takes a rendered message and either delivers it or raises
ChannelError saying why; retrying is the caller's business."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
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


def send_webhook(message: Message, url: str, secret: str) -> None:
    if not url:
        raise ChannelError("未填写 Webhook 地址。")
    timestamp = str(int(time.time() * 1000))
    body = webhook_body(message)
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Portal-Delivery": message.key}
    if secret:
        headers["X-Portal-Timestamp"] = timestamp
        headers["X-Portal-Signature"] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(signed_url(url, secret, timestamp), data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.PORTAL["WEBHOOK_TIMEOUT"]) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as error:
        raise ChannelError(f"Webhook 返回 HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise ChannelError(f"Webhook 无法连接：{getattr(error, 'reason', error)}") from error
    # The robots answer 200 with an error code in the body when they refuse a message.
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise ChannelError(f"Webhook 拒收：errcode {code}")
