"""The README's backup and restore (``deploy/backup.sh``, ``deploy/restore.sh``),
run on the demo data: dump, drop, restore, and a customer's pages and files
answer the same bytes as before.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.faults.processes import (
    ROOT,
    Browser,
    Site,
    WebProcess,
    create_database,
    database_exists,
    drop_database,
    flush_redis,
    start_web,
)

pytestmark = pytest.mark.faults

HOST = "release.localhost"
PAGES = [
    "/",
    "/fatture-e-pagamenti/",
    "/fatture-e-pagamenti/fatture/",
    "/documenti/",
    "/richieste/",
]
#: What changes on every answer by design: CSRF tokens (masked anew each time) and
#: the nonce of the Content-Security-Policy.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]+"')


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    flush_redis()
    site = Site("scaleout_faults_backup", tmp_path / "files")
    site.build_demo()
    yield site
    drop_database(site.database)
    flush_redis()


def downloads(browser: Browser, web: WebProcess) -> list[str]:
    """The customer's pages, and every file they link to: invoice PDFs and XMLs,
    documents, request attachments."""
    found = list(PAGES)
    # A few invoices (the first download of each prints its courtesy PDF), and
    # every document and request of the customer.
    patterns = [
        (rb'href="(/fatture-e-pagamenti/fatture/[0-9a-f-]+/(?:pdf/(?:\?download=1)?|xml/)?)"', 3),
        (rb'href="(/documenti/[a-z-]+/)"', None),
        (rb'href="(/documenti/[0-9a-f-]+/scarica/)"', None),
        (rb'href="(/richieste/RIC-[0-9-]+/)"', None),
        (rb'href="(/richieste/RIC-[0-9-]+/allegati/[0-9a-f-]+/)"', None),
    ]
    for page in found:
        body = browser.get(web, page).body
        for pattern, limit in patterns:
            for link in re.findall(pattern, body)[:limit]:
                if link.decode() not in found:
                    found.append(link.decode())
    return found


def answers(browser: Browser, web: WebProcess, paths: list[str]) -> dict[str, bytes]:
    result = {}
    for path in paths:
        response = browser.get(web, path)
        assert response.status == 200, f"{path}: {response.status}"
        result[path] = VOLATILE.sub(rb'\1-"', response.body)
    return result


def script(site: Site, name: str, directory: Path) -> None:
    done = subprocess.run(  # noqa: S603 (the project's own script)
        [str(ROOT / "deploy" / name), str(directory)],
        env=site.environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{name}:\n{done.stdout}\n{done.stderr}"


def test_it_answers_the_same_bytes_after_a_restore(site: Site, tmp_path: Path) -> None:
    browser = Browser(HOST)
    web = start_web(site, tmp_path)
    try:
        assert browser.log_in(site, web, web, "10001").status == 302
        paths = downloads(browser, web)
        # The first download of an e-invoice prints its courtesy PDF and keeps it.
        answers(browser, web, [path for path in paths if "/pdf/" in path])
        before = answers(browser, web, paths)
        script(site, "backup.sh", tmp_path / "backup")
    finally:
        web.stop()
    kinds = ["/pdf/", "/xml/", "/scarica/", "/allegati/"]
    missing = [kind for kind in kinds if not any(kind in path for path in paths)]
    assert not missing, f"no {missing} among {paths}"

    drop_database(site.database)
    shutil.rmtree(site.files)
    assert not database_exists(site.database)
    create_database(site.database)
    script(site, "restore.sh", tmp_path / "backup")
    web = start_web(site, tmp_path)
    try:
        after = answers(browser, web, paths)
    finally:
        web.stop()

    changed = [path for path in paths if after[path] != before[path]]
    assert not changed, f"answer differently after the restore: {changed}"
