"""Real processes for the fault tests: a scratch PostgreSQL database, gunicorn web
processes, a local S3 server, and a browser that speaks plain HTTP to them.

The web processes run with production settings (``DEBUG=0``) behind an imagined
TLS proxy: ``TRUSTED_PROXY_COUNT=1`` and every request says
``X-Forwarded-Proto: https``, as the README's nginx does. The browser keeps its
own cookies, ``Secure`` ones included, since nothing here speaks TLS.

Where the services are: ``FAULTS_POSTGRES_URL`` (a server on which databases can
be created and dropped, default ``postgres://postgres@127.0.0.1:5432``) and
``FAULTS_REDIS_URL`` (a Redis database of these tests alone, flushed by them,
default ``redis://127.0.0.1:6379/12``).
"""

from __future__ import annotations

import atexit
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import redis
from psycopg import sql

from sportello.demo.catalogue import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("FAULTS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/12")
START_DEADLINE = 60.0
SECRET_KEY = "faults-only-secret-key-" + "f" * 40

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], what: str, deadline: float = START_DEADLINE) -> Any:
    """Poll ``condition`` until it returns something true, or fail after ``deadline`` s."""
    started = time.monotonic()
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() - started > deadline:
            raise AssertionError(f"{what}: not within {deadline:.0f} s")
        time.sleep(0.05)


# -- PostgreSQL and Redis ------------------------------------------------------------


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True)


def create_database(name: str, template: str = "") -> str:
    """A database ``name``, empty or a copy of ``template`` (dropped first if a
    previous run left it); its URL."""
    drop_database(name)
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _admin() as connection:
        connection.execute(statement)
    return f"{POSTGRES_URL}/{name}"


def drop_database(name: str) -> None:
    with _admin() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_exists(name: str) -> bool:
    with _admin() as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def query(database_url: str, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url) as connection:
        return connection.execute(statement, params).fetchall()  # type: ignore[arg-type]


def redis_client() -> redis.Redis:
    """The tests' own Redis database (the one the web processes' cache uses)."""
    return redis.Redis.from_url(REDIS_URL)


def flush_redis() -> None:
    """Empty the tests' own Redis database (never the others)."""
    redis_client().flushdb()


# -- the site and its processes -------------------------------------------------------


#: collectstatic with the manifest production reads, without WhiteNoise's
#: compression (minutes on this machine; the processes serve uncompressed files).
_COLLECT = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def _collect_static() -> Path:
    var_dir = Path(tempfile.mkdtemp(prefix="sportello-faults-static-"))
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    environment = {**os.environ, **_production_env(), "SPORTELLO_VAR_DIR": str(var_dir)}
    subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", _COLLECT], env=environment, check=True, timeout=300
    )
    return var_dir


@cache
def _static_job() -> Future[Path]:
    # Started as soon as anything needs it, it runs beside the demo's build.
    return ThreadPoolExecutor(max_workers=1).submit(_collect_static)


def collected_static() -> Path:
    """Static files collected once per run: production's manifest storage needs them."""
    return _static_job().result(timeout=300)


def _production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SPORTELLO_DEMO": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": ".localhost,localhost",
        "PLATFORM_HOSTS": "",
        "TRUSTED_PROXY_COUNT": "1",
        "CELERY_BROKER_URL": "",
        # Codes are read from the outbox table; nothing leaves the machine.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
    }


@dataclass
class Site:
    """One installation: its database, Redis, private files and settings, as environment."""

    database: str
    files: Path
    settings: dict[str, str] = field(default_factory=dict)
    #: ``SPORTELLO_VAR_DIR``; by default the one with the collected static files.
    var_dir: Path | None = None

    @property
    def database_url(self) -> str:
        return f"{POSTGRES_URL}/{self.database}"

    def environment(self, **overrides: str) -> dict[str, str]:
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("PYTEST_", "DJANGO_", "AWS_", "PRIVATE_FILES_"))
        }
        return {
            **inherited,
            **_production_env(),
            "SPORTELLO_VAR_DIR": str(self.var_dir or collected_static()),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "PRIVATE_FILES_ROOT": str(self.files),
            **self.settings,
            **overrides,
        }

    def manage(self, *arguments: str, timeout: float = 300) -> str:
        done = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"manage.py {' '.join(arguments)}:\n{done.stderr}"
        return done.stdout

    def build_demo(self) -> None:
        """The demo companies, customers and their files: a copy of ``demo_template()``."""
        template = demo_template()
        create_database(self.database, template=template.database)
        shutil.copytree(template.files, self.files, dirs_exist_ok=True)

    def newest_code(self, since_id: int) -> str:
        """The one-time code of the newest e-mail after outbox row ``since_id``."""

        def code() -> str | None:
            rows = query(
                self.database_url,
                "SELECT body_text FROM core_outboxemail WHERE id > %s ORDER BY id DESC",
                since_id,
            )
            for (body,) in rows:
                if found := re.search(r"\b(\d{6})\b", body):
                    return found.group(1)
            return None

        return str(wait_for(code, "the e-mailed code", deadline=20))

    def last_outbox_id(self) -> int:
        return int(
            query(self.database_url, "SELECT coalesce(max(id), 0) FROM core_outboxemail")[0][0]
        )


