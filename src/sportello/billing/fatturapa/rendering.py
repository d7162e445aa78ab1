"""An e-invoice as the customer reads it: the Agenzia's official stylesheet.

The stylesheets print every ``FatturaElettronicaBody`` of a file, while a
portal invoice is one body of it: the tree is copied and the other bodies are
removed before the transformation. XSLT runs with no access to files or the
network, on a tree read by the one hardened parser. The output is the
stylesheet's own HTML, with a language, a title and a few style rules so that it
fits a phone and an A4 page (the stylesheet sets a 930 px minimum width).
"""

from __future__ import annotations

import copy
import threading

from lxml import etree

from .xml import STYLESHEETS, InvalidFile, parse

#: The stylesheet of each ``versione`` of FatturaElettronica.
STYLESHEET_FILES = {
    "FPR12": "Foglio_di_stile_fattura_ordinaria_ver1.2.2.xsl",
    "FPA12": "Foglio_di_stile_fattura_PA_ver1.2.2.xsl",
}

BODY = "FatturaElettronicaBody"

#: Added after the stylesheet's rules: no fixed minimum width, and no background
#: picture (the stylesheet names a file that is not there; nothing is fetched).
FIT = """
#fattura-elettronica { min-width: 0 !important; }
#fattura-elettronica div.page { background: #fff !important; padding: 1rem !important; }
#fattura-elettronica table { max-width: 100%; }
@page { size: A4; margin: 12mm; }
@media print { #fattura-elettronica div.page { box-shadow: none; border: 0; padding: 0 !important; } }
"""

# Each thread compiles its own stylesheets, once: lxml's FAQ advises against
# sharing one XSLT object between threads, and a per-thread copy is safe in any
# case (a few hundred kilobytes per worker thread).
_compiled = threading.local()


def _stylesheet(version: str) -> etree.XSLT:
    cache: dict[str, etree.XSLT] = _compiled.__dict__.setdefault("by_version", {})
    if version not in cache:
        document = parse((STYLESHEETS / STYLESHEET_FILES[version]).read_bytes())
        cache[version] = etree.XSLT(document, access_control=etree.XSLTAccessControl.DENY_ALL)
    return cache[version]


def only_body(tree: etree._ElementTree, body: int) -> etree._Element:
    """A copy of the file's root keeping only its ``body``-th body (1 for the first)."""
    root = copy.deepcopy(tree.getroot())
    bodies = [child for child in root if etree.QName(child).localname == BODY]
    if not 1 <= body <= len(bodies):
        raise InvalidFile(f"Il file non ha il corpo n. {body}.")
    for position, element in enumerate(bodies, start=1):
        if position != body:
            root.remove(element)
    return root


def render_html(xml: bytes, body: int) -> str:
    """The HTML of the ``body``-th invoice of the FatturaPA file ``xml``."""
    tree = parse(xml)
    version = tree.getroot().get("versione", "")
    if etree.QName(tree.getroot()).localname != "FatturaElettronica" or (
        version not in STYLESHEET_FILES
    ):
        raise InvalidFile(f"La versione {version or '?'} della fattura non si può visualizzare.")
    root = only_body(tree, body)
    result = _stylesheet(version)(etree.ElementTree(root))
    html = result.getroot()
    if html is None:
        raise InvalidFile("Il foglio di stile non ha prodotto la fattura.")
    html.set("lang", "it")
    head = html.find("head")
    if head is None:
        head = etree.Element("head")
        html.insert(0, head)
    # The document is the Italian invoice whatever the portal's language.
    number = root.findtext(f"{BODY}/DatiGenerali/DatiGeneraliDocumento/Numero") or ""
    title = etree.SubElement(head, "title")
    title.text = f"Fattura elettronica {number}".strip()
    style = etree.SubElement(head, "style")
    style.text = FIT
    return "<!DOCTYPE html>\n" + str(result)
