"""The four demo companies, modelled on the seeds' portals (contacts, rules, texts)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sportello.core.models import CompanyKind, Conformity
from sportello.documents.models import DocumentCategory

from .fatturapa import Seller


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a guide, in Italian and English, and the menu sections it speaks of.

    The demo shows a paragraph only when the company's menu offers all its
    sections, so the guide never promises a page the company switched off.
    """

    it: str
    en: str
    sections: tuple[str, ...] = ()


class Faq(NamedTuple):
    """A frequently asked question in both languages, shown when its sections are offered."""

    question: str
    answer: str
    question_en: str
    answer_en: str
    sections: tuple[str, ...] = ()


def built_only[T: (Paragraph, Faq)](items: Sequence[T], built: Collection[str]) -> list[T]:
    return [item for item in items if set(item.sections) <= set(built)]


@dataclass(frozen=True)
class CompanySpec:
    slug: str
    name: str
    kind: CompanyKind
    host: str
    primary_colour: str
    accent_colour: str
    support_email: str
    phone: str
    commercial_contacts: str
    legal_footer: str
    first_invoice_year: int
    customer_code_start: int
    contract_number_start: int
    customers: int
    commercial_contacts_en: str
    #: The company as the seller (CedentePrestatore) of its e-invoices.
    seller: Seller
    pec_domains: str = "pec.it\nlegalmail.it\npec.demo.example"
    #: Where customers' replies are announced; empty: the support address.
    service_desk_email: str = ""
    #: Where customers pay what is overdue (leasing companies): beneficiary, bank, contact.
    payment: tuple[str, str, str] = ("", "", "")
    accessibility_conformity: Conformity = Conformity.PARTIAL
    accessibility_feedback_email: str = ""
    faq: list[Faq] = field(default_factory=list)
    request_types: list[tuple[str, str]] = field(default_factory=list)
    #: A leasing company's fleet customer: how many contracts (0: none).
    fleet_contracts: int = 0
    #: A utility's multi-site customer: how many supply points (0: none).
    fleet_points: int = 0

    @property
    def fleet_code(self) -> str:
        """The big account's customer code (and login): just before the others'."""
        code = self.customer_code_start - 1
        return f"{code:06d}" if self.kind == CompanyKind.UTILITY else str(code)

    def guides(self, built: Collection[str]) -> tuple[str, str]:
        """The guide in Italian and in English, of the menu sections that are ``built``."""
        if self.kind == CompanyKind.UTILITY:
            return utility_guide(built)
        return LEASING_GUIDE, LEASING_GUIDE_EN

    def faq_of(self, built: Collection[str]) -> list[Faq]:
        """The questions whose answers speak only of ``built`` sections."""
        return built_only(self.faq, built)

    @property
    def accessibility_issues(self) -> tuple[str, str]:
        """The non-accessible content, in Italian and in English."""
        if self.accessibility_conformity == Conformity.FULL:
            return "", ""
        return LEASING_ACCESSIBILITY_ISSUES, LEASING_ACCESSIBILITY_ISSUES_EN


# The guides describe only what each portal offers: a section the company
# switched off is not mentioned (tests/demo/test_demo_content.py).
LEASING_GUIDE = """Benvenuto nell'Area Clienti.

Home: la sezione «La tua situazione» riepiloga pagamenti scaduti, prossima scadenza, prossimo pagamento e anticipi versati; il pannello dei contratti attivi porta ai contratti e ai beni in locazione.

Fatture e pagamenti: lo scadenziario di tutti i contratti o di un singolo contratto, con stato (a scadere, scaduto, pagato) e importi. Il pulsante «Esporta» scarica la vista corrente in Excel.

Fatture: le fatture e le note di credito, con il PDF da scaricare.

Contratti: i contratti attivi (a reddito) ed estinti, con dati generali, date, prodotto, importi e rata; da ogni contratto si raggiungono il piano di ammortamento, i beni e i documenti del contratto.

Beni in locazione: i beni di tutti i contratti, esportabili in Excel.

Rendiconti di trasparenza: il rendiconto annuale di ogni contratto, da consultare o scaricare in PDF.

Documenti: i documenti che la società mette a disposizione.

Profilo utente: lingua delle pagine e delle e-mail, e-mail principale e secondaria, invio cartaceo delle fatture, cambio password; l'utente principale crea e gestisce le sotto-utenze."""

