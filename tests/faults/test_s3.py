"""Private files on S3-compatible storage (django-storages), against a local S3
server (moto in server mode): configured from the environment alone, files land
in the bucket and nowhere on disk, and who may download what does not change.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import Tenant, make_contract
from tests.faults.processes import S3Server, s3_server
from tests.owner_matrix import CASES, TODAY, World, ask_everyone, build_world

from sportello import settings as sportello_settings
from sportello.documents.models import Document
from sportello.integration.models import ImportSource, ImportStatus
from sportello.integration.services import import_file
from sportello.servicedesk.models import RequestAttachment

pytestmark = pytest.mark.faults

DOWNLOADS = {"billing:invoice_pdf", "billing:invoice_xml", "documents:download"}
DOWNLOAD_CASES = [case for case in CASES if case.name in DOWNLOADS | {"servicedesk:attachment"}]
PDF = b"%PDF-1.4\n% condizioni generali, dal core system\n%%EOF\n"


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def on_s3(bucket: S3Server, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    """The default storage as settings.py builds it from the environment a deployment sets."""
    for name, value in bucket.settings().items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": sportello_settings.private_files_storage()}
    local = Path(django_settings.PRIVATE_FILES_ROOT)
    on_disk = set(local.rglob("*")) if local.exists() else set()
    yield bucket
    now_on_disk = set(local.rglob("*")) if local.exists() else set()
    assert now_on_disk == on_disk, "a private file was written to the local disk"


def test_it_builds_the_s3_storage_from_the_environment(on_s3: S3Server) -> None:
    config = sportello_settings.private_files_storage()

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert options["bucket_name"] == on_s3.bucket
    assert options["endpoint_url"] == on_s3.endpoint
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    ("environment", "complaint"),
    [
        ({"PRIVATE_FILES_STORAGE": "ftp"}, "PRIVATE_FILES_STORAGE must be filesystem or s3"),
        (
            {"PRIVATE_FILES_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": ""},
            "AWS_STORAGE_BUCKET_NAME must be set",
        ),
    ],
)
def test_it_refuses_to_start_with_an_incomplete_storage(
    environment: dict[str, str], complaint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=complaint):
        sportello_settings.private_files_storage()


@pytest.fixture
def world(on_s3: S3Server, release: Tenant) -> Iterator[World]:
    with time_machine.travel(TODAY):
        yield build_world(release)


@pytest.mark.parametrize("case", DOWNLOAD_CASES, ids=[case.id for case in DOWNLOAD_CASES])
def test_it_serves_files_from_the_bucket_to_their_owner_only(
    world: World, on_s3: S3Server, case: Any, django_assert_max_num_queries: Any
) -> None:
    stored = on_s3.keys()
    for name in (world.invoice.pdf.name, world.document.file.name, world.attachment.file.name):
        assert name in stored, f"{name} is not in the bucket"

    with time_machine.travel(TODAY):
        failures = ask_everyone(world, case, django_assert_max_num_queries)

    assert not failures, "\n\n".join(failures)
    if "company-wide" not in case.id:
        assert case.expected("neighbour") == 404
        assert case.expected("stranger") == 404


def test_it_answers_404_for_a_file_lost_from_the_bucket(world: World, on_s3: S3Server) -> None:
    on_s3.client().delete_object(Bucket=on_s3.bucket, Key=world.document.file.name)
    url = reverse("documents:download", kwargs={"uid": world.document.uid})

    with time_machine.travel(TODAY):
        response = world.client("owner").get(url)

    assert response.status_code == 404


def test_it_keeps_a_customer_upload_in_the_bucket(
    world: World, on_s3: S3Server, clamd: Path
) -> None:
    content = b"%PDF-1.4\n% ricevuta del bonifico Quaglierini\n%%EOF\n"
    owner = world.client("owner")
    url = reverse("servicedesk:reply", kwargs={"code": world.request.code})
    upload = SimpleUploadedFile("ricevuta.pdf", content, content_type="application/pdf")

    with time_machine.travel(TODAY):
        sent = owner.post(url, {"message": "Allego la ricevuta.", "attachments": [upload]})
        assert sent.status_code == 302
        kept = RequestAttachment.objects.get(original_name="ricevuta.pdf")
        download = owner.get(
            reverse(
                "servicedesk:attachment",
                kwargs={"code": kept.message.request.code, "uid": kept.uid},
            )
        )
        neighbour = world.client("neighbour").get(
            reverse(
                "servicedesk:attachment",
                kwargs={"code": kept.message.request.code, "uid": kept.uid},
            )
        )

    assert on_s3.keys()[kept.file.name] == content
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert neighbour.status_code == 404


def test_it_stores_imported_documents_in_the_bucket(
    on_s3: S3Server, release: Tenant, energia: Tenant, clamd: Path
) -> None:
    contract = make_contract(release.customer)
    rows = (
        "code;customer_code;contract_number;category;title;file;original_name;published_on\n"
        f"S3-1;{release.customer.code};{contract.number};mine;Contratto firmato;"
        "firmato.pdf;contratto.pdf;2024-03-02\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as feed:
        feed.writestr("documents.csv", rows)
        feed.writestr("firmato.pdf", PDF)

    run = import_file(
        release.company,
        "documents",
        io.BytesIO(archive.getvalue()),
        file_name="documents.zip",
        source_kind=ImportSource.COMMAND,
    )

    assert run.status == ImportStatus.DONE, run
    document = Document.objects.get(code="S3-1")
    assert default_storage.exists(document.file.name)
    assert on_s3.keys()[document.file.name] == PDF
    url = reverse("documents:download", kwargs={"uid": document.uid})
    download = release.logged_in_client().get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # Another company's customer, on its own host, asking for the same id.
    assert energia.logged_in_client().get(url).status_code == 404
