from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import cache_key
from .models import Company, CompanyHost


@receiver([post_save, post_delete], sender=CompanyHost)
@receiver([post_save, post_delete], sender=Company)
def forget_cached_hosts(sender: type, instance: Company | CompanyHost, **kwargs: Any) -> None:
    """Drop every cached host of the company so changes apply at once."""
    company_id = instance.pk if isinstance(instance, Company) else instance.company_id
    hosts = list(CompanyHost.objects.filter(company_id=company_id).values_list("host", flat=True))
    if isinstance(instance, CompanyHost):
        hosts.append(instance.host)
    cache.delete_many([cache_key(host) for host in hosts])