LEASING_GUIDE_EN = """Welcome to the Customer Area.

Home: «Your situation» sums up overdue payments, the next due date, the next payment and the advances paid; the active contracts panel leads to your contracts and leased assets.

Invoices and payments: the payment schedule of all your contracts or of one contract, with its status (to be due, overdue, paid) and amounts. The «Export» button downloads the current view as an Excel file.

Invoices: your invoices and credit notes, each with its PDF to download.

Contracts: active and extinct contracts, with general data, dates, product, amounts and instalment; each contract leads to its amortisation plan, its assets and its documents.

Leased assets: the assets of all your contracts, which you can export to Excel.

Transparency statements: the yearly statement of each contract, to read on screen or download as a PDF.

Documents: the documents the company makes available to you.

User profile: the language of pages and e-mails, primary and secondary e-mail, paper invoices, password change; the main user creates and manages sub-users."""

# Seed 004's guide and welcome text ("Gentile Cliente, nel ringraziarti per la
# tua visita…"), section by section in the menu's order.
UTILITY_GUIDE = [
    Paragraph("Benvenuto nel Portale clienti.", "Welcome to the Customer Portal."),
    Paragraph(
        "Gentile Cliente, questo portale ti consente di visualizzare agevolmente le tue "
        "fatture e le statistiche sui tuoi consumi. È anche un mezzo per trasmetterci le "
        "variazioni dei tuoi recapiti e le tue letture, indicandoci in tempo reale i tuoi "
        "consumi. Qui puoi anche consultare e scaricare documentazione normativa, comunicati "
        "e modulistica in modo semplice. Hai infine la possibilità di aprire un ticket e "
        "seguirne l'evoluzione. Buona navigazione!",
        "Dear Customer, this portal lets you see your bills and the statistics of your "
        "consumption at a glance. It is also how you send us changes to your contact details "
        "and your meter readings, telling us your consumption as it happens. Here you can also "
        "read and download regulations, announcements and forms, simply. Finally, you can "
        "open a ticket and follow it to the end. Enjoy the portal!",
        (
            "invoices",
            "consumption",
            "personal-data",
            "self-reading",
            "regulations",
            "communications",
            "forms",
            "requests",
        ),
    ),
    Paragraph(
        "Accesso: si entra con il codice cliente (sei cifre, stampato nella prima pagina della "
        "bolletta) e la password; a ogni accesso arriva via e-mail un codice di verifica da "
        "inserire.",
        "Access: log in with your customer code (six digits, printed on the first page of your "
        "bill) and your password; at each login a verification code arrives by e-mail.",
    ),
    Paragraph(
        "Punto di fornitura: in alto, accanto al tuo nome, scegli il punto di fornitura di "
        "interesse, se ne hai più di uno (luce con il codice POD, gas con il codice PDR, e "
        "l'indirizzo). La scelta è disponibile da ogni pagina e vale finché non la cambi: non "
        "occorre tornare alla Home page.",
        "Supply point: at the top, next to your name, choose the supply point you want to see "
        "if you have more than one (electricity with its POD code, gas with its PDR code, and "
        "the address). The choice is on every page and holds until you change it: there is no "
        "need to go back to the Home page.",
        ("technical-data",),
    ),
    Paragraph(
        "Elenco fatture: le bollette del punto scelto dal 2014; si scaricano quelle con il "
        "simbolo PDF nell'ultima colonna, «Doc».",
        "Invoice list: the bills of the chosen point since 2014; those with the PDF symbol in "
        "the last column, «Doc», can be downloaded.",
        ("invoices",),
    ),
    Paragraph(
        "Autolettura contatore: inserisci la lettura del contatore, e del correttore per i "
        "contatori gas che lo hanno, nei periodi indicati nella pagina («L'inserimento delle "
        "autoletture è consentito nei seguenti periodi»), una sola lettura al giorno. Una "
        "lettura più bassa dell'ultima acquisita non è accettata; se è molto diversa da quella "
        "attesa ti chiediamo di confermarla. Finché la lettura è «Da acquisire» puoi "
        "cancellarla; il sistema la carica indicativamente ogni mezz'ora e diventa «Acquisita».",
        "Meter self-reading: enter the reading of your meter, and of its corrector for gas "
        "meters that have one, within the periods the page shows, one reading a day. A reading "
        "lower than the last acquired one is refused; if it is far from the expected one we "
        "ask you to confirm it. While it is «To be acquired» you can delete it; the system "
        "loads it about every half hour and it becomes «Acquired».",
        ("self-reading",),
    ),
    Paragraph(
        "Dati anagrafici: modifichi in autonomia telefono, fax ed e-mail; per il resto dei "
        "dati, se trovi una difformità, la segnali alla società con «Segnala una difformità».",
        "Personal details: you change your phone, fax and e-mail yourself; if anything else is "
        "wrong, tell the company with «Report a discrepancy».",
        ("personal-data",),
    ),
    Paragraph(
        "Prelievi fatturati: energia e potenza per anno, in forma grafica o tabellare, mese per "
        "mese e, dove il contatore le misura, per fasce orarie F1, F2 e F3; un anno si "
        "confronta con il precedente e i valori stimati sono distinti da quelli effettivi.",
        "Billed consumption: energy and power by year, as a chart or a table, month by month "
        "and, where the meter records them, by time band F1, F2 and F3; a year is compared "
        "with the previous one, and estimated values are told apart from actual ones.",
        ("consumption",),
    ),
    Paragraph(
        "Ticket: apri una richiesta al servizio clienti (voltura, subentro, rettifica di "
        "fatturazione, verifica del contatore e altre) e ne segui l'evoluzione. Da qui presenti "
        "anche un reclamo: ti rispondiamo per iscritto entro 30 giorni di calendario dal "
        "ricevimento; se la risposta non ti soddisfa, o non arriva entro 40 giorni, puoi "
        "rivolgerti al Servizio Conciliazione dell'ARERA.",
        "Tickets: open a request to customer service (change of account holder, takeover of a "
        "supply, billing correction, meter check and more) and follow it. Here you also file a "
        "complaint: we answer in writing within 30 calendar days of receiving it; if the "
        "answer does not satisfy you, or does not come within 40 days, you can turn to "
        "ARERA's Servizio Conciliazione.",
        ("requests",),
    ),
    Paragraph(
        "Dati tecnici e Dati contrattuali: in sola consultazione, i dati del punto di "
        "fornitura (distributore, matricola del contatore, tensione e potenza, oppure classe "
        "del contatore gas e correttore) e del contratto (offerta, inizio fornitura, "
        "periodicità di fatturazione, modalità di pagamento).",
        "Technical data and Contract data: read-only, the data of the supply point "
        "(distributor, meter number, voltage and power, or gas meter class and corrector) and "
        "of the contract (offer, supply start, billing frequency, payment method).",
        ("technical-data", "contract-data"),
    ),
    Paragraph(
        "Misure elettriche (solo luce): le misure del contatore elettronico, ogni quarto d'ora "
        "o ogni ora, filtrabili per periodo e scaricabili in Excel o CSV, con l'ora italiana "
        "anche nei giorni del cambio dell'ora.",
        "Electricity measurements (electricity only): the readings of the smart meter, every "
        "quarter of an hour or every hour, filtered by period and downloadable as Excel or CSV "
        "files, in Italian time, clock-change days included.",
        ("measures",),
    ),
    Paragraph(
        "I miei documenti: i documenti che la società mette a disposizione e relativi al "
        "cliente. Documentazione generica, Modulistica, Normative, Comunicati e Informazioni: "
        "i documenti per tutti i clienti, da consultare e scaricare.",
        "My documents: the documents the company makes available about you. General "
        "documentation, Forms, Regulations, Announcements and Information: the documents for "
        "every customer, to read and download.",
        (
            "my-documents",
            "generic-documents",
            "forms",
            "regulations",
            "communications",
            "information",
        ),
    ),
    Paragraph(
        "Notifiche: gli avvisi della società e gli aggiornamenti che ti riguardano, anche via "
        "e-mail se lo scegli nel Profilo utente.",
        "Notifications: the company's notices and the news that concern you, by e-mail too if "
        "you choose so in your User profile.",
    ),
    Paragraph(
        "Profilo utente e Cambio password: lingua delle pagine e delle e-mail, e-mail "
        "principale e secondaria, cambio password; l'utente principale crea e gestisce le "
        "sotto-utenze.",
        "User profile and Change password: the language of pages and e-mails, primary and "
        "secondary e-mail, password change; the main user creates and manages sub-users.",
    ),
    Paragraph(
        "Contatti e domande frequenti: i recapiti degli sportelli e dell'assistenza tecnica e "
        "le risposte ai dubbi più comuni.",
        "Contacts and frequently asked questions: how to reach our service desks and technical "
        "support, and answers to the most common questions.",
    ),
]


