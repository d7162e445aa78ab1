"""Registration (A1, A2), invitation (A3) and the temporary password (A4, A5).

A customer proves who it is with data printed on its contract (leasing) or
invoice (utility); the portal then creates the customer's main user with a
random temporary password, e-mails it through the outbox and stops paper
invoices (A14). The temporary password works for 24 hours and for one login
only; that login can open nothing but the page where the definitive password
is chosen.

Unknown and mismatching data get one and the same refusal, so the form tells
nobody which contracts, codes or tax ids exist.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company
from sportello.customers.models import Customer

from .. import emails, throttle
from ..models import PortalUser
from .identification import identified_customer

TEMPORARY_PASSWORD_VALIDITY = dt.timedelta(hours=24)
#: A registration whose e-mail never arrived can be repeated after this long (A5).
REPEAT_AFTER = dt.timedelta(minutes=60)
#: How long the confirmation step of the utility registration (A2) waits.
CONFIRMATION_VALIDITY = dt.timedelta(minutes=15)
# No look-alike characters (0/O, 1/l/I): the password is copied from an e-mail.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 16


class RegistrationRefused(Exception):
    """The data cannot register; ``message`` is shown, on ``field`` if given."""

    def __init__(self, message: str, *, field: str | None = None, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reason = reason


def no_match_by_contract() -> RegistrationRefused:
    return RegistrationRefused(
        _("I dati inseriti non corrispondono a un contratto registrabile."), reason="no_match"
    )


def no_match_by_code() -> RegistrationRefused:
    return RegistrationRefused(
        _("I dati inseriti non corrispondono a un cliente registrabile."), reason="no_match"
    )


def throttled(wait_seconds: int) -> RegistrationRefused:
    return RegistrationRefused(throttle.wait_message(wait_seconds), reason="throttled")


def new_temporary_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def main_user(customer: Customer) -> PortalUser | None:
    return PortalUser.objects.filter(customer=customer, parent__isnull=True).first()


def check_registrable(customer: Customer) -> None:
    """Refuse a customer already registered, or one that registered less than 60 minutes ago.

    The rightful owner proved the customer's data, so these answers may say why.
    """
    user = main_user(customer)
    if user is None:
        return
    if not user.must_change_password:
        raise RegistrationRefused(
            _("Sei già registrato: usa «Password dimenticata?» per recuperare l'accesso."),
            reason="already_registered",
        )
    since = user.registered_at or user.date_joined
    repeat_at = since + REPEAT_AFTER
    if timezone.now() < repeat_at:
        time = timezone.localtime(repeat_at).strftime("%H:%M")
        raise RegistrationRefused(
            _(
                "La registrazione è già stata effettuata e le credenziali sono state inviate. "
                "Se non hai ricevuto l'e-mail, potrai ripetere la registrazione dopo le %(time)s."
            )
            % {"time": time},
            reason="too_early",
        )


def check_pec(company: Company, customer: Customer, email: str) -> None:
    """A legal person registers with a PEC: its PEC on file or a PEC provider's domain."""
    if not customer.is_legal_person:
        return
    address = email.strip().lower()
    if address == customer.pec.strip().lower() or company.is_pec_address(address):
        return
    domains = ", ".join(company.pec_domain_list())
    message = _(
        "Per una persona giuridica l'e-mail deve essere un indirizzo PEC: quello comunicato "
        "alla società o un indirizzo di un gestore PEC."
    )
    if domains:
        message += " " + _("Domini accettati: %(domains)s.") % {"domains": domains}
    raise RegistrationRefused(message, field="email", reason="not_pec")


def refuse(origin: Origin, refusal: RegistrationRefused, **data: Any) -> RegistrationRefused:
    """Audit a refused registration (no tax id, no e-mail) and hand the refusal back."""
    audit.record("registration.refused", origin=origin, reason=refusal.reason, **data)
    return refusal


def identify(origin: Origin, key: str, audit_data: dict[str, str], **data: str) -> Customer:
    """The customer the data identify; else the one refusal for unknown and mismatching data.

    Only data that identify nobody count against the limits (per contract or
    customer code, and per address): a customer who registers is no failure.
    """
    company = origin.company
    assert company is not None
    wait = throttle.wait_seconds(throttle.REGISTRATION, origin, key)
    if wait:
        raise refuse(origin, throttled(wait), **audit_data)
    customer = identified_customer(company, **data)
    if customer is None:
        throttle.count(throttle.REGISTRATION, origin, key)
        refusal = no_match_by_contract() if company.is_leasing else no_match_by_code()
        raise refuse(origin, refusal, **audit_data)
    return customer


def register_by_contract(
    origin: Origin,
    *,
    contract_number: str,
    module_number: str,
    tax_id: str,
    email: str,
) -> PortalUser:
    """A1: the contract of this company with this module number, of the customer with this tax id."""
    audit_data = {"method": "contract", "contract": contract_number}
    customer = identify(
        origin,
        f"contract:{contract_number}",
        audit_data,
        contract_number=contract_number,
        module_number=module_number,
        tax_id=tax_id,
    )
    assert origin.company is not None
    try:
        with transaction.atomic():
            lock(customer)
            check_registrable(customer)
            check_pec(origin.company, customer, email)
            return register(origin, customer, email=email, method="contract")
    except RegistrationRefused as refusal:
        # Audited outside the rolled-back transaction, so the refusal stays on record.
        raise refuse(origin, refusal, **audit_data) from None


def lock(customer: Customer) -> None:
    """Serialise registrations of one customer, so two cannot both create a user."""
    Customer.objects.select_for_update().filter(pk=customer.pk).exists()


