"""The REST API of a company's core system (I3): django-ninja under ``/api/v1/``.

``urls`` mounts it; ``auth`` checks the key, ``idempotency`` the
Idempotency-Key, ``problems`` makes every error a problem document;
``imports`` pushes data through the import service and ``readback`` reads
requests, changes and readings back.
"""