def utility_guide(built: Collection[str]) -> tuple[str, str]:
    """The guide of the sections that are ``built``, in Italian and in English."""
    paragraphs = built_only(UTILITY_GUIDE, built)
    italian = [p.it for p in paragraphs]
    english = [p.en for p in paragraphs]
    return "\n\n".join(italian), "\n\n".join(english)


# The portal as built: pages pass axe (WCAG 2.1 AA); the invoice PDFs are not
# tagged PDF/UA, which the statement owns up to with an accessible alternative.
LEASING_ACCESSIBILITY_ISSUES = (
    "Fatture in PDF: i file PDF delle fatture non sono documenti PDF accessibili (PDF/UA) e "
    "un lettore di schermo può non riconoscerne tabelle e intestazioni (non conformità al "
    "criterio di successo 1.3.1 delle WCAG 2.1). Alternativa accessibile: gli stessi dati "
    "sono nelle pagine «Fatture» e «Fatture e pagamenti», esportabili in Excel."
)
LEASING_ACCESSIBILITY_ISSUES_EN = (
    "Invoice PDFs: the invoice PDF files are not accessible PDF (PDF/UA) documents, and a "
    "screen reader may not recognise their tables and headings (non-compliance with WCAG "
    "2.1 success criterion 1.3.1). Accessible alternative: the same data is on the "
    "«Invoices» and «Invoices and payments» pages, which can be exported to Excel."
)