@cache
def demo_template() -> Site:
    """A database migrated and filled by ``manage.py demo``, with its private files on
    disk, built once per run (half a minute); each test copies it."""
    _static_job()
    var_dir = Path(tempfile.mkdtemp(prefix="sportello-faults-demo-"))
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    template = Site("scaleout_faults_demo", var_dir / "files", var_dir=var_dir)
    create_database(template.database)
    atexit.register(drop_database, template.database)
    template.manage("migrate", "--no-input", "-v0")
    template.manage("demo", "--quiet")
    return template


@dataclass
class WebProcess:
    """gunicorn serving ``site`` on a port of its own."""

    site: Site
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    settings: dict[str, str]

    @property
    def files(self) -> Path:
        """Its local private-files directory."""
        return Path(self.site.environment(**self.settings)["PRIVATE_FILES_ROOT"])

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/", headers={"Host": "localhost"})
        connection.getresponse().read()
        connection.close()
        return True
    except OSError:
        return False


def start_webs(site: Site, log_dir: Path, *each: dict[str, str]) -> list[WebProcess]:
    """One gunicorn web process for ``site`` per dict of settings of its own, started
    together, returned once every one answers HTTP."""
    started: list[WebProcess] = []
    try:
        for settings in each:
            port = free_port()
            log = log_dir / f"gunicorn-{port}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(  # noqa: S603 (the installed gunicorn)
                    [
                        str(BIN / "gunicorn"),
                        "sportello.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--timeout",
                        "60",
                        # One control socket per user by default: two processes would share it.
                        "--no-control-socket",
                    ],
                    env=site.environment(**settings),
                    cwd=ROOT,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append(WebProcess(site, port, process, log, settings))
        for web in started:

            def ready(web: WebProcess = web) -> bool:
                if not web.alive():
                    raise AssertionError(
                        f"gunicorn stopped:\n{web.log.read_text(errors='replace')}"
                    )
                return _answers(web.port)

            wait_for(ready, f"gunicorn on port {web.port}")
    except BaseException:
        for web in started:
            web.stop()
        raise
    return started


def start_web(site: Site, log_dir: Path, **settings: str) -> WebProcess:
    """A gunicorn web process for ``site`` (extra settings for this one only)."""
    return start_webs(site, log_dir, settings)[0]


# -- a local S3 server -------------------------------------------------------------------


@dataclass
class S3Server:
    """moto in server mode: an S3 endpoint on the loopback, and a bucket in it."""

    endpoint: str
    bucket: str

    def settings(self) -> dict[str, str]:
        """The environment that puts a site's private files in the bucket."""
        return {
            "PRIVATE_FILES_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "eu-south-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "sportello-faults",
            "AWS_SECRET_ACCESS_KEY": "sportello-faults-secret",
        }

    def client(self) -> Any:
        import boto3

        config = self.settings()
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=config["AWS_S3_REGION_NAME"],
            aws_access_key_id=config["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=config["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self) -> dict[str, bytes]:
        """Every object of the bucket, with its bytes."""
        client = self.client()
        listed = client.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
            for item in listed
        }


@contextmanager
def s3_server(log_dir: Path) -> Iterator[S3Server]:
    """``moto_server`` on a free port, with one private bucket."""
    port = free_port()
    log = log_dir / f"moto-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (the installed moto_server)
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = S3Server(f"http://127.0.0.1:{port}", f"sportello-{uuid.uuid4().hex[:12]}")
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"moto_server stopped:\n{log.read_text(errors='replace')}")
            return _answers(port)

        wait_for(ready, "moto_server")
        client = server.client()
        client.create_bucket(
            Bucket=server.bucket,
            CreateBucketConfiguration={"LocationConstraint": "eu-south-1"},
        )
        client.put_public_access_block(
            Bucket=server.bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- a browser -----------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One person's browser on a company's host, asking any web process by its port.

    It sends what the README's reverse proxy adds (``X-Forwarded-Proto``,
    ``X-Forwarded-For``) and keeps cookies across processes, as a load balancer
    in front of them would let it.
    """

    host: str
    address: str = "203.0.113.10"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        web: WebProcess,
        method: str,
        path: str,
        body: bytes = b"",
        content_type: str = "",
    ) -> Response:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": "it",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            # Django's CSRF check on HTTPS wants the origin of the page.
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.msg, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, web: WebProcess, path: str) -> Response:
        return self.request(web, "GET", path)

    def post(
        self,
        web: WebProcess,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        form_page: str = "",
    ) -> Response:
        """Fill in the form of ``form_page`` (default ``path``) and send it to ``path``."""
        page = self.get(web, form_page or path)
        token = _CSRF.search(page.body)
        assert token, f"no CSRF token on {form_page or path} ({page.status})"
        data = {"csrfmiddlewaretoken": token.group(1).decode(), **fields}
        if files is None:
            return self.request(
                web, "POST", path, urlencode(data).encode(), "application/x-www-form-urlencoded"
            )
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in data.items()
        ]
        for name, (filename, content, mime) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(web, "POST", path, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, site: Site, first: WebProcess, second: WebProcess, login: str) -> Response:
        """Password on ``first``, e-mailed code on ``second``; the answer to the code."""
        since = site.last_outbox_id()
        step = self.post(first, "/accesso/", {"login": login, "password": DEMO_PASSWORD})
        assert step.status == 302 and step.location.endswith("/accesso/codice/"), (
            f"password step for {login}: {step.status} {step.location}\n{step.text()[:2000]}"
        )
        code = site.newest_code(since)
        return self.post(second, "/accesso/codice/", {"code": code})
