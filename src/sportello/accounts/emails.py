"""One function per e-mail the accounts app sends, each through the outbox.

Templates: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``,
rendered in the recipient's language.
"""

from __future__ import annotations