LEASING_FAQ = [
    Faq(
        "Quali sono le fatture visualizzabili?",
        "Tutte le fatture, incluse le note di credito, dal 2008 in poi.",
        "Which invoices can I see?",
        "All invoices, credit notes included, from 2008 onwards.",
    ),
    Faq(
        "A seguito della registrazione si riceve ancora la fattura cartacea?",
        "No, con l'adesione al servizio di fatturazione on-line viene revocato l'invio delle "
        "fatture tramite posta ordinaria. Può essere riattivato dalla sezione Profilo utente.",
        "Do I still receive paper invoices after registering?",
        "No: joining online invoicing stops paper invoices by post. You can switch them back "
        "on in your user profile.",
    ),
    Faq(
        "Si può considerare fiscalmente valida la fattura presente nell'Area Clienti?",
        "Per considerare fiscalmente valido il documento è necessario stamparlo: la copia "
        "cartacea costituisce l'evidenza legale del documento e va conservata secondo le "
        "disposizioni di legge.",
        "Is the invoice in the customer area valid for tax purposes?",
        "The printed copy is the legal evidence of the document and must be kept as the law "
        "requires.",
    ),
    Faq(
        "Cosa bisogna fare se non si riceve la password di accesso?",
        "Trascorsi 60 minuti dalla prima registrazione è possibile ripetere la registrazione "
        "indicando l'indirizzo e-mail corretto.",
        "What if the access password never arrives?",
        "After 60 minutes from the first registration you can register again with the "
        "correct e-mail address.",
    ),
]

# "Richieste default" (E3): what leasing customers ask most besides the typed
# requests. No "conteggio di estinzione" (early termination is a kind of its
# own, E4) and no PEC change (a kind too, seed 003 answer 4).
LEASING_REQUEST_TYPES = [
    ("Richiesta duplicato fattura", "Duplicate invoice request"),
    ("Richiesta copia contratto", "Copy of the contract"),
    ("Certificazione interessi", "Interest certificate"),
    ("Informazioni su polizza assicurativa", "Insurance policy information"),
    ("Informazioni sul riscatto del bene", "Purchase option information"),
    ("Variazione modalità di pagamento", "Change of payment method"),
    ("Altro", "Other"),
]

