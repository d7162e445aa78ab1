from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .middleware import cache_key
from .models import Company, CompanyHost


def forget_hosts(hosts: Iterable[str]) -> None:
    keys = [cache_key(host) for host in hosts]
    cache.delete_many(keys)
    # A request served before the commit may have cached the old rows again.
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(pre_save, sender=CompanyHost)
def forget_previous_host_name(sender: type, instance: CompanyHost, **kwargs: Any) -> None:
    """A renamed host must stop serving the company at once, not when the cache expires."""
    if instance.pk is not None:
        forget_hosts(CompanyHost.objects.filter(pk=instance.pk).values_list("host", flat=True))


@receiver([post_save, post_delete], sender=CompanyHost)
@receiver([post_save, post_delete], sender=Company)
def forget_cached_hosts(sender: type, instance: Company | CompanyHost, **kwargs: Any) -> None:
    """Drop every cached host of the company so changes apply at once."""
    company_id = instance.pk if isinstance(instance, Company) else instance.company_id
    hosts = list(CompanyHost.objects.filter(company_id=company_id).values_list("host", flat=True))
    if isinstance(instance, CompanyHost):
        hosts.append(instance.host)
    forget_hosts(hosts)
