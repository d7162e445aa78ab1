"""The one way a FatturaPA file is parsed and checked against the official XSD.

The parser is hardened: no entities are expanded, no DTD is loaded, nothing
is fetched from the network (the 1.2.2 schema's xmldsig import is mapped to
the local copy). The declared encoding (UTF-8, windows-1252…) is honoured
because the parser is given bytes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

HERE = Path(__file__).parent
SCHEMAS = HERE / "schema"
STYLESHEETS = HERE / "xsl"

#: The schema of each root element (FatturaElettronica: FPA12 and FPR12 share one).
SCHEMA_FILES = {
    "FatturaElettronica": "Schema_del_file_xml_FatturaPA_v1.2.2.xsd",
    "FatturaElettronicaSemplificata": "Schema_VFSM10_v1.0.2_reformatted.xsd",
}


class InvalidFile(ValueError):
    """The file cannot be read as FatturaPA; the message is for a person."""


class _LocalResolver(etree.Resolver):
    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        if system_url and system_url.endswith("xmldsig-core-schema.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xmldsig-core-schema.xsd"), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    parser.resolvers.add(_LocalResolver())
    return parser


def parse(data: bytes) -> etree._ElementTree:
    """The file's tree; a DOCTYPE (entities, DTDs) is refused outright."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as error:
        raise InvalidFile(
            _("Il file non è XML leggibile: %(error)s") % {"error": error.msg}
        ) from None
    if tree.docinfo.doctype:
        raise InvalidFile(_("Il file contiene una dichiarazione DOCTYPE, non ammessa."))
    return tree


def root_name(tree: etree._ElementTree) -> str:
    return etree.QName(tree.getroot()).localname


@cache
def schema(root: str) -> etree.XMLSchema:
    path = SCHEMAS / SCHEMA_FILES[root]
    document = etree.parse(str(path), _parser())
    return etree.XMLSchema(document)


def validation_errors(tree: etree._ElementTree) -> list[str]:
    """The schema's errors for the file (none when valid), as lxml words them."""
    return [message for _path, message in located_validation_errors(tree)]


def located_validation_errors(tree: etree._ElementTree) -> list[tuple[str, str]]:
    """Each schema error with the path of the element it is about ("" when unknown)."""
    root = root_name(tree)
    if root not in SCHEMA_FILES:
        return [("", f"L'elemento radice {root} non è una FatturaPA.")]
    checker = schema(root)
    if checker.validate(tree):
        return []
    return [(entry.path or "", entry.message) for entry in checker.error_log]