# What utility customers ask most (E6); a complaint is a kind of its own.
UTILITY_REQUEST_TYPES = [
    ("Voltura", "Change of account holder"),
    ("Subentro", "Takeover of a disconnected supply"),
    ("Rettifica di fatturazione", "Billing correction"),
    ("Verifica del contatore", "Meter check"),
    ("Variazione della potenza impegnata", "Change of contracted power"),
    ("Rateizzazione bolletta", "Payment in instalments"),
    ("Informazioni sulla bolletta", "Questions about a bill"),
    ("Altro", "Other"),
]

UTILITY_FAQ = [
    Faq(
        "Quando posso inserire l'autolettura?",
        "Nei periodi indicati nella pagina Autolettura contatore (dal giorno e dall'ora di "
        "apertura al giorno e all'ora di chiusura). Fuori da quei periodi la pagina indica "
        "quando si apre il prossimo; se lo scegli nelle preferenze, ti avvisiamo quando un "
        "periodo si apre e due giorni prima che si chiuda.",
        "When can I enter my meter reading?",
        "Within the periods shown on the Meter self-reading page (from the opening day and "
        "time to the closing day and time). Outside them the page says when the next one "
        "opens; if you choose so in your preferences, we tell you when a period opens and "
        "two days before it closes.",
        ("self-reading",),
    ),
    Faq(
        "Perché alcuni consumi sono indicati come stimati?",
        "Quando il distributore non ci trasmette una lettura effettiva fatturiamo una stima, "
        "poi conguagliata con la lettura successiva. Inviandoci l'autolettura nei periodi "
        "previsti eviti le stime.",
        "Why are some consumption figures marked as estimated?",
        "When the distributor sends us no actual reading we bill an estimate, adjusted with "
        "the next reading. Sending us your meter reading in the periods provided avoids "
        "estimates.",
        ("consumption", "self-reading"),
    ),
    Faq(
        "Come presento un reclamo?",
        "Dalla pagina Ticket, con il modulo di reclamo: i dati del punto scelto sono già "
        "compilati. Ti rispondiamo per iscritto entro 30 giorni di calendario dal ricevimento; "
        "se la risposta non ti soddisfa, o non arriva entro 40 giorni, puoi rivolgerti al "
        "Servizio Conciliazione dell'ARERA.",
        "How do I file a complaint?",
        "From the Tickets page, with the complaint form: the data of the chosen point are "
        "already filled in. We answer in writing within 30 calendar days of receiving it; if "
        "the answer does not satisfy you, or does not come within 40 days, you can turn to "
        "ARERA's Servizio Conciliazione.",
        ("requests",),
    ),
]

