"""The service desk's uploads are scanned by the same test ``clamd`` as core's."""

from tests.core.conftest import clamd_socket, eicar, infected_pdf

__all__ = ["clamd_socket", "eicar", "infected_pdf"]