def find_by_customer_code(origin: Origin, *, code: str, tax_id: str) -> int:
    """A2, first step: the id of the customer with this code and tax id, if it may register."""
    audit_data = {"method": "customer_code", "code": code}
    customer = identify(origin, f"customer:{code}", audit_data, customer_code=code, tax_id=tax_id)
    try:
        check_registrable(customer)
    except RegistrationRefused as refusal:
        raise refuse(origin, refusal, **audit_data) from None
    return customer.pk


def customer_to_confirm(company: Company, customer_id: int) -> Customer | None:
    """The customer matched by the first step (its id kept by the view's session)."""
    return Customer.objects.filter(company=company, pk=customer_id).first()


def register_confirmed(origin: Origin, customer: Customer | None, *, email: str) -> PortalUser:
    """A2, second step: register the customer of the first step with this e-mail."""
    if customer is None:
        raise RegistrationRefused(
            _("La conferma è scaduta: inserisci di nuovo codice cliente e codice fiscale."),
            reason="expired",
        )
    try:
        with transaction.atomic():
            lock(customer)
            check_registrable(customer)
            return register(origin, customer, email=email, method="customer_code")
    except RegistrationRefused as refusal:
        raise refuse(origin, refusal, method="customer_code", code=customer.code) from None


def issue_temporary_password(user: PortalUser) -> tuple[str, dt.datetime]:
    """A new random password, valid 24 h, that must be replaced at the first login.

    Setting it changes the password hash, so any session of the old one ends.
    """
    password = new_temporary_password()
    expires_at = timezone.now() + TEMPORARY_PASSWORD_VALIDITY
    user.set_password(password)
    user.must_change_password = True
    user.temporary_password_expires_at = expires_at
    return password, expires_at


def create_or_renew_main_user(customer: Customer, *, email: str, language: str) -> PortalUser:
    """The customer's main user (login = customer code), new or not yet activated."""
    user = main_user(customer) or PortalUser(
        company=customer.company, customer=customer, login=customer.code
    )
    user.email = email
    user.language = language
    user.registered_at = timezone.now()
    fill_names(user, customer)
    return user


def fill_names(user: PortalUser, customer: Customer) -> None:
    """Names as the demo and the header expect them, until the profile changes them."""
    if customer.is_legal_person:
        user.first_name, user.last_name = "", customer.name[:150]
    else:
        first, _space, last = customer.name.title().partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]


def register(origin: Origin, customer: Customer, *, email: str, method: str) -> PortalUser:
    """Create (or renew) the main user, e-mail the credentials, stop paper invoices."""
    language = (get_language() or "it")[:2]
    user = create_or_renew_main_user(customer, email=email, language=language)
    repeated = user.pk is not None
    password, expires_at = issue_temporary_password(user)
    user.save()
    emails.send_registration(user, password, expires_at)
    if customer.paper_invoices:
        customer.paper_invoices = False
        customer.save(update_fields=["paper_invoices"])
        audit.record("customer.paper_invoices_revoked", origin=origin, obj=customer)
    audit.record(
        "registration",
        origin=origin,
        actor=user,
        obj=user,
        method=method,
        repeated=repeated,
        email=email,
    )
    return user


@dataclass
class InvitationResult:
    invited: list[Customer]
    skipped: list[Customer]


@transaction.atomic
def invite_customers(origin: Origin, customers: list[Customer]) -> InvitationResult:
    """A3: an operator invites customers; the credentials go to the PEC on file.

    Customers without a PEC, or who already have a portal user, are skipped.
    Paper invoices stop when the customer chooses the definitive password.
    """
    result = InvitationResult([], [])
    for customer in customers:
        if not customer.pec or customer.users.exists():
            result.skipped.append(customer)
            continue
        user = PortalUser(
            company=customer.company,
            customer=customer,
            login=customer.code,
            email=customer.pec,
            registered_at=timezone.now(),
        )
        fill_names(user, customer)
        password, expires_at = issue_temporary_password(user)
        user.save()
        emails.send_invitation(user, password, expires_at)
        audit.record("invitation", origin=origin, company=customer.company, obj=user)
        result.invited.append(customer)
    return result


def temporary_password_accepted(user: PortalUser) -> bool:
    """Whether a user who must still choose a password may log in with the temporary one.

    It works until it expires and only until the first login that succeeds
    (see ``mark_temporary_password_used``).
    """
    if not user.must_change_password:
        return True
    expires_at = user.temporary_password_expires_at
    return expires_at is not None and timezone.now() < expires_at


def mark_temporary_password_used(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: a temporary password logs in once.

    The session just opened stays valid (the password hash is unchanged) and
    can only choose the definitive password; a second login with the same
    temporary password fails.
    """
    if (
        isinstance(user, PortalUser)
        and user.must_change_password
        and user.temporary_password_expires_at is not None
    ):
        user.temporary_password_expires_at = None
        user.save(update_fields=["temporary_password_expires_at"])


@transaction.atomic
def choose_definitive_password(origin: Origin, user: PortalUser, password: str) -> None:
    """A4: replace the temporary password; every session of the user ends (the
    caller keeps its own with ``update_session_auth_hash``)."""
    user.set_definitive_password(password)
    audit.record("password.first_set", origin=origin, actor=user, obj=user)
    customer = user.customer
    if customer is not None and customer.paper_invoices and not user.is_sub_user:
        # An invited customer adheres to online invoicing now (A14).
        customer.paper_invoices = False
        customer.save(update_fields=["paper_invoices"])
        audit.record("customer.paper_invoices_revoked", origin=origin, obj=customer)


def login_url(company: Company) -> str:
    return company.absolute_url(reverse("accounts:login"))