COMPANIES = [
    CompanySpec(
        slug="release",
        seller=Seller.with_check_digit(
            "Release S.p.A.", "0735261015", "Via Roma, 1", "20121", "Milano", "MI"
        ),
        name="Release",
        kind=CompanyKind.LEASING,
        host="release.localhost",
        primary_colour="#00457c",
        accent_colour="#e4002b",
        support_email="areariservata@release.demo.example",
        service_desk_email="servizioclienti@release.demo.example",
        phone="",
        commercial_contacts=(
            "Per ulteriori informazioni relative ai servizi contenuti nell'Area Clienti è "
            "possibile rivolgersi alla Filiale Asset Italease del Banco BPM che opera in "
            "outsourcing per Release."
        ),
        commercial_contacts_en=(
            "For further information on the services of the Customer Area, please contact "
            "the Asset Italease branch of Banco BPM, which serves Release in outsourcing."
        ),
        accessibility_feedback_email="accessibilita@release.demo.example",
        legal_footer=(
            "Release S.p.A. (dati dimostrativi) – Sede legale: Via Roma, 1 – 20121 Milano (MI)\n"
            "Iscritta all'Albo degli Intermediari Finanziari ex art. 106 D.Lgs. 385/93"
        ),
        first_invoice_year=2008,
        customer_code_start=10001,
        contract_number_start=84963,
        customers=8,
        fleet_contracts=303,
        faq=LEASING_FAQ,
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Release S.p.A.",
            "Banco BPM S.p.A. – Milano",
            "amministrazione@release.demo.example – 02 0000 0001",
        ),
    ),
    CompanySpec(
        slug="bancobpm",
        seller=Seller.with_check_digit(
            "Banco BPM S.p.A.", "1053641015", "Piazza Meda, 4", "20121", "Milano", "MI"
        ),
        name="Banco BPM – Divisione Leasing",
        kind=CompanyKind.LEASING,
        host="bancobpm.localhost",
        primary_colour="#004b55",
        accent_colour="#d4a017",
        support_email="areaclienti.ls@bancobpm.demo.example",
        phone="",
        commercial_contacts=(
            "Per ulteriori informazioni relative ai servizi contenuti nell'Area Clienti è "
            "possibile rivolgersi alla Filiale Asset Italease del Banco BPM."
        ),
        commercial_contacts_en=(
            "For further information on the services of the Customer Area, please contact "
            "the Asset Italease branch of Banco BPM."
        ),
        legal_footer=(
            "Banco BPM S.p.A. – Divisione Leasing (dati dimostrativi) – Piazza Meda, 4 – "
            "20121 Milano (MI)"
        ),
        first_invoice_year=2008,
        customer_code_start=20001,
        contract_number_start=51207,
        customers=8,
        faq=LEASING_FAQ,
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Banco BPM S.p.A. – Divisione Leasing",
            "Banco BPM S.p.A. – Verona",
            "leasing.incassi@bancobpm.demo.example – 045 000 0002",
        ),
    ),
    CompanySpec(
        slug="claris",
        seller=Seller.with_check_digit(
            "Claris Leasing S.p.A.", "0227469026", "Piazza Rinaldi, 8", "31100", "Treviso", "TV"
        ),
        name="Claris Leasing",
        kind=CompanyKind.LEASING,
        host="claris.localhost",
        primary_colour="#5b1f3a",
        accent_colour="#f2b705",
        support_email="customerportal@claris.demo.example",
        service_desk_email="assistenza.clienti@claris.demo.example",
        phone="0422 427411",
        commercial_contacts=(
            "Sede legale e Direzione Generale: Piazza Rinaldi, 8 – 31100 Treviso (TV)\n"
            "Tel. 0422 427411 – Fax 0422 427499"
        ),
        commercial_contacts_en=(
            "Registered office and General Management: Piazza Rinaldi, 8 – 31100 Treviso (TV), "
            "Italy\nPhone +39 0422 427411 – Fax +39 0422 427499"
        ),
        accessibility_feedback_email="accessibilita@claris.demo.example",
        legal_footer=(
            "Claris Leasing S.p.A. (dati dimostrativi) – Capitale sociale interamente versato "
            "Euro 40.000.000,00\nIscritta al n° 16 dell'Albo degli Intermediari Finanziari ex "
            "art. 106 D.Lgs. 385/93 – Piazza Rinaldi, 8 – 31100 Treviso (TV)"
        ),
        first_invoice_year=2016,
        customer_code_start=10093,
        contract_number_start=84963,
        customers=8,
        faq=[
            Faq(
                "Ho dimenticato la password di accesso, come posso fare per recuperarla?",
                "Può recuperarla in autonomia con il link «Password dimenticata?» della "
                "pagina di accesso.",
                "I forgot my password: how do I get it back?",
                "Use the «Forgot your password?» link on the login page.",
            ),
            Faq(
                "Dove trovo il piano di ammortamento di un contratto?",
                "Nel menu «Contratti»: aprendo un contratto si raggiungono il piano di "
                "ammortamento, che si può esportare in Excel, i beni e i documenti del "
                "contratto.",
                "Where do I find the amortisation plan of a contract?",
                "In the «Contracts» menu: open a contract to reach its amortisation plan, "
                "which you can export to Excel, its assets and its documents.",
            ),
            Faq(
                "Posso cambiare l'indirizzo e-mail a cui arrivano i codici di accesso?",
                "Sì, nel Profilo utente: l'e-mail principale si cambia indicando la password "
                "attuale, e il vecchio indirizzo riceve un avviso. Nel profilo si può anche "
                "indicare un'e-mail secondaria (non PEC). La PEC registrata presso la società "
                "non cambia dal portale: per modificarla usare i recapiti della pagina "
                "Contatti.",
                "Can I change the e-mail address that receives my login codes?",
                "Yes, in your User profile: you change the primary e-mail by entering your "
                "current password, and the old address is told. In the profile you can also "
                "add a secondary e-mail (not a PEC). The PEC on file with the company is not "
                "changed from the portal: to change it, use the details on the Contacts page.",
            ),
        ],
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Claris Leasing S.p.A.",
            "Veneto Banca – Montebelluna",
            "incassi@claris.demo.example – 0423 000 003",
        ),
    ),
    CompanySpec(
        slug="energia",
        seller=Seller.with_check_digit(
            "Energia Toscana S.p.A.", "0215843100", "Via Roma, 12", "59100", "Prato", "PO"
        ),
        name="Energia Toscana",
        kind=CompanyKind.UTILITY,
        host="energia.localhost",
        primary_colour="#7a3b00",
        accent_colour="#2e7d32",
        support_email="portaleclienti@energiatoscana.demo.example",
        phone="800 123 456",
        commercial_contacts="Sportelli clienti: Via Roma, 12 – 59100 Prato (PO), lun–ven 9–13.",
        commercial_contacts_en=(
            "Customer service desks: Via Roma, 12 – 59100 Prato (PO), Monday to Friday 9am–1pm."
        ),
        accessibility_conformity=Conformity.FULL,
        legal_footer=(
            "Energia Toscana S.p.A. (dati dimostrativi) – Mercato libero – Via Roma, 12 – "
            "59100 Prato (PO)"
        ),
        first_invoice_year=2014,
        customer_code_start=2,
        contract_number_start=0,
        customers=8,
        fleet_points=64,
        faq=[
            Faq(
                "Dove trovo il codice cliente?",
                "In fattura, nella prima pagina, subito sotto il numero e la data del "
                "documento: è un numero di sei cifre.",
                "Where do I find my customer code?",
                "On the first page of your bill, under the invoice number and date: it has "
                "six digits.",
            ),
            Faq(
                "Ho dimenticato la password: come la recupero?",
                "Con il link «Password dimenticata?» della pagina di accesso: si indica il "
                "codice cliente o l'e-mail e si riceve un link, valido un'ora, per sceglierne "
                "una nuova.",
                "I forgot my password: how do I get it back?",
                "Use the «Forgot your password?» link on the login page: enter your customer "
                "code or e-mail and you receive a link, valid for one hour, to choose a new one.",
            ),
            *UTILITY_FAQ,
        ],
        request_types=UTILITY_REQUEST_TYPES,
    ),
]

