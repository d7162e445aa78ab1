"""Who reaches the back office, and what another company's operator gets: a 404, nothing changed.

The same rule as /admin/: platform hosts only (unless ADMIN_ON_COMPANY_HOSTS),
staff who passed the e-mailed code only; then only the operator's companies.
Named after OCA/helpdesk#1089, where any portal user could close anyone's ticket.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice
from pytest_django import Settings
from tests.backoffice.helpers import open_request, pdf
from tests.factories import (
    BACK_OFFICE_HOST,
    CUSTOMER_BACKEND,
    OPERATOR_BACKEND,
    Tenant,
    make_operator,
    operator_client,
)

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.integration.models import ImportRun, ImportSource
from sportello.notices.models import Notification
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)

#: Every action of the request page, with a post that would succeed for the right operator.
POSTS = {
    "backoffice:reply": {"reply-body": "Ecco la copia.", "reply-status": "waiting_customer"},
    "backoffice:note": {"note-body": "Chiamare il cliente."},
    "backoffice:status": {"status-status": "in_progress"},
    "backoffice:assign": {"assign-assignee": ""},
    "backoffice:interim_reply": {"interim-body": "Servono verifiche con la banca."},
    "backoffice:close": {
        "close-answer": "Accolto.",
        "close-outcome": "accepted",
        "close-referral": "Arbitro Bancario Finanziario e Conciliatore BancarioFinanziario",
    },
}


def snapshot(request: ServiceRequest) -> tuple[object, ...]:
    request.refresh_from_db()
    return (
        request.status,
        request.assignee_id,
        request.due_on,
        request.interim_reply_at,
        request.closed_at,
        request.outcome,
        RequestMessage.objects.filter(request=request).count(),
        Notification.objects.count(),
        OutboxEmail.objects.count(),
    )


@pytest.fixture
def complaint(release: Tenant) -> ServiceRequest:
    """A payment-service complaint of Release with a PDF attached: every action applies."""
    with time_machine.travel(dt.datetime(2026, 4, 24, 10, tzinfo=dt.UTC), tick=False):
        from sportello.servicedesk.services import check_files

        return open_request(
            release,
            RequestKind.COMPLAINT,
            title="Addebito non autorizzato",
            is_payment_service=True,
            files=check_files([pdf()]),
        )


def urls_of(request: ServiceRequest) -> list[str]:
    slug, code = request.company.slug, request.code
    attachment = RequestAttachment.objects.get(message__request=request)
    run, _created = ImportRun.objects.get_or_create(
        company=request.company, kind="customers", source=ImportSource.COMMAND
    )
    return [
        reverse("backoffice:queue", args=[slug]),
        reverse("backoffice:request", args=[slug, code]),
        reverse("backoffice:attachment", args=[slug, code, attachment.uid]),
        reverse("backoffice:complaints", args=[slug]),
        reverse("backoffice:complaints_register", args=[slug]),
        reverse("backoffice:complaints_register", args=[slug]) + "?format=csv",
        reverse("backoffice:imports", args=[slug]),
        reverse("backoffice:imports_run", args=[slug, run.pk]),
        reverse("backoffice:imports_report", args=[slug, run.pk]) + "?format=csv",
        # The actions' addresses, reached by GET after a form error (a reload, a language switch).
        *[reverse(name, args=[slug, code]) for name in POSTS],
    ]


def test_it_sends_an_anonymous_visitor_to_the_operator_login(complaint: ServiceRequest) -> None:
    queue = reverse("backoffice:queue", args=["release"])

    response = Client(HTTP_HOST=BACK_OFFICE_HOST).get(queue)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('operator_login')}?next={queue}"


def test_it_sends_a_staff_session_that_did_not_pass_the_code_to_the_login(
    operator: PortalUser, complaint: ServiceRequest
) -> None:
    client = Client(HTTP_HOST=BACK_OFFICE_HOST)
    client.force_login(operator, backend=OPERATOR_BACKEND)  # password only, no code
    before = snapshot(complaint)

    pages = [client.get(url) for url in urls_of(complaint)]
    posts = [
        client.post(reverse(name, args=["release", complaint.code]), data)
        for name, data in POSTS.items()
    ]

    assert {r.status_code for r in pages + posts} == {302}
    assert all(r["Location"].startswith(reverse("operator_login")) for r in pages + posts)
    assert snapshot(complaint) == before


def test_it_never_shows_a_customer_the_back_office(
    release: Tenant, complaint: ServiceRequest, settings: Settings
) -> None:
    settings.ADMIN_ON_COMPANY_HOSTS = True
    on_platform = Client(HTTP_HOST=BACK_OFFICE_HOST)
    on_platform.force_login(release.user, backend=CUSTOMER_BACKEND)
    request_url = reverse("backoffice:request", args=["release", complaint.code])

    # Neither on a platform host nor on the company's own: to the operators' login.
    for client in (on_platform, release.logged_in_client()):
        response = client.get(request_url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("operator_login"))

    # A customer who passed its own e-mailed code is not an operator either.
    verified = release.logged_in_client()
    device = EmailDevice.objects.create(user=release.user, name="codice")
    session = verified.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = verified.get(request_url)

    assert response.status_code == 404
    assert release.customer.name.encode() not in response.content


def test_it_hides_the_back_office_on_a_company_host_unless_allowed(
    operator: PortalUser, complaint: ServiceRequest, settings: Settings
) -> None:
    client = operator_client(operator, host="release.test")
    queue = reverse("backoffice:queue", args=["release"])

    assert client.get(queue).status_code == 404

    settings.ADMIN_ON_COMPANY_HOSTS = True
    assert client.get(queue).status_code == 200


def test_it_gives_another_companys_operator_a_404_everywhere_and_changes_nothing(
    rival: PortalUser, complaint: ServiceRequest
) -> None:
    client = operator_client(rival)
    before = snapshot(complaint)
    reads = AuditEvent.objects.filter(action="admin.read").count()

    pages = [client.get(url) for url in urls_of(complaint)]
    posts = [
        client.post(reverse(name, args=["release", complaint.code]), data)
        for name, data in POSTS.items()
    ]

    assert [r.status_code for r in pages + posts] == [404] * (len(pages) + len(posts))
    assert all(complaint.customer.name.encode() not in r.content for r in pages + posts)
    assert snapshot(complaint) == before
    assert AuditEvent.objects.filter(action="admin.read").count() == reads


def test_it_gives_a_404_for_another_companys_request_under_the_operators_own_company(
    operator: PortalUser, energia: Tenant, release: Tenant
) -> None:
    theirs = open_request(energia, title="Bolletta")
    client = operator_client(operator)
    before = snapshot(theirs)

    page = client.get(reverse("backoffice:request", args=["release", theirs.code]))
    gets = [client.get(reverse(name, args=["release", theirs.code])) for name in POSTS]
    posts = [
        client.post(reverse(name, args=["release", theirs.code]), data)
        for name, data in POSTS.items()
    ]

    assert page.status_code == 404
    assert {r.status_code for r in gets} == {404}
    assert {r.status_code for r in posts} == {404}
    assert snapshot(theirs) == before


def test_it_takes_an_operator_of_one_company_straight_to_its_queue(
    desk: Client, complaint: ServiceRequest
) -> None:
    response = desk.get(reverse("backoffice:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:queue", args=["release"])


def test_it_lists_the_companies_of_an_operator_of_several_with_their_counts(
    release: Tenant, energia: Tenant, complaint: ServiceRequest
) -> None:
    open_request(release)
    closed = open_request(release)
    ServiceRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.CLOSED)
    both = make_operator(release.company, energia.company, permissions=[])

    with time_machine.travel(dt.datetime(2026, 5, 19, 10, tzinfo=dt.UTC), tick=False):
        response = operator_client(both).get(reverse("backoffice:home"))

    assert response.status_code == 200
    rows = {company.slug: company for company in response.context["companies"]}
    assert set(rows) == {"release", "energia"}
    # The complaint (due 18/05/2026) and the free request are open; the closed one is not.
    assert (rows["release"].open_requests, rows["release"].overdue_complaints) == (2, 1)
    assert (rows["energia"].open_requests, rows["energia"].overdue_complaints) == (0, 0)
    assert reverse("backoffice:queue", args=["energia"]) in response.content.decode()


def test_it_shows_a_superuser_every_company(release: Tenant, energia: Tenant) -> None:
    root = PortalUser.objects.create_superuser("root", "root@example.test", "x" * 20)

    response = operator_client(root).get(reverse("backoffice:home"))

    assert {c.slug for c in response.context["companies"]} == {"release", "energia"}


def test_it_links_the_admin_to_the_back_office(operator: PortalUser) -> None:
    response = operator_client(operator).get(reverse("admin:index"))

    assert f'href="{reverse("backoffice:home")}"' in response.content.decode()
