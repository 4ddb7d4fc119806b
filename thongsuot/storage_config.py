"""Where uploaded files live, from the environment: local disk by default, S3-compatible object storage
(AWS S3, MinIO, Ceph, a Vietnamese cloud's S3 service) when STORAGE_URL says s3://bucket[/prefix].

    STORAGE_URL=s3://thongsuot-files/production
    AWS_S3_ENDPOINT_URL=https://s3.example.vn     # omit for AWS itself
    AWS_ACCESS_KEY_ID=…  AWS_SECRET_ACCESS_KEY=…   # omit both to use the machine's role
    AWS_S3_REGION_NAME=ap-southeast-1              # optional
    AWS_S3_ADDRESSING_STYLE=path                   # "path" (MinIO's default) or "virtual"

Files are always private in the bucket (no ACL granting reads, no public URL is ever handed out): the
platform reads them through the storage API and serves them after its access check.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from thongsuot.env import env_choice, env_str


def default_storage_from_env() -> dict:
    """The STORAGES["default"] entry the environment describes; raises ImproperlyConfigured naming the
    variable that is wrong."""
    url = env_str("STORAGE_URL", "").strip()
    if not url or url in ("file:", "file://"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # MEDIA_ROOT
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(f"STORAGE_URL={url!r} must be empty (local disk) or s3://bucket[/prefix]")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured("STORAGE_URL takes no user, password or query: use the AWS_* variables")
    endpoint = env_str("AWS_S3_ENDPOINT_URL", "").strip() or None
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"AWS_S3_ENDPOINT_URL={endpoint!r} must be an http(s) URL")
    access_key = env_str("AWS_ACCESS_KEY_ID", "") or None
    secret_key = env_str("AWS_SECRET_ACCESS_KEY", "") or None
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "location": parts.path.strip("/"),
            "endpoint_url": endpoint,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "addressing_style": env_choice("AWS_S3_ADDRESSING_STYLE", "path", ("path", "virtual")),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own (private); never public-read
            "querystring_auth": True,  # should a URL ever be made, it is signed and expires
            "file_overwrite": False,
        },
    }


def janus_servers_from_env(secret_key: str) -> list[dict]:
    """The Janus media servers of the conferences system (see settings.JANUS_SERVERS)."""
    import hashlib
    import hmac
    import json
    import os

    from django.core.exceptions import ImproperlyConfigured

    def derived(purpose: str) -> str:
        return hmac.new(secret_key.encode(), f"janus:{purpose}".encode(), hashlib.sha256).hexdigest()[:32]

    raw = os.environ.get("JANUS_SERVERS", "").strip()
    if raw:
        try:
            servers = json.loads(raw)
            assert isinstance(servers, list) and servers and all(isinstance(s, dict) for s in servers)
        except (ValueError, AssertionError) as exc:
            raise ImproperlyConfigured("JANUS_SERVERS must be a JSON list of objects") from exc
    else:
        servers = [
            {
                "name": "janus-1",
                "url": os.environ.get("JANUS_URL", "http://127.0.0.1:8088/janus"),
                "admin_url": os.environ.get("JANUS_ADMIN_URL", "http://127.0.0.1:7088/admin"),
                "api_secret": os.environ.get("JANUS_API_SECRET", derived("api")),
                "admin_secret": os.environ.get("JANUS_ADMIN_SECRET", derived("admin")),
                "room_key": os.environ.get("JANUS_ROOM_KEY", derived("room")),
                "capacity": int(os.environ.get("JANUS_CAPACITY", "200")),
            }
        ]
    for server in servers:
        for key in ("name", "url", "api_secret", "admin_secret", "room_key"):
            if not server.get(key):
                raise ImproperlyConfigured(f"JANUS_SERVERS: every server needs {key!r}")
        if server["admin_secret"] == "janusoverlord":
            raise ImproperlyConfigured("JANUS_SERVERS: Janus' shipped admin secret must be changed")
        server.setdefault("admin_url", "")
        # Janus' HTTP event handler signs in with the server's name and this secret (conferences' roll-call).
        server.setdefault("events_secret", derived(f"events:{server['name']}"))
        server["capacity"] = int(server.get("capacity", 200))
    return servers