#: The utility's documents for every customer, by category (seed 004's menu).
UTILITY_DOCUMENTS = [
    (DocumentCategory.GENERIC, "Condizioni generali di fornitura di energia elettrica e gas"),
    (DocumentCategory.GENERIC, "Carta dei servizi"),
    (DocumentCategory.GENERIC, "Guida alla lettura della bolletta"),
    (DocumentCategory.FORMS, "Modulo di richiesta voltura"),
    (DocumentCategory.FORMS, "Modulo di richiesta subentro"),
    (DocumentCategory.FORMS, "Modulo per il reclamo scritto"),
    (DocumentCategory.FORMS, "Mandato per l'addebito diretto SEPA"),
    (DocumentCategory.FORMS, "Dichiarazione per l'applicazione dell'IVA agevolata"),
    (DocumentCategory.REGULATIONS, "Testo integrato della qualità dei servizi di vendita (TIQV)"),
    (
        DocumentCategory.REGULATIONS,
        "Codice di condotta commerciale per la vendita ai clienti finali",
    ),
    (DocumentCategory.REGULATIONS, "Bonus sociale per disagio economico: riferimenti normativi"),
    (DocumentCategory.COMMUNICATIONS, "Aggiornamento delle condizioni economiche dal 1° gennaio"),
    (DocumentCategory.COMMUNICATIONS, "Variazione trimestrale delle componenti tariffarie ARERA"),
    (DocumentCategory.COMMUNICATIONS, "Nuovi orari degli sportelli clienti"),
    (DocumentCategory.INFORMATION, "Informativa sul trattamento dei dati personali (art. 13 GDPR)"),
    (DocumentCategory.INFORMATION, "Servizio Conciliazione ARERA: come accedere"),
    (DocumentCategory.INFORMATION, "Numeri utili per guasti e pronto intervento"),
]
