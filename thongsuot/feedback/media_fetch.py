"""Downloading the photo or video an Open311 client names by `media_url`, safely.

The URL comes from the Internet, so the download is the server asking for it on someone else's behalf:
only http and https; the host's addresses are looked up once and must all be public (no loopback, private,
link-local or reserved address: the platform's own network is not reachable this way), and the connection
goes to the address that was checked, so a second lookup cannot point elsewhere; at most
FEEDBACK_MEDIA_REDIRECTS redirects, each checked the same way; FEEDBACK_MEDIA_TIMEOUT seconds per
connection and read; never more bytes than the largest allowed video. What comes back is checked by
content like any upload (uploads.check_files: decoded in depth, photos re-encoded), by the service that
attaches it.
"""

import http.client
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from thongsuot.feedback import uploads


class MediaRefused(Exception):
    """The URL cannot or may not be fetched, or what it gave is not acceptable; the message says why."""


@dataclass(frozen=True)
class Media:
    url: str  # the URL finally fetched (after redirects)
    name: str  # a file name for the attachment, from the URL's path
    content: bytes


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to, in the resolver's order, once every address the host has is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise MediaRefused(_("The host %(host)s cannot be found.") % {"host": host}) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise MediaRefused(_("The host %(host)s cannot be found.") % {"host": host})
    if not settings.FEEDBACK_MEDIA_PRIVATE_HOSTS and not all(_public(a) for a in addresses):
        raise MediaRefused(_("%(host)s is not a public Internet address.") % {"host": host})
    return list(dict.fromkeys(addresses))


def _connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that answers (IPv6 first, then IPv4, say)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the addresses that were checked, never to a second lookup of the host name."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS likewise; the certificate is verified for the host name (SNI), as by any browser."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses

    def connect(self):
        sock = _connect(self._addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _get(url: str, limit: int):
    """One GET of `url` to the checked address: (status, Location header, body or None when redirected)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaRefused(_("Only http and https addresses can be fetched."))
    if parts.username or parts.password:
        raise MediaRefused(_("Addresses with a user name or password are not fetched."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise MediaRefused(_("The address has an invalid port.")) from exc
    addresses = _addresses(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, addresses, settings.FEEDBACK_MEDIA_TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("GET", path, headers={"User-Agent": "ThongSuot-1022/1.0", "Accept": "image/*,video/mp4"})
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location") or "", None
        if response.status != 200:
            raise MediaRefused(_("The server answered %(status)d.") % {"status": response.status})
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise MediaRefused(_("The file is larger than %(mb)d MB.") % {"mb": limit // uploads.MB})
        body = response.read(limit + 1)
        if len(body) > limit:
            raise MediaRefused(_("The file is larger than %(mb)d MB.") % {"mb": limit // uploads.MB})
        return 200, "", body
    except (OSError, http.client.HTTPException) as exc:
        raise MediaRefused(_("The download failed: %(error)s") % {"error": exc.__class__.__name__}) from exc
    finally:
        connection.close()


def fetch(url: str) -> Media:
    """The file at `url` (following allowed redirects); raises MediaRefused saying why not."""
    limit = uploads.policy().max_bytes  # the largest file feedback's policy accepts
    current = url
    for _hop in range(settings.FEEDBACK_MEDIA_REDIRECTS + 1):
        status, location, body = _get(current, limit)
        if body is not None:
            name = os.path.basename(urlsplit(current).path)[:100] or "media"
            return Media(url=current, name=name, content=body)
        if not location:
            raise MediaRefused(_("The server redirected without saying where."))
        current = urljoin(current, location)
    raise MediaRefused(_("Too many redirects."))
